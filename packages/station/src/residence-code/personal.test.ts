import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, decodeCode, formatCode, LOCKER_PATHS, makeTestIdNumber, SIGNATURE_BYTES } from '@hall/shared';
import { API_BASE_PATH } from '../central/client';
import { DataKeyKeeper, openResidenceFields } from './personal';
import { TestCodeIssuer } from './testing';
import { StationCodeVerifier } from './verifier';

const T0 = Date.parse('2026-06-01T02:00:00Z');
// Made-up citizen; never a real person's data.
const FIELDS = { name: '测试居民', address: '广东省汕尾市城区测试路1号', phone: '13800000000' };

function station(issuer: TestCodeIssuer, now: () => number) {
  const verifier = new StationCodeVerifier(new Database(':memory:'), now);
  expect(verifier.keys.update(issuer.keySet(T0), T0)).toEqual({ ok: true });
  return verifier;
}

describe('citizen fields sealed in a residence code (码上填表)', () => {
  const idNumber = makeTestIdNumber({ sequence: 91 });

  it('opens offline at a station holding the data key, once the signature is verified', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const verified = station(issuer, () => T0).verify(issuer.residence(idNumber, { fields: FIELDS }), 'residence');
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(openResidenceFields(verified.payload, issuer.dataKeyRing(T0), T0)).toEqual({ ok: true, fields: { ...FIELDS, idNumber } });
  });

  it('shows nothing readable in the code itself', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const code = issuer.residence(idNumber, { fields: FIELDS });
    const bytes = Buffer.from(decodeBase64Url(code.slice('HRC1.'.length))!);
    for (const secret of [idNumber, FIELDS.name, FIELDS.address, FIELDS.phone]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('refuses a station without the key, a rotated-out key and an unknown key id', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const payload = decodeCode(issuer.residence(idNumber, { fields: FIELDS }));
    if (!payload.ok) throw new Error('decodes');
    expect(openResidenceFields(payload.code.payload, undefined, T0)).toEqual({ ok: false, reason: 'unknown_data_key' });
    // Past the key's openUntil the station no longer opens it.
    expect(openResidenceFields(payload.code.payload, issuer.dataKeyRing(T0), T0 + 40 * 24 * 3600_000)).toEqual({ ok: false, reason: 'unknown_data_key' });
    const other = { kid: randomBytes(4).toString('hex'), key: new Uint8Array(randomBytes(32)) };
    const foreign = decodeCode(issuer.residence(idNumber, { fields: FIELDS, dataKey: other }));
    if (!foreign.ok) throw new Error('decodes');
    expect(openResidenceFields(foreign.code.payload, issuer.dataKeyRing(T0), T0)).toEqual({ ok: false, reason: 'unknown_data_key' });
    // Rotation: the station holding current and previous keys opens codes sealed under either.
    issuer.dataKeys.push(other);
    expect(openResidenceFields(foreign.code.payload, issuer.dataKeyRing(T0), T0).ok).toBe(true);
  });

  it('refuses sealed fields moved into another code, and any flipped byte', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const a = decodeCode(issuer.residence(idNumber, { fields: FIELDS }));
    const b = decodeCode(issuer.residence(makeTestIdNumber({ sequence: 92 }), { fields: { name: '另一居民', address: '广东省汕尾市城区另一路2号' } }));
    if (!a.ok || !b.ok || a.code.payload.kind !== 'residence' || b.code.payload.kind !== 'residence') throw new Error('decodes');
    const ring = issuer.dataKeyRing(T0);
    // The seal is bound to its own code's header (nonce, times, key): transplanted, it does not open.
    expect(openResidenceFields({ ...b.code.payload, sealed: a.code.payload.sealed! }, ring, T0)).toEqual({ ok: false, reason: 'tampered' });
    const flipped = Uint8Array.from(a.code.payload.sealed!);
    flipped[flipped.length - 20]! ^= 1;
    expect(openResidenceFields({ ...a.code.payload, sealed: flipped }, ring, T0)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('a code whose sealed bytes were changed fails its signature, and an expired one is refused before anything opens', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const code = issuer.residence(idNumber, { fields: FIELDS });
    const decoded = decodeCode(code);
    if (!decoded.ok) throw new Error('decodes');
    const signed = Uint8Array.from(decoded.code.signed);
    signed[signed.length - 1]! ^= 1;
    expect(station(issuer, () => T0).verify(formatCode('residence', signed, decoded.code.signature), 'residence')).toEqual({ ok: false, reason: 'forged' });
    expect(decoded.code.signature).toHaveLength(SIGNATURE_BYTES);
    expect(station(issuer, () => T0 + 10 * 60_000).verify(code, 'residence')).toEqual({ ok: false, reason: 'expired' });
  });

  it('stays a small QR: the code with a long address fits version 15 at level M', () => {
    const issuer = new TestCodeIssuer(() => T0);
    const code = issuer.residence(idNumber, { fields: { name: '欧阳测试名', address: '广东省汕尾市城区香洲街道测试社区测试路一百二十三号测试小区九栋', phone: '13800000000' } });
    // Byte mode, version 15-M holds 412 bytes (ISO/IEC 18004 table 7); a phone screen shows it, a kiosk scanner reads it.
    expect(code.length).toBeLessThanOrEqual(412);
  });
});

describe('data keys held at a kiosk or counter', () => {
  it('fetches them with the device credential, keeps them on disk (0600) for offline restarts, and keeps them when the API fails', async () => {
    const issuer = new TestCodeIssuer(() => T0);
    let answer: { status: number; json: unknown } = { status: 200, json: issuer.dataKeyRing(T0) };
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      const a = request.url === API_BASE_PATH + LOCKER_PATHS.dataKeys ? answer : { status: 404, json: {} };
      response.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.json));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const dir = mkdtempSync(join(tmpdir(), 'data-keys-'));
    try {
      const options = { path: join(dir, 'residence-data-keys'), apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authHeaders: () => ({ authorization: 'Bearer device-credential' }) };
      const keeper = new DataKeyKeeper(options);
      expect(keeper.current()).toBeUndefined();
      expect(await keeper.refresh()).toBe(true);
      expect(seen).toEqual(['Bearer device-credential']);
      expect(keeper.current()?.keys.map((k) => k.kid)).toEqual([issuer.dataKeys[0]!.kid]);
      expect(statSync(options.path).mode & 0o777).toBe(0o600);
      answer = { status: 503, json: {} };
      expect(await keeper.refresh()).toBe(false);
      answer = { status: 200, json: { keys: 'junk' } };
      expect(await keeper.refresh()).toBe(false);
      // The API is gone: a restarted station still opens codes from its file.
      await new Promise((closed) => server.close(closed));
      const restarted = new DataKeyKeeper(options);
      expect(await restarted.refresh()).toBe(false);
      const verified = station(issuer, () => T0).verify(issuer.residence(makeTestIdNumber({ sequence: 94 }), { fields: FIELDS }), 'residence');
      if (!verified.ok) throw new Error('verifies');
      expect(openResidenceFields(verified.payload, restarted.current(), T0).ok).toBe(true);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
