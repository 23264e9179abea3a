import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost N=2^15, r=8, p=1: 32 MiB and ~0.2 s per check on a 2-core hall server.
 * Stored with each hash, so raising it later keeps old hashes verifiable.
 */
const PRODUCTION_COST = { N: 32_768, r: 8, p: 1 };
let COST = PRODUCTION_COST;

/**
 * Test suites hash dozens of passwords; a cheap cost keeps them fast while exercising the
 * same code (verification reads the cost from the stored hash). Never call in production.
 */
export function usePasswordCostForTests(log2N: number): void {
  COST = { ...PRODUCTION_COST, N: 2 ** log2N };
  dummyHash = undefined;
}
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

/**
 * At most this many password hashes run at once (each holds 32 MiB and a libuv thread for
 * ~0.2 s); more wait in line, and beyond the line the caller is told the server is busy
 * instead of queueing without bound. The login limits keep honest load far below this.
 */
export const PASSWORD_HASHING = { concurrent: 4, queued: 64 } as const;

/** Too many password checks waiting: answered 503 with Retry-After, never queued for ever. */
export class PasswordHashingBusyError extends Error {
  constructor() {
    super('too many password checks in progress');
    this.name = 'PasswordHashingBusyError';
  }
}

let running = 0;
let peak = 0;
const waiting: (() => void)[] = [];

/** Highest number of hashes that ran at once since the last call (tests). */
export function takePeakPasswordHashing(): number {
  const value = peak;
  peak = running;
  return value;
}

async function withHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PASSWORD_HASHING.concurrent) {
    if (waiting.length >= PASSWORD_HASHING.queued) throw new PasswordHashingBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  peak = Math.max(peak, running);
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line (running stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return withHashingSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAX_MEM }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST, KEY_LENGTH);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  if (expected.length === 0) return false;
  const key = await derive(password, Buffer.from(saltText, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same work as a real check, so a login that does not exist answers no faster
 * than a wrong password (no user enumeration through timing).
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
}
