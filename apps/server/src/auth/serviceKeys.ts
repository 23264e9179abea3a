import { createHash, timingSafeEqual } from 'node:crypto';

/** Shortest shared secret accepted for a service credential (the citizen platform, the metrics scraper). */
export const SERVICE_KEY_MIN_LENGTH = 32;

export class ServiceKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceKeyError';
  }
}

/**
 * A service's shared secrets from one setting: comma-separated, the first is the one the
 * service should use, the others are still accepted (rotation: add the new key in front,
 * switch the service over, then drop the old one). Unset or blank means none: the door
 * stays shut (fail closed). A short key is refused at start rather than accepted.
 */
export function parseServiceKeys(text: string | undefined, setting: string): string[] {
  const keys = (text ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  for (const [i, k] of keys.entries()) {
    if (k.length < SERVICE_KEY_MIN_LENGTH) {
      throw new ServiceKeyError(`${setting}: key ${i + 1} is shorter than ${SERVICE_KEY_MIN_LENGTH} characters; generate one with: openssl rand -base64 33`);
    }
  }
  return keys;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time match against every configured key (digests, so lengths leak nothing). */
export function serviceKeyMatches(given: unknown, keys: readonly string[]): boolean {
  if (typeof given !== 'string' || given === '' || keys.length === 0) return false;
  const mine = digest(given);
  let found = false;
  for (const key of keys) found = timingSafeEqual(mine, digest(key)) || found;
  return found;
}
