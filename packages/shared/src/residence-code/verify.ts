import { decodeBase64Url } from './base64url';
import type { KeySet } from './keySet';
import { decodeCode, type CodeKind, type CodePayload, type DepositBody, type ResidenceBody, type StaffBody } from './layout';

/** Why a code was refused; each has a message for the screen in both languages. */
export type CodeRefusal =
  | 'malformed'
  | 'unsupported_version'
  | 'wrong_kind'
  | 'unknown_key'
  | 'forged'
  | 'expired'
  | 'not_yet_valid'
  | 'replayed'
  | 'wrong_hall';

export const CODE_REFUSAL_MESSAGES: Record<CodeRefusal, { zh: string; en: string }> = {
  malformed: { zh: '无法识别此二维码，请出示正确的码', en: 'This code cannot be read. Please show a valid code.' },
  unsupported_version: { zh: '此码版本不受支持，请刷新后重试', en: 'This code version is not supported. Please refresh it.' },
  wrong_kind: { zh: '此处不接受这种码', en: 'This kind of code is not accepted here.' },
  unknown_key: { zh: '无法验证此码的签发机构，请刷新后重试或到窗口咨询', en: 'The issuer of this code is not known here. Refresh it or ask at a counter.' },
  forged: { zh: '此码验证失败，不是有效的码', en: 'This code failed verification and is not valid.' },
  expired: { zh: '此码已过期，请刷新后重新出示', en: 'This code has expired. Please refresh and show it again.' },
  not_yet_valid: { zh: '此码尚未生效，请核对手机时间后重试', en: 'This code is not valid yet. Check the time on your phone.' },
  replayed: { zh: '此码已使用过，请刷新后重新出示', en: 'This code was already used. Please refresh and show a new one.' },
  wrong_hall: { zh: '此码不属于本大厅', en: 'This code belongs to another hall.' },
};

/** Longest lifetime a code of each kind may claim; anything longer is refused as forged policy. */
export const MAX_LIFETIME_SECONDS: Record<CodeKind, number> = {
  residence: 10 * 60,
  deposit: 30 * 24 * 3600,
  staff: 60 * 60,
};

/** Tolerated clock difference between the issuer and this station. */
export const CLOCK_SKEW_SECONDS = 30;

export type SignatureCheck = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface VerifyOptions {
  keySet: KeySet | undefined;
  nowMs: number;
  expect: CodeKind;
  checkSignature: SignatureCheck;
  /**
   * Records the nonce and answers whether it was new. Called last, only for an otherwise
   * valid code, so a forged code cannot burn a real one's nonce.
   */
  claimNonce?: (nonce: string, expiresAtMs: number) => boolean;
  /** For deposit and staff codes: the station's hall. */
  hallId?: string;
}

export type VerifiedCode<K extends CodeKind> = CodePayload &
  (K extends 'residence' ? ResidenceBody : K extends 'deposit' ? DepositBody : StaffBody);

export type VerifyResult<K extends CodeKind> = { ok: true; payload: VerifiedCode<K> } | { ok: false; reason: CodeRefusal };

/**
 * Offline verification of a scanned code against a cached key set. Order matters: the
 * signature is checked before any claim inside the code is believed, and replay is
 * checked last.
 */
export function verifyCode<K extends CodeKind>(text: unknown, options: VerifyOptions & { expect: K }): VerifyResult<K> {
  const decoded = decodeCode(text);
  if (!decoded.ok) return decoded;
  const { payload, signed, signature } = decoded.code;
  if (payload.kind !== options.expect) return { ok: false, reason: 'wrong_kind' };
  const key = options.keySet?.keys.find((k) => k.kid === payload.kid);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const publicKey = decodeBase64Url(key.publicKey);
  let valid = false;
  try {
    valid = publicKey !== undefined && options.checkSignature(publicKey, signed, signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'forged' };
  const now = Math.floor(options.nowMs / 1000);
  const issuedAtMs = payload.issuedAt * 1000;
  // A key signs only inside its window and is trusted only until verifyUntil.
  if (issuedAtMs < Date.parse(key.signFrom) - CLOCK_SKEW_SECONDS * 1000 || issuedAtMs >= Date.parse(key.signUntil) + CLOCK_SKEW_SECONDS * 1000) {
    return { ok: false, reason: 'forged' };
  }
  if (payload.expiresAt <= payload.issuedAt || payload.expiresAt - payload.issuedAt > MAX_LIFETIME_SECONDS[payload.kind]) {
    return { ok: false, reason: 'forged' };
  }
  if (payload.issuedAt > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'not_yet_valid' };
  if (now > payload.expiresAt + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'expired' };
  if (options.nowMs >= Date.parse(key.verifyUntil)) return { ok: false, reason: 'unknown_key' };
  if ((payload.kind === 'deposit' || payload.kind === 'staff') && options.hallId !== undefined && payload.hallId !== options.hallId) {
    return { ok: false, reason: 'wrong_hall' };
  }
  if (options.claimNonce && !options.claimNonce(payload.nonce, (payload.expiresAt + CLOCK_SKEW_SECONDS) * 1000)) {
    return { ok: false, reason: 'replayed' };
  }
  return { ok: true, payload: payload as VerifiedCode<K> };
}
