import { z } from 'zod';
import { decodeBase64Url } from './base64url';
import { ByteReader, ByteWriter, bytesToHex } from './bytes';

/**
 * 码上填表: a residence code carries the citizen's name, ID number and address so a kiosk or
 * counter fills its form from a scan, online or not. They travel sealed (AES-256-GCM) under a
 * "residence-code data key" that only the city's enrolled kiosks and counters hold, so the QR
 * shows nothing readable to a phone camera or a photo of the screen. The sealed block sits
 * inside the signed bytes, and the AEAD binds it to the code's header (signing key, times,
 * nonce), so it can neither be swapped into another code nor outlive its own.
 *
 *   dataKid 4 | iv 12 | ciphertext… | tag 16      (plaintext: version u8 | name | idNumber | address | phone, each text)
 *
 * Only the layout lives here (shared has no crypto); stations and the central API seal and
 * open with node:crypto.
 */
export const DATA_KID_BYTES = 4;
export const SEAL_IV_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
export const SEALED_OVERHEAD_BYTES = DATA_KID_BYTES + SEAL_IV_BYTES + SEAL_TAG_BYTES;
const FIELDS_VERSION = 1;

/** Field limits keep a code within a QR a phone shows and a kiosk scanner reads at arm's length. */
export const RESIDENCE_FIELD_LIMITS = { name: 30, address: 60, phone: 20 } as const;

export interface ResidenceFields {
  name: string;
  idNumber: string;
  address: string;
  phone?: string;
}

export function encodeResidenceFields(fields: ResidenceFields): Uint8Array {
  return new ByteWriter().u8(FIELDS_VERSION).text(fields.name).text(fields.idNumber).text(fields.address).text(fields.phone ?? '').bytes();
}

export function decodeResidenceFields(bytes: Uint8Array): ResidenceFields | undefined {
  const r = new ByteReader(bytes);
  if (r.u8() !== FIELDS_VERSION) return undefined;
  const name = r.text();
  const idNumber = r.text();
  const address = r.text();
  const phone = r.text();
  if (name === undefined || idNumber === undefined || address === undefined || phone === undefined || r.remaining !== 0) return undefined;
  return { name, idNumber, address, ...(phone ? { phone } : {}) };
}

export interface SealedParts {
  /** Hex of the 4-byte data key id. */
  dataKid: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

export function joinSealed(parts: SealedParts): Uint8Array {
  const kid = decodeHex(parts.dataKid, DATA_KID_BYTES);
  if (!kid || parts.iv.length !== SEAL_IV_BYTES || parts.tag.length !== SEAL_TAG_BYTES) throw new RangeError('sealed residence fields: bad key id, iv or tag');
  const out = new Uint8Array(DATA_KID_BYTES + SEAL_IV_BYTES + parts.ciphertext.length + SEAL_TAG_BYTES);
  out.set(kid);
  out.set(parts.iv, DATA_KID_BYTES);
  out.set(parts.ciphertext, DATA_KID_BYTES + SEAL_IV_BYTES);
  out.set(parts.tag, out.length - SEAL_TAG_BYTES);
  return out;
}

export function splitSealed(sealed: Uint8Array): SealedParts | undefined {
  if (sealed.length <= SEALED_OVERHEAD_BYTES) return undefined;
  return {
    dataKid: bytesToHex(sealed.slice(0, DATA_KID_BYTES)),
    iv: sealed.slice(DATA_KID_BYTES, DATA_KID_BYTES + SEAL_IV_BYTES),
    ciphertext: sealed.slice(DATA_KID_BYTES + SEAL_IV_BYTES, sealed.length - SEAL_TAG_BYTES),
    tag: sealed.slice(sealed.length - SEAL_TAG_BYTES),
  };
}

/**
 * Associated data of the seal: the code's header as the signature covers it (version, kind,
 * signing kid, issuedAt, expiresAt, nonce) — the first bytes of the signed payload.
 */
export const SEAL_AAD_BYTES = 1 + 1 + 8 + 4 + 4 + 12;

function decodeHex(hex: string, length: number): Uint8Array | undefined {
  if (!new RegExp(`^[0-9a-f]{${length * 2}}$`).test(hex)) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The data keys as the central API hands them to kiosks and counters (device credential only).
 * Each seals codes issued in [sealFrom, sealUntil); the next key is handed out a period early
 * and a retired one kept until openUntil, so a station that synced once a period opens every
 * code a citizen can show it.
 */
export const DataKeySchema = z.object({
  kid: z.string().regex(/^[0-9a-f]{8}$/, 'data kid is 4 bytes of lowercase hex'),
  /** Raw 32-byte AES-256 key, base64url. */
  key: z.string().refine((v) => decodeBase64Url(v)?.length === 32, 'key is 32 bytes of base64url'),
  sealFrom: z.string().datetime({ offset: true }),
  sealUntil: z.string().datetime({ offset: true }),
  openUntil: z.string().datetime({ offset: true }),
});
export type DataKey = z.infer<typeof DataKeySchema>;

export const DataKeyRingSchema = z.object({
  keys: z.array(DataKeySchema).max(8),
  generatedAt: z.string().datetime({ offset: true }),
});
export type DataKeyRing = z.infer<typeof DataKeyRingSchema>;

/** Why sealed fields were not opened (the code itself may still be valid: the citizen is identified, the form is typed). */
export type OpenFailure = 'absent' | 'unknown_data_key' | 'tampered';
