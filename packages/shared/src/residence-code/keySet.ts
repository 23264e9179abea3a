import { z } from 'zod';
import { decodeBase64Url } from './base64url';

/**
 * One signing key as the central API publishes it. A key signs codes issued within
 * [signFrom, signUntil) and is trusted for verification until verifyUntil, which lies
 * after signUntil by at least the longest code lifetime, so codes issued just before a
 * rotation still verify. Publishing the next key before it signs lets offline stations
 * learn it in advance.
 */
export const PublicKeySchema = z.object({
  kid: z.string().regex(/^[0-9a-f]{16}$/, 'kid is 8 bytes of lowercase hex'),
  /** Raw 32-byte Ed25519 public key, base64url. */
  publicKey: z.string().refine((v) => decodeBase64Url(v)?.length === 32, 'publicKey is 32 bytes of base64url'),
  signFrom: z.string().datetime({ offset: true }),
  signUntil: z.string().datetime({ offset: true }),
  verifyUntil: z.string().datetime({ offset: true }),
});
export type PublicKey = z.infer<typeof PublicKeySchema>;

export const KeySetSchema = z.object({
  issuer: z.string().min(1).max(64),
  keys: z.array(PublicKeySchema).max(32),
  /** When the server produced this set; stations refuse a set older than the one they hold. */
  generatedAt: z.string().datetime({ offset: true }),
});
export type KeySet = z.infer<typeof KeySetSchema>;

/** Keys still useful at `now` (drops retired keys past verifyUntil). */
export function liveKeys(set: KeySet, nowMs: number): PublicKey[] {
  return set.keys.filter((k) => Date.parse(k.verifyUntil) > nowMs);
}

/**
 * Merges a freshly fetched key set into the cached one: a stale set never replaces a
 * newer one, and a key id is bound to its first public key forever (a fetched set that
 * re-uses a kid with another key is refused, not merged).
 */
export function mergeKeySets(cached: KeySet | undefined, fetched: KeySet, nowMs: number): { ok: true; set: KeySet } | { ok: false; reason: string } {
  if (cached && Date.parse(fetched.generatedAt) < Date.parse(cached.generatedAt)) {
    return { ok: false, reason: 'fetched key set is older than the cached one' };
  }
  const known = new Map((cached?.keys ?? []).map((k) => [k.kid, k]));
  for (const key of fetched.keys) {
    const prior = known.get(key.kid);
    if (prior && prior.publicKey !== key.publicKey) return { ok: false, reason: `key ${key.kid} changed its public key` };
  }
  const merged = new Map(known);
  for (const key of fetched.keys) merged.set(key.kid, key);
  return {
    ok: true,
    set: { issuer: fetched.issuer, generatedAt: fetched.generatedAt, keys: liveKeys({ ...fetched, keys: [...merged.values()] }, nowMs) },
  };
}
