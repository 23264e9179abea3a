import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Prefix of every sealed value: format version, then the key id, then iv | ciphertext | tag. */
const PREFIX = 'hk1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** A data key the configuration does not hold, or a value that fails authentication. */
export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyError';
  }
}

export interface DataKey {
  id: string;
  key: Buffer;
}

/**
 * The data-encryption keys of the central API. Values are sealed with AES-256-GCM under
 * the active (first) key; the key id travels in each value, so after a rotation rows
 * sealed under an older key still open while that key stays configured. `context`
 * (table, column, row) is authenticated data: a value copied into another row or column
 * does not open there.
 */
export class DataKeyring {
  readonly #keys: Map<string, Buffer>;
  readonly active: string;

  constructor(keys: readonly DataKey[]) {
    const first = keys[0];
    if (!first) throw new DataKeyError('no data-encryption key configured');
    this.#keys = new Map();
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) throw new DataKeyError(`data key id "${k.id}" must be 1-32 letters, digits, "-" or "_"`);
      if (k.key.length !== 32) throw new DataKeyError(`data key "${k.id}" must be 32 bytes (base64 of 32 random bytes), got ${k.key.length}`);
      if (this.#keys.has(k.id)) throw new DataKeyError(`data key "${k.id}" is configured twice`);
      this.#keys.set(k.id, k.key);
    }
    this.active = first.id;
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.active)!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.active}.${body.toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const parts = sealedParts(sealed);
    if (!parts) throw new DataKeyError(`${context}: not a sealed value`);
    const key = this.#keys.get(parts.kid);
    if (!key) throw new DataKeyError(`${context}: sealed under data key "${parts.kid}", which is not configured (HALL_DATA_KEYS)`);
    const body = Buffer.from(parts.body, 'base64url');
    if (body.length < IV_BYTES + TAG_BYTES) throw new DataKeyError(`${context}: sealed value is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DataKeyError(`${context}: sealed value fails authentication (tampered, moved from another row, or a different key named "${parts.kid}")`);
    }
  }
}

export function sealedParts(value: string): { kid: string; body: string } | undefined {
  const match = /^hk1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]+)$/.exec(value);
  return match ? { kid: match[1]!, body: match[2]! } : undefined;
}

export function isSealed(value: string): boolean {
  return sealedParts(value) !== undefined;
}

/** Sealed values start with this; a LIKE pattern finds rows under other keys or in plain text. */
export function sealedPrefix(kid: string): string {
  return `${PREFIX}.${kid}.`;
}

/**
 * Parses "id:base64key" entries separated by commas or newlines (first = active), as in
 * HALL_DATA_KEYS or the key file. Blank lines and lines starting with "#" are ignored.
 */
export function parseDataKeys(text: string, source: string): DataKey[] {
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (entries.length === 0) throw new DataKeyError(`${source}: no data key (expected "id:base64key")`);
  return entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon < 1) throw new DataKeyError(`${source}: entry ${i + 1} is not "id:base64key"`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new DataKeyError(`${source}: key "${id}" is not base64`);
    return { id, key: Buffer.from(encoded, 'base64') };
  });
}

export function newDataKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
