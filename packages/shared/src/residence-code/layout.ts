import { decodeBase64Url, encodeBase64Url } from './base64url';
import { ByteReader, ByteWriter } from './bytes';
import { SEALED_OVERHEAD_BYTES } from './personal';

/**
 * Signed codes shown as QR: residence codes (the citizen's dynamic identity code),
 * deposit codes (存件码, printed at the counter) and staff codes (a clerk's short-lived
 * authorisation at a locker). One binary layout, signed by the central API with Ed25519:
 *
 *   version u8 | kind u8 | kid 8 | issuedAt u32 | expiresAt u32 | nonce 12 | body… | signature 64
 *
 * The kind is inside the signed bytes, so a signature made for one kind never passes as
 * another even though the text prefixes differ.
 */
export const CODE_VERSION = 1;
export const KID_BYTES = 8;
export const NONCE_BYTES = 12;
export const SUBJECT_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const ID_CHECK_SALT_BYTES = 16;
export const ID_CHECK_HASH_BYTES = 32;
/** Longest text accepted before decoding: a QR scanner line, not a document. */
export const MAX_CODE_CHARS = 1024;

export const CODE_KINDS = { residence: 1, deposit: 2, staff: 3 } as const;
export type CodeKind = keyof typeof CODE_KINDS;

export const CODE_PREFIXES: Record<CodeKind, string> = { residence: 'HRC1.', deposit: 'HDC1.', staff: 'HSC1.' };

/** Compartment sizes, smallest first; the order is the one the fitting rule uses. */
export const COMPARTMENT_SIZES = ['small', 'medium', 'large'] as const;
export type CompartmentSize = (typeof COMPARTMENT_SIZES)[number];

export const STAFF_PURPOSES = ['return_unclaimed', 'maintenance'] as const;
export type StaffPurpose = (typeof STAFF_PURPOSES)[number];

interface Header {
  /** Hex of the 8-byte key id. */
  kid: string;
  /** Unix seconds. */
  issuedAt: number;
  expiresAt: number;
  /** Hex of the 12-byte nonce. */
  nonce: string;
}

export interface ResidenceBody {
  kind: 'residence';
  /** HMAC of the ID number under the central API's citizen key: names a person, reveals no number. */
  subject: Uint8Array;
  /**
   * The citizen's name, ID number and address sealed to the city's stations (personal.ts),
   * after the subject up to the signature; absent from codes issued without them.
   */
  sealed?: Uint8Array;
}

export interface DepositBody {
  kind: 'deposit';
  parcelId: string;
  hallId: string;
  caseNumber: string;
  size: CompartmentSize;
  /** The recipient's residence-code subject, so a residence code finds the parcel offline. */
  subject: Uint8Array;
  /** Fallback check of an ID card read at the locker: SHA-256(salt ‖ ID number). */
  idCheckSalt: Uint8Array;
  idCheckHash: Uint8Array;
  /** For the clerk's screen only (张*三). */
  maskedName: string;
}

export interface StaffBody {
  kind: 'staff';
  staffId: string;
  hallId: string;
  purpose: StaffPurpose;
}

export type CodeBody = ResidenceBody | DepositBody | StaffBody;
export type CodePayload = Header & CodeBody;

export interface DecodedCode {
  payload: CodePayload;
  /** The bytes the signature covers. */
  signed: Uint8Array;
  signature: Uint8Array;
}

export type DecodeFailure = 'malformed' | 'unsupported_version';

function hexOf(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function bytesOfHex(hex: string, length: number, what: string): Uint8Array {
  if (!new RegExp(`^[0-9a-f]{${length * 2}}$`).test(hex)) throw new RangeError(`${what} must be ${length} bytes of lowercase hex`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The bytes to sign for a payload (everything but the signature). */
export function encodeCodePayload(payload: CodePayload): Uint8Array {
  const w = new ByteWriter()
    .u8(CODE_VERSION)
    .u8(CODE_KINDS[payload.kind])
    .fixed(bytesOfHex(payload.kid, KID_BYTES, 'kid'), KID_BYTES)
    .u32(payload.issuedAt)
    .u32(payload.expiresAt)
    .fixed(bytesOfHex(payload.nonce, NONCE_BYTES, 'nonce'), NONCE_BYTES);
  switch (payload.kind) {
    case 'residence':
      w.fixed(payload.subject, SUBJECT_BYTES);
      if (payload.sealed) w.fixed(payload.sealed, payload.sealed.length);
      break;
    case 'deposit':
      w.text(payload.parcelId)
        .text(payload.hallId)
        .text(payload.caseNumber)
        .u8(COMPARTMENT_SIZES.indexOf(payload.size))
        .fixed(payload.subject, SUBJECT_BYTES)
        .fixed(payload.idCheckSalt, ID_CHECK_SALT_BYTES)
        .fixed(payload.idCheckHash, ID_CHECK_HASH_BYTES)
        .text(payload.maskedName);
      break;
    case 'staff':
      w.text(payload.staffId).text(payload.hallId).u8(STAFF_PURPOSES.indexOf(payload.purpose));
      break;
  }
  return w.bytes();
}

/** The text to put in the QR: prefix + base64url(signed bytes ‖ signature). */
export function formatCode(kind: CodeKind, signed: Uint8Array, signature: Uint8Array): string {
  if (signature.length !== SIGNATURE_BYTES) throw new RangeError('an Ed25519 signature is 64 bytes');
  const all = new Uint8Array(signed.length + signature.length);
  all.set(signed);
  all.set(signature, signed.length);
  return CODE_PREFIXES[kind] + encodeBase64Url(all);
}

function kindOfPrefix(text: string): CodeKind | undefined {
  for (const kind of Object.keys(CODE_PREFIXES) as CodeKind[]) if (text.startsWith(CODE_PREFIXES[kind])) return kind;
  return undefined;
}

/** Which kind of code a scanned line claims to be, before any checking (routes a scan). */
export function claimedCodeKind(text: string): CodeKind | undefined {
  // A counter's delegated deposit code (see delegation.ts) is a deposit code in an envelope.
  if (text.trim().startsWith('HDD1.')) return 'deposit';
  return kindOfPrefix(text.trim());
}

function readBody(kind: CodeKind, r: ByteReader): CodeBody | undefined {
  switch (kind) {
    case 'residence': {
      const subject = r.fixed(SUBJECT_BYTES);
      if (!subject) return undefined;
      if (r.remaining === 0) return { kind, subject };
      // Whatever follows the subject is the sealed block; too short to hold one is malformed.
      if (r.remaining <= SEALED_OVERHEAD_BYTES) return undefined;
      return { kind, subject, sealed: r.fixed(r.remaining)! };
    }
    case 'deposit': {
      const parcelId = r.text();
      const hallId = r.text();
      const caseNumber = r.text();
      const sizeIndex = r.u8();
      const subject = r.fixed(SUBJECT_BYTES);
      const idCheckSalt = r.fixed(ID_CHECK_SALT_BYTES);
      const idCheckHash = r.fixed(ID_CHECK_HASH_BYTES);
      const maskedName = r.text();
      const size = sizeIndex === undefined ? undefined : COMPARTMENT_SIZES[sizeIndex];
      if (!parcelId || !hallId || caseNumber === undefined || !size || !subject || !idCheckSalt || !idCheckHash || maskedName === undefined) {
        return undefined;
      }
      return { kind, parcelId, hallId, caseNumber, size, subject, idCheckSalt, idCheckHash, maskedName };
    }
    case 'staff': {
      const staffId = r.text();
      const hallId = r.text();
      const purposeIndex = r.u8();
      const purpose = purposeIndex === undefined ? undefined : STAFF_PURPOSES[purposeIndex];
      if (!staffId || !hallId || !purpose) return undefined;
      return { kind, staffId, hallId, purpose };
    }
  }
}

/**
 * Parses a scanned line into its payload, signed bytes and signature. Never throws: any
 * input that is not exactly a well-formed code of a known kind is a failure.
 */
export function decodeCode(text: unknown): { ok: true; code: DecodedCode } | { ok: false; reason: DecodeFailure } {
  if (typeof text !== 'string' || text.length > MAX_CODE_CHARS) return { ok: false, reason: 'malformed' };
  const trimmed = text.trim();
  const kind = kindOfPrefix(trimmed);
  if (!kind) {
    return /^H[RDS]C\d+\./.test(trimmed) ? { ok: false, reason: 'unsupported_version' } : { ok: false, reason: 'malformed' };
  }
  const bytes = decodeBase64Url(trimmed.slice(CODE_PREFIXES[kind].length));
  if (!bytes || bytes.length < SIGNATURE_BYTES + 2) return { ok: false, reason: 'malformed' };
  const signed = bytes.slice(0, bytes.length - SIGNATURE_BYTES);
  const signature = bytes.slice(bytes.length - SIGNATURE_BYTES);
  const r = new ByteReader(signed);
  const version = r.u8();
  if (version !== CODE_VERSION) return { ok: false, reason: 'unsupported_version' };
  if (r.u8() !== CODE_KINDS[kind]) return { ok: false, reason: 'malformed' };
  const kid = r.fixed(KID_BYTES);
  const issuedAt = r.u32();
  const expiresAt = r.u32();
  const nonce = r.fixed(NONCE_BYTES);
  if (!kid || issuedAt === undefined || expiresAt === undefined || !nonce) return { ok: false, reason: 'malformed' };
  const body = readBody(kind, r);
  // Trailing bytes would make two different texts carry one signature.
  if (!body || r.remaining !== 0) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    code: { payload: { kid: hexOf(kid), issuedAt, expiresAt, nonce: hexOf(nonce), ...body }, signed, signature },
  };
}
