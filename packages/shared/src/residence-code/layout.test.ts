import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';
import { utf8Decode, utf8Encode } from './bytes';
import { decodeCode, encodeCodePayload, formatCode, type CodePayload } from './layout';
import { makeTestIdNumber } from '../identity/idNumber';
import { decodeResidenceFields, encodeResidenceFields, SEALED_OVERHEAD_BYTES } from './personal';

describe('base64url and UTF-8', () => {
  it('round-trips any bytes and refuses non-canonical text', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
    }));
    expect(decodeBase64Url('AB')).toBeUndefined(); // trailing bits set
    expect(decodeBase64Url('A')).toBeUndefined();
    expect(decodeBase64Url('AA==')).toBeUndefined();
  });

  it('round-trips any string through UTF-8 and refuses broken sequences', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      expect(utf8Decode(utf8Encode(text))).toBe(text);
    }));
    expect(utf8Decode(Uint8Array.from([0xe4, 0xb8]))).toBeUndefined();
    expect(utf8Decode(Uint8Array.from([0xc0, 0x80]))).toBeUndefined();
  });
});

describe('code layout', () => {
  const payload: CodePayload = {
    kind: 'deposit',
    kid: '0011223344556677',
    issuedAt: 1_800_000_000,
    expiresAt: 1_800_000_600,
    nonce: '00112233445566778899aabb',
    parcelId: 'p-1',
    hallId: 'h1',
    caseNumber: 'SW-2026-0001',
    size: 'large',
    subject: new Uint8Array(32).fill(7),
    idCheckSalt: new Uint8Array(16).fill(1),
    idCheckHash: new Uint8Array(32).fill(2),
    maskedName: '张*三',
  };

  it('decodes what it encodes, with the signature apart', () => {
    const signed = encodeCodePayload(payload);
    const text = formatCode('deposit', signed, new Uint8Array(64).fill(9));
    expect(text.startsWith('HDC1.')).toBe(true);
    const decoded = decodeCode(text);
    expect(decoded.ok && decoded.code.payload).toEqual(payload);
    expect(decoded.ok && decoded.code.signed).toEqual(signed);
  });

  it('refuses a body under the wrong prefix and trailing bytes', () => {
    const signed = encodeCodePayload(payload);
    const text = formatCode('deposit', signed, new Uint8Array(64));
    expect(decodeCode(text.replace('HDC1.', 'HRC1.'))).toEqual({ ok: false, reason: 'malformed' });
    const longer = new Uint8Array(signed.length + 1);
    longer.set(signed);
    expect(decodeCode(formatCode('deposit', longer, new Uint8Array(64)))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a residence code carries its sealed block after the subject; a block too short to be one is malformed', () => {
    const residence: CodePayload = { kind: 'residence', kid: payload.kid, issuedAt: payload.issuedAt, expiresAt: payload.expiresAt, nonce: payload.nonce, subject: payload.subject };
    const plain = decodeCode(formatCode('residence', encodeCodePayload(residence), new Uint8Array(64)));
    expect(plain.ok && plain.code.payload).toEqual(residence);
    const sealed = { ...residence, sealed: new Uint8Array(SEALED_OVERHEAD_BYTES + 5).fill(3) };
    const withFields = decodeCode(formatCode('residence', encodeCodePayload(sealed), new Uint8Array(64)));
    expect(withFields.ok && withFields.code.payload).toEqual(sealed);
    const short = { ...residence, sealed: new Uint8Array(SEALED_OVERHEAD_BYTES).fill(3) };
    expect(decodeCode(formatCode('residence', encodeCodePayload(short), new Uint8Array(64)))).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('citizen fields of a residence code', () => {
  it('round-trip, and anything but exactly one encoding is refused', () => {
    const fields = { name: '测试居民', idNumber: makeTestIdNumber({ sequence: 96 }), address: '广东省汕尾市城区测试路1号' };
    const bytes = encodeResidenceFields(fields);
    expect(decodeResidenceFields(bytes)).toEqual(fields);
    expect(decodeResidenceFields(encodeResidenceFields({ ...fields, phone: '13800000000' }))).toEqual({ ...fields, phone: '13800000000' });
    expect(decodeResidenceFields(Uint8Array.from([...bytes, 0]))).toBeUndefined();
    expect(decodeResidenceFields(bytes.slice(0, -1))).toBeUndefined();
    expect(decodeResidenceFields(Uint8Array.from([2, ...bytes.slice(1)]))).toBeUndefined();
  });
});
