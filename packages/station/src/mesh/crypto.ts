import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { MeshKey, MeshKeyRing } from './types';

/**
 * One mesh datagram on the wire:
 *
 *   'H' 'M' | version (1) | kid length (1) | kid (utf8) | nonce (12) | ciphertext | GCM tag (16)
 *
 * The plaintext is the message JSON, deflated (raw) before sealing: compressing after
 * encryption gains nothing, and the form values inside must never cross the LAN in clear.
 * Everything before the nonce is authenticated as AAD, so the key id and version cannot be
 * swapped by someone on the LAN; the nonce is authenticated by GCM itself.
 */
export const MESH_FRAME_VERSION = 1;
const MAGIC = Buffer.from('HM', 'latin1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KID_BYTES = 64;
const KEY_BYTES = 32;

/** Largest datagram sent or accepted: below the 64 KiB UDP limit with room for IP/UDP headers. */
export const MESH_MAX_DATAGRAM = 60_000;
/**
 * Largest plaintext a frame may inflate to. Senders split before reaching it, so a frame
 * beyond it is a zip bomb (only a key holder can even get this far, but a buggy or
 * compromised station must not be able to exhaust a peer's memory).
 */
export const MESH_MAX_PLAINTEXT = 1024 * 1024;

export type FrameRefusal = 'malformed' | 'unknown_key' | 'bad_auth' | 'too_large';
export type OpenResult = { ok: true; plaintext: Buffer; kid: string } | { ok: false; refusal: FrameRefusal };

function assertKey(key: MeshKey): Buffer {
  if (key.key.length !== KEY_BYTES) throw new Error(`mesh key ${key.kid} must be ${KEY_BYTES} bytes`);
  const kid = Buffer.from(key.kid, 'utf8');
  if (kid.length < 1 || kid.length > MAX_KID_BYTES) throw new Error(`mesh key id must be 1–${MAX_KID_BYTES} bytes`);
  return kid;
}

function header(kid: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([MESH_FRAME_VERSION, kid.length]), kid]);
}

/**
 * Compresses and seals a plaintext with `key` and a fresh random nonce. Throws only on a
 * malformed key (the caller counts it); size limits are the caller's to check, because it
 * decides whether to split.
 */
export function sealFrame(key: MeshKey, plaintext: Buffer): Buffer {
  const aad = header(assertKey(key));
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(deflateRawSync(plaintext)), cipher.final()]);
  return Buffer.concat([aad, nonce, body, cipher.getAuthTag()]);
}

/** Authenticates, decrypts and inflates a frame; never throws, whatever the bytes. */
export function openFrame(ring: MeshKeyRing, datagram: Buffer): OpenResult {
  if (datagram.length > MESH_MAX_DATAGRAM || datagram.length < MAGIC.length + 2) return { ok: false, refusal: 'malformed' };
  if (!datagram.subarray(0, MAGIC.length).equals(MAGIC) || datagram[MAGIC.length] !== MESH_FRAME_VERSION) {
    return { ok: false, refusal: 'malformed' };
  }
  const kidLength = datagram[MAGIC.length + 1] ?? 0;
  const headerEnd = MAGIC.length + 2 + kidLength;
  if (kidLength < 1 || kidLength > MAX_KID_BYTES || datagram.length < headerEnd + NONCE_BYTES + TAG_BYTES) {
    return { ok: false, refusal: 'malformed' };
  }
  const kid = datagram.subarray(MAGIC.length + 2, headerEnd).toString('utf8');
  const key = ring.accepted.find((k) => k.kid === kid && k.key.length === KEY_BYTES);
  if (!key) return { ok: false, refusal: 'unknown_key' };
  let compressed: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, datagram.subarray(headerEnd, headerEnd + NONCE_BYTES));
    decipher.setAAD(datagram.subarray(0, headerEnd));
    decipher.setAuthTag(datagram.subarray(datagram.length - TAG_BYTES));
    compressed = Buffer.concat([decipher.update(datagram.subarray(headerEnd + NONCE_BYTES, datagram.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return { ok: false, refusal: 'bad_auth' };
  }
  try {
    return { ok: true, plaintext: inflateRawSync(compressed, { maxOutputLength: MESH_MAX_PLAINTEXT }), kid };
  } catch (error) {
    // Authentic but over the bound (zip bomb), or not deflate data at all: refused either way.
    const code = (error as { code?: unknown }).code;
    return { ok: false, refusal: code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'malformed' };
  }
}
