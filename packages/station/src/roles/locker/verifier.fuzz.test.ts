import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_PREFIXES, decodeBase64Url, encodeBase64Url, verifyCode, type CodeKind } from '@hall/shared';
import { ed25519Check } from './crypto';
import { TestCodeIssuer } from './testing';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const issuer = new TestCodeIssuer(() => NOW);
const keySet = issuer.keySet(NOW);
const options = (expect: CodeKind) => ({ keySet, nowMs: NOW, expect, checkSignature: ed25519Check, hallId: 'h1' });

const valid: [CodeKind, string][] = [
  ['residence', issuer.residence('11010519491231002X')],
  ['deposit', issuer.deposit({ parcelId: 'p-1', hallId: 'h1', caseNumber: 'C-0001', size: 'medium', idNumber: '11010519491231002X', name: '王小明' })],
  ['staff', issuer.staff('staff-1', 'h1')],
];

describe('code verifier under fuzzing', () => {
  it('accepts the genuine codes (the baseline the mutations start from)', () => {
    for (const [kind, code] of valid) expect(verifyCode(code, options(kind)).ok, kind).toBe(true);
  });

  it('never throws on arbitrary strings, and refuses them', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...Object.values(CODE_PREFIXES)).chain((p) => fc.string().map((s) => p + s))), (text) => {
        for (const kind of ['residence', 'deposit', 'staff'] as const) expect(verifyCode(text, options(kind)).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes behind a valid prefix, and refuses them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(CODE_PREFIXES) as CodeKind[])), fc.uint8Array({ maxLength: 400 }), (kind, bytes) => {
        expect(verifyCode(CODE_PREFIXES[kind] + encodeBase64Url(bytes), options(kind)).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on non-string input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(verifyCode(value, options('residence')).ok).toBe(false);
      }),
    );
  });

  it('refuses every single-bit flip of a genuine code', () => {
    for (const [kind, code] of valid) {
      const prefix = CODE_PREFIXES[kind];
      const bytes = decodeBase64Url(code.slice(prefix.length))!;
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = Uint8Array.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const result = verifyCode(prefix + encodeBase64Url(flipped), options(kind));
        expect(result.ok, `${kind} bit ${bit}`).toBe(false);
      }
    }
  });

  it('refuses a genuine code with any character of its text changed, added or removed', () => {
    const [kind, code] = valid[0]!;
    fc.assert(
      fc.property(fc.nat({ max: code.length - 1 }), fc.constantFrom(...'ABCabc019-_.='), fc.constantFrom('replace', 'insert', 'delete'), (at, ch, op) => {
        const changed = op === 'replace' ? code.slice(0, at) + ch + code.slice(at + 1) : op === 'insert' ? code.slice(0, at) + ch + code.slice(at) : code.slice(0, at) + code.slice(at + 1);
        fc.pre(changed !== code && changed.trim() !== code);
        expect(verifyCode(changed, options(kind)).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a replayed nonce only after the code is otherwise valid', () => {
    const seen = new Set<string>();
    const claimNonce = (nonce: string) => !seen.has(nonce) && !!seen.add(nonce);
    const [kind, code] = valid[0]!;
    expect(verifyCode('HRC1.AAAA', { ...options(kind), claimNonce }).ok).toBe(false);
    expect(seen.size).toBe(0);
    expect(verifyCode(code, { ...options(kind), claimNonce }).ok).toBe(true);
    expect(verifyCode(code, { ...options(kind), claimNonce })).toEqual({ ok: false, reason: 'replayed' });
  });
});
