import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from './base64url';
import { mergeKeySets, type KeySet, type PublicKey } from './keySet';

const DAY = 24 * 3600 * 1000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const key = (n: number, signFrom: number): PublicKey => ({
  kid: n.toString(16).padStart(16, '0'),
  publicKey: encodeBase64Url(new Uint8Array(32).fill(n)),
  signFrom: new Date(signFrom).toISOString(),
  signUntil: new Date(signFrom + 7 * DAY).toISOString(),
  verifyUntil: new Date(signFrom + 38 * DAY).toISOString(),
});
const set = (generatedAt: number, ...keys: PublicKey[]): KeySet => ({ issuer: 'central', generatedAt: new Date(generatedAt).toISOString(), keys });

describe('key set rotation at a station', () => {
  it('adds the next key, keeps retired keys until they stop verifying, then drops them', () => {
    const first = mergeKeySets(undefined, set(T0, key(1, T0), key(2, T0 + 7 * DAY)), T0);
    expect(first.ok).toBe(true);
    const rotated = mergeKeySets(first.ok ? first.set : undefined, set(T0 + 8 * DAY, key(2, T0 + 7 * DAY), key(3, T0 + 14 * DAY)), T0 + 8 * DAY);
    expect(rotated.ok && rotated.set.keys.map((k) => k.kid.slice(-1))).toEqual(['1', '2', '3']);
    const later = mergeKeySets(rotated.ok ? rotated.set : undefined, set(T0 + 40 * DAY, key(3, T0 + 14 * DAY)), T0 + 40 * DAY);
    // Key 1 stopped verifying at day 38; key 2 (retired from signing at day 14) still verifies until day 45.
    expect(later.ok && later.set.keys.map((k) => k.kid.slice(-1))).toEqual(['2', '3']);
  });

  it('refuses an older set and a key id that changed its public key', () => {
    const cached = set(T0 + DAY, key(1, T0));
    expect(mergeKeySets(cached, set(T0, key(1, T0)), T0 + DAY)).toEqual({ ok: false, reason: 'fetched key set is older than the cached one' });
    const swapped = { ...key(1, T0), publicKey: encodeBase64Url(new Uint8Array(32).fill(9)) };
    expect(mergeKeySets(cached, set(T0 + 2 * DAY, swapped), T0 + 2 * DAY).ok).toBe(false);
  });
});
