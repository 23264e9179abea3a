import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA-256, the MAC of clerk and device proofs. */
export const mac = (key: Buffer, message: string): Buffer => createHmac('sha256', key).update(message).digest();

/** Compares a base64url MAC in constant time. */
export function sameMac(expected: Buffer, given: string): boolean {
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The value cached under `id`, loaded on first need: a push batch names each key many times. */
export function loadOnce<V>(cache: Map<string, Promise<V>>, id: string, load: () => Promise<V>): Promise<V> {
  let found = cache.get(id);
  if (!found) cache.set(id, (found = load()));
  return found;
}
