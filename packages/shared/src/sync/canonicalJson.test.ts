import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson';

describe('canonical JSON, what clerk and device proofs MAC', () => {
  it('gives the same text before and after a JSON round trip, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
      }),
    );
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe(canonicalJson({ a: [2, { c: 4, d: 3 }], b: 1 }));
  });

  it('writes an undefined array element as the null a round trip makes of it, and leaves out undefined fields', () => {
    const value = { list: [1, undefined, 2], gone: undefined };
    expect(canonicalJson(value)).toBe('{"list":[1,null,2]}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});
