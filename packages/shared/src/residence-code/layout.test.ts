import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';
import { utf8Decode, utf8Encode } from './bytes';
import { decodeCode, encodeCodePayload, formatCode, type CodePayload } from './layout';

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
});
