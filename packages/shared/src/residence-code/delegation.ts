import { decodeBase64Url, encodeBase64Url } from './base64url';
import { ByteReader, ByteWriter, bytesToHex, hexToBytes } from './bytes';
import { CODE_PREFIXES, CODE_VERSION, KID_BYTES, SIGNATURE_BYTES, decodeCode, formatCode, type DecodedCode, type DecodeFailure } from './layout';

/**
 * Delegated deposit codes: a counter prints a 存件码 while the central API is away.
 *
 * While online, a counter station gets a **delegation certificate** from the central API:
 * the counter's own Ed25519 public key (its private key never leaves the counter), bound to
 * its hall and device and valid for a short window, signed by the city's code-signing key
 * (the key set every locker already trusts). Offline the counter signs an ordinary deposit
 * code with its own key and prints it inside an envelope that carries the certificate:
 *
 *   "HDD1." base64url( certLen u16 | certificate | sealedLen u8 | sealed phone | deposit code bytes )
 *
 *   certificate = version u8 | kind u8 (4) | kid 8 | issuedAt u32 | expiresAt u32 |
 *                 hallId text | deviceId text | delegatedKid 8 | publicKey 32 | signature 64
 *
 * The certificate's kind byte (4) is none of the code kinds, so a certificate signature never
 * passes as a code and a code's never as a certificate. The deposit code inside is the
 * existing layout (kid = the delegated key id) and carries nothing more about the citizen;
 * the mobile number the pickup SMS goes to travels sealed (AES-256-GCM) under a key only the
 * counter and the central API hold, so the locker forwards it without reading it.
 */
export const DELEGATED_DEPOSIT_PREFIX = 'HDD1.';
export const DELEGATION_CERT_KIND = 4;
export const PUBLIC_KEY_BYTES = 32;
/** A certificate lets its key sign for at most this long (the central API gives 2 days). */
export const MAX_DELEGATION_SECONDS = 3 * 24 * 3600;
/** A delegated deposit code lives at most a week, like the central API's own. */
export const MAX_DELEGATED_DEPOSIT_SECONDS = 7 * 24 * 3600;
/** IV 12 + an 11-digit number + tag 16, with room to spare. */
export const MAX_SEALED_PHONE_BYTES = 96;
/** A delegated code carries a certificate, so it may be longer than a plain one. */
export const MAX_DELEGATED_CODE_CHARS = 1400;

export interface DelegationCert {
  /** Hex of the city key that signed the certificate. */
  kid: string;
  /** Unix seconds: the delegated key signs codes issued within [issuedAt, expiresAt). */
  issuedAt: number;
  expiresAt: number;
  hallId: string;
  /** The counter station the key belongs to. */
  deviceId: string;
  /** Hex of the delegated key's id (the kid of the codes it signs). */
  delegatedKid: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export interface DecodedDelegationCert {
  payload: DelegationCert;
  signed: Uint8Array;
  signature: Uint8Array;
}

function fixedHex(hex: string, length: number, what: string): Uint8Array {
  const bytes = hexToBytes(hex);
  if (!bytes || bytes.length !== length || hex !== hex.toLowerCase()) throw new RangeError(`${what} must be ${length} bytes of lowercase hex`);
  return bytes;
}

/** The bytes the city key signs for a certificate. */
export function encodeDelegationCert(cert: DelegationCert): Uint8Array {
  return new ByteWriter()
    .u8(CODE_VERSION)
    .u8(DELEGATION_CERT_KIND)
    .fixed(fixedHex(cert.kid, KID_BYTES, 'kid'), KID_BYTES)
    .u32(cert.issuedAt)
    .u32(cert.expiresAt)
    .text(cert.hallId)
    .text(cert.deviceId)
    .fixed(fixedHex(cert.delegatedKid, KID_BYTES, 'delegatedKid'), KID_BYTES)
    .fixed(cert.publicKey, PUBLIC_KEY_BYTES)
    .bytes();
}

/** A certificate as the central API hands it to the counter: base64url(signed ‖ signature). */
export function formatDelegationCert(signed: Uint8Array, signature: Uint8Array): string {
  if (signature.length !== SIGNATURE_BYTES) throw new RangeError('an Ed25519 signature is 64 bytes');
  const all = new Uint8Array(signed.length + signature.length);
  all.set(signed);
  all.set(signature, signed.length);
  return encodeBase64Url(all);
}

/** Parses a certificate as the central API hands it over; undefined unless exactly one well-formed certificate. */
export function decodeDelegationCert(text: string): DecodedDelegationCert | undefined {
  const bytes = decodeBase64Url(text);
  if (!bytes || bytes.length <= SIGNATURE_BYTES) return undefined;
  const signed = bytes.slice(0, bytes.length - SIGNATURE_BYTES);
  const r = new ByteReader(signed);
  if (r.u8() !== CODE_VERSION || r.u8() !== DELEGATION_CERT_KIND) return undefined;
  const kid = r.fixed(KID_BYTES);
  const issuedAt = r.u32();
  const expiresAt = r.u32();
  const hallId = r.text();
  const deviceId = r.text();
  const delegatedKid = r.fixed(KID_BYTES);
  const publicKey = r.fixed(PUBLIC_KEY_BYTES);
  if (!kid || issuedAt === undefined || expiresAt === undefined || !hallId || !deviceId || !delegatedKid || !publicKey || r.remaining !== 0) return undefined;
  return {
    payload: { kid: bytesToHex(kid), issuedAt, expiresAt, hallId, deviceId, delegatedKid: bytesToHex(delegatedKid), publicKey },
    signed,
    signature: bytes.slice(bytes.length - SIGNATURE_BYTES),
  };
}

/** The printed text of a delegated deposit code. */
export function formatDelegatedDeposit(parts: { certificate: string; sealedPhone: Uint8Array; code: string }): string {
  const cert = decodeBase64Url(parts.certificate);
  if (!cert || !decodeDelegationCert(parts.certificate)) throw new RangeError('not a delegation certificate');
  if (!parts.code.startsWith(CODE_PREFIXES.deposit)) throw new RangeError('not a deposit code');
  const code = decodeBase64Url(parts.code.slice(CODE_PREFIXES.deposit.length));
  if (!code) throw new RangeError('not a deposit code');
  if (parts.sealedPhone.length === 0 || parts.sealedPhone.length > MAX_SEALED_PHONE_BYTES) throw new RangeError('sealed phone out of range');
  const all = new Uint8Array(2 + cert.length + 1 + parts.sealedPhone.length + code.length);
  all[0] = cert.length >> 8;
  all[1] = cert.length & 0xff;
  all.set(cert, 2);
  all[2 + cert.length] = parts.sealedPhone.length;
  all.set(parts.sealedPhone, 3 + cert.length);
  all.set(code, 3 + cert.length + parts.sealedPhone.length);
  return DELEGATED_DEPOSIT_PREFIX + encodeBase64Url(all);
}

export interface DecodedDelegatedDeposit {
  cert: DecodedDelegationCert;
  sealedPhone: Uint8Array;
  /** The deposit code inside, as its own text (HDC1.…) and decoded. */
  codeText: string;
  code: DecodedCode;
}

export function isDelegatedDepositText(text: unknown): text is string {
  return typeof text === 'string' && text.trim().startsWith(DELEGATED_DEPOSIT_PREFIX);
}

/** Parses a delegated deposit code; never throws. */
export function decodeDelegatedDeposit(text: unknown): { ok: true; code: DecodedDelegatedDeposit } | { ok: false; reason: DecodeFailure } {
  if (typeof text !== 'string' || text.length > MAX_DELEGATED_CODE_CHARS) return { ok: false, reason: 'malformed' };
  const trimmed = text.trim();
  if (!trimmed.startsWith(DELEGATED_DEPOSIT_PREFIX)) return { ok: false, reason: 'malformed' };
  const bytes = decodeBase64Url(trimmed.slice(DELEGATED_DEPOSIT_PREFIX.length));
  if (!bytes || bytes.length < 3) return { ok: false, reason: 'malformed' };
  const certLength = (bytes[0]! << 8) | bytes[1]!;
  if (bytes.length < 3 + certLength) return { ok: false, reason: 'malformed' };
  const certBytes = bytes.slice(2, 2 + certLength);
  const cert = decodeDelegationCert(encodeBase64Url(certBytes));
  if (!cert) return { ok: false, reason: 'malformed' };
  const sealedLength = bytes[2 + certLength]!;
  const sealedStart = 3 + certLength;
  if (sealedLength === 0 || bytes.length < sealedStart + sealedLength) return { ok: false, reason: 'malformed' };
  const sealedPhone = bytes.slice(sealedStart, sealedStart + sealedLength);
  const codeText = formatCode('deposit', bytes.slice(sealedStart + sealedLength, bytes.length - SIGNATURE_BYTES), bytes.slice(bytes.length - SIGNATURE_BYTES));
  const code = decodeCode(codeText);
  if (!code.ok) return code;
  if (code.code.payload.kind !== 'deposit') return { ok: false, reason: 'malformed' };
  return { ok: true, code: { cert, sealedPhone, codeText, code: code.code } };
}

/** Additional data binding a sealed phone to its parcel and delegated key (AES-GCM AAD). */
export function sealedPhoneContext(parcelId: string, delegatedKid: string): string {
  return `hall-deposit-phone:v1:${parcelId}:${delegatedKid}`;
}
