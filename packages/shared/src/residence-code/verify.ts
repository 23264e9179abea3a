import { decodeBase64Url, encodeBase64Url } from './base64url';
import { decodeDelegatedDeposit, isDelegatedDepositText, MAX_DELEGATED_DEPOSIT_SECONDS, MAX_DELEGATION_SECONDS } from './delegation';
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
  | 'wrong_hall'
  // Delegated deposit codes (printed by a counter while the central API was away):
  | 'certificate_invalid'
  | 'certificate_expired'
  | 'certificate_wrong_hall';

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
  certificate_invalid: {
    zh: '此存件码的窗口签发证书无效，请回窗口重新打印',
    en: "The counter's certificate on this deposit code is not valid. Reprint the code at a counter.",
  },
  certificate_expired: {
    zh: '此存件码签发时窗口证书已过期，请回窗口重新打印',
    en: "The counter's certificate had expired when this deposit code was made. Reprint the code at a counter.",
  },
  certificate_wrong_hall: { zh: '此存件码由其他大厅的窗口签发', en: 'This deposit code was made by a counter of another hall.' },
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

/** Who signed a delegated deposit code (a counter station, under a certificate from the central API). */
export interface DelegatedIssuer {
  deviceId: string;
  hallId: string;
  delegatedKid: string;
  /** The mobile number for the pickup SMS, sealed for the central API (the locker cannot read it). */
  sealedPhone: Uint8Array;
}

export type VerifyResult<K extends CodeKind> = { ok: true; payload: VerifiedCode<K>; delegated?: DelegatedIssuer } | { ok: false; reason: CodeRefusal };

/**
 * Offline verification of a scanned code against a cached key set. Order matters: the
 * signature is checked before any claim inside the code is believed, and replay is
 * checked last.
 */
export function verifyCode<K extends CodeKind>(text: unknown, options: VerifyOptions & { expect: K }): VerifyResult<K> {
  if (isDelegatedDepositText(text)) {
    if (options.expect !== 'deposit') return { ok: false, reason: 'wrong_kind' };
    return verifyDelegatedDeposit(text, options) as VerifyResult<K>;
  }
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

function checked(check: SignatureCheck, publicKey: Uint8Array | undefined, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return publicKey !== undefined && check(publicKey, message, signature);
  } catch {
    return false;
  }
}

/**
 * A deposit code a counter signed with its delegated key. The certificate is checked first,
 * against the city keys the station already trusts (signature, the city key's window, the
 * certificate's lifetime, its hall), then the code with the certificate's key, then the
 * code's own rules exactly as for a central code (lifetime, expiry, hall, replay last).
 */
export function verifyDelegatedDeposit(text: string, options: VerifyOptions): VerifyResult<'deposit'> {
  const decoded = decodeDelegatedDeposit(text);
  if (!decoded.ok) return decoded;
  const { cert, sealedPhone, codeText, code } = decoded.code;
  const c = cert.payload;
  const cityKey = options.keySet?.keys.find((k) => k.kid === c.kid);
  if (!cityKey || !checked(options.checkSignature, decodeBase64Url(cityKey.publicKey), cert.signed, cert.signature)) {
    return { ok: false, reason: 'certificate_invalid' };
  }
  const skewMs = CLOCK_SKEW_SECONDS * 1000;
  if (
    c.issuedAt * 1000 < Date.parse(cityKey.signFrom) - skewMs ||
    c.issuedAt * 1000 >= Date.parse(cityKey.signUntil) + skewMs ||
    options.nowMs >= Date.parse(cityKey.verifyUntil) ||
    c.expiresAt <= c.issuedAt ||
    c.expiresAt - c.issuedAt > MAX_DELEGATION_SECONDS
  ) {
    return { ok: false, reason: 'certificate_invalid' };
  }
  if (options.hallId !== undefined && c.hallId !== options.hallId) return { ok: false, reason: 'certificate_wrong_hall' };
  const payload = code.payload;
  // The code must be signed by the key the certificate names, and by nothing else.
  if (payload.kid !== c.delegatedKid) return { ok: false, reason: 'certificate_invalid' };
  if (!checked(options.checkSignature, c.publicKey, code.signed, code.signature)) return { ok: false, reason: 'forged' };
  if (payload.kind !== 'deposit' || payload.hallId !== c.hallId) return { ok: false, reason: 'wrong_hall' };
  if (payload.issuedAt < c.issuedAt - CLOCK_SKEW_SECONDS) return { ok: false, reason: 'forged' };
  if (payload.issuedAt >= c.expiresAt + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'certificate_expired' };
  if (payload.expiresAt - payload.issuedAt > MAX_DELEGATED_DEPOSIT_SECONDS) return { ok: false, reason: 'forged' };
  // The rest (lifetime, validity now, hall, replay) exactly as for a central code, with the
  // certificate's key as the only key and its window as the signing window.
  const inner = verifyCode(codeText, {
    ...options,
    expect: 'deposit',
    keySet: {
      issuer: `delegation:${c.deviceId}`,
      generatedAt: new Date(c.issuedAt * 1000).toISOString(),
      keys: [
        {
          kid: c.delegatedKid,
          publicKey: encodeBase64Url(c.publicKey),
          signFrom: new Date(c.issuedAt * 1000).toISOString(),
          signUntil: new Date(c.expiresAt * 1000).toISOString(),
          verifyUntil: new Date((c.expiresAt + MAX_DELEGATED_DEPOSIT_SECONDS + CLOCK_SKEW_SECONDS) * 1000).toISOString(),
        },
      ],
    },
  });
  if (!inner.ok) return inner;
  return { ok: true, payload: inner.payload, delegated: { deviceId: c.deviceId, hallId: c.hallId, delegatedKid: c.delegatedKid, sealedPhone } };
}
