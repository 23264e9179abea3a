import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMeshDatagram, encodeMeshMessage, sealSplitting } from './codec';
import { MESH_MAX_DATAGRAM, MESH_MAX_PLAINTEXT, openFrame, sealFrame } from './crypto';
import { MESH_PROTOCOL_VERSION, type MeshBody, type MeshMessage } from './messages';
import { keyRing, MemoryMeshStore, randomMeshKey } from './testing';

const k1 = randomMeshKey('k1');
const ring = keyRing(k1);

function message(body: MeshBody, overrides: Partial<MeshMessage> = {}): MeshMessage {
  return { v: MESH_PROTOCOL_VERSION, hallId: 'hall-1', senderId: 'kiosk-1', boot: 7, counter: 3, body, ...overrides };
}

const store = new MemoryMeshStore('kiosk-1');
const mutation = store.commit({ at: '2026-03-02T09:00:00.000Z', values: { name: 'Zhang Wei' } }, 'submitForm');
const sealed = encodeMeshMessage(k1, message({ type: 'mutations', mutations: [mutation] }));
if (!sealed) throw new Error('a small message must fit');

describe('mesh frames', () => {
  it('round-trips a message sealed under the current key', () => {
    expect(decodeMeshDatagram(ring, sealed, 'hall-1')).toEqual({ ok: true, message: message({ type: 'mutations', mutations: [mutation] }) });
  });

  it('does not show the plaintext on the wire', () => {
    expect(sealed.includes(Buffer.from('Zhang Wei'))).toBe(false);
    expect(sealed.includes(Buffer.from('kiosk-1'))).toBe(false);
  });

  it('opens with any accepted key, chosen by the key id in the header', () => {
    const k2 = randomMeshKey('k2');
    const datagram = sealFrame(k2, Buffer.from('{}'));
    expect(openFrame(keyRing(k1, k2), datagram)).toMatchObject({ ok: true, kid: 'k2' });
    expect(openFrame(keyRing(k1), datagram)).toEqual({ ok: false, refusal: 'unknown_key' });
  });

  it('refuses a frame sealed with another key under the same key id', () => {
    const impostor = { kid: 'k1', key: randomBytes(32) };
    expect(decodeMeshDatagram(ring, sealFrame(impostor, Buffer.from('{}')), 'hall-1')).toEqual({ ok: false, refusal: 'bad_auth' });
  });

  it('refuses every single-bit flip (header, nonce, ciphertext or tag)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length * 8 - 1 }), (bit) => {
        const altered = Buffer.from(sealed);
        altered[bit >> 3] = (altered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(decodeMeshDatagram(ring, altered, 'hall-1').ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an authentic frame that inflates beyond the bound (zip bomb)', () => {
    const bomb = sealFrame(k1, Buffer.alloc(MESH_MAX_PLAINTEXT + 1, 0x20));
    expect(bomb.length).toBeLessThan(MESH_MAX_DATAGRAM);
    expect(openFrame(ring, bomb)).toEqual({ ok: false, refusal: 'too_large' });
  });

  it('refuses a wrong hall, an invalid body and a mutation that is not one', () => {
    const other = encodeMeshMessage(k1, message({ type: 'advert', vector: [] }, { hallId: 'hall-2' }));
    expect(decodeMeshDatagram(ring, other ?? Buffer.alloc(0), 'hall-1')).toEqual({ ok: false, refusal: 'wrong_hall' });
    const invalid = sealFrame(k1, Buffer.from(JSON.stringify(message({ type: 'mutations', mutations: [{ ...mutation, seq: 0 }] }))));
    expect(decodeMeshDatagram(ring, invalid, 'hall-1')).toEqual({ ok: false, refusal: 'invalid' });
    const extra = sealFrame(k1, Buffer.from(JSON.stringify({ ...message({ type: 'advert', vector: [] }), sentAt: 1 })));
    expect(decodeMeshDatagram(ring, extra, 'hall-1')).toEqual({ ok: false, refusal: 'invalid' });
    expect(decodeMeshDatagram(ring, sealFrame(k1, Buffer.from('not json')), 'hall-1')).toEqual({ ok: false, refusal: 'invalid' });
  });

  it('never throws on random bytes, nor on random bytes behind a valid header', () => {
    const header = sealed.subarray(0, 6);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (bytes, withHeader) => {
        const datagram = withHeader ? Buffer.concat([header, bytes]) : Buffer.from(bytes);
        const result = decodeMeshDatagram(ring, datagram, 'hall-1');
        expect(result.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses datagrams over the size limit before any crypto', () => {
    expect(openFrame(ring, Buffer.concat([sealed, Buffer.alloc(MESH_MAX_DATAGRAM)]))).toEqual({ ok: false, refusal: 'malformed' });
  });
});

describe('splitting to fit datagrams', () => {
  it('returns undefined for a message that does not fit', () => {
    const big = store.commit({ at: '2026-03-02T09:00:00.000Z', blob: randomBytes(100_000).toString('hex') });
    expect(encodeMeshMessage(k1, message({ type: 'mutations', mutations: [big] }))).toBeUndefined();
  });

  it('halves ranges until each fits and reports single items that never fit', () => {
    const sizes = [10, 10, 10, 10, 100, 10, 10];
    const { datagrams, unsendable } = sealSplitting(sizes.length, (start, end) => {
      const total = sizes.slice(start, end).reduce((a, b) => a + b, 0);
      return total <= 25 ? Buffer.from(`${start}-${end}`) : undefined;
    });
    expect(unsendable).toEqual([4]);
    const covered = datagrams.flatMap((d) => {
      const [start, end] = d.toString().split('-').map(Number);
      return Array.from({ length: (end ?? 0) - (start ?? 0) }, (_, i) => (start ?? 0) + i);
    });
    expect(covered.sort()).toEqual([0, 1, 2, 3, 5, 6]);
  });
});
