import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCipheriv, createHash, createHmac, createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import {
  decodeDelegationCert,
  DepositDelegationResponseSchema,
  encodeCodePayload,
  formatCode,
  formatDelegatedDeposit,
  maskName,
  MAX_DELEGATED_DEPOSIT_SECONDS,
  normaliseIdNumber,
  sealedPhoneContext,
} from '@hall/shared';
import { z } from 'zod';
import { CentralApi, centralApiBase } from '../../central/client';
import { CENTRAL_ROUTES } from '../../central/routes';
import type { DepositCodeRequest } from './clerkAuth';

/**
 * A counter's delegated deposit-signing key: its own Ed25519 key pair (made here; the private
 * key never leaves the station) with the central API's certificate for it (bound to this hall
 * and device, valid 2 days) and the key that seals the citizen's mobile number for the central
 * API. Kept in a file beside the credential, readable by the owner only.
 */
export const StoredDelegationSchema = z.object({
  /** PKCS#8 DER, base64. */
  privateKey: z.string().min(1),
  grant: DepositDelegationResponseSchema,
});
export type StoredDelegation = z.infer<typeof StoredDelegationSchema>;

export function readDepositDelegation(path: string): StoredDelegation | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = StoredDelegationSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically and readable by the owner only, like the credential. */
export function writeDepositDelegation(path: string, stored: StoredDelegation): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** AES-256-GCM under the delegation's phone key: iv 12 ‖ ciphertext ‖ tag 16, bound to the parcel and key. */
export function sealPhone(phoneKey: Buffer, phone: string, parcelId: string, delegatedKid: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', phoneKey, iv);
  cipher.setAAD(Buffer.from(sealedPhoneContext(parcelId, delegatedKid)));
  const body = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

/** Same answer shape as the central API's issuer, so the counter treats both alike. */
export type OfflineDepositIssuer = (item: DepositCodeRequest) => { ok: true; code: string; expiresAt: string } | { ok: false; message: string };

/** Keep this much of a certificate's window: a code is never signed in its last minutes. */
const SIGN_MARGIN_MS = 5 * 60_000;

/**
 * Signs deposit codes with the counter's delegated key while the central API is away. The
 * code is the existing deposit layout (subject from the city's citizen key, which the
 * counter holds; salted ID check; masked name), in the envelope with the certificate.
 */
export function delegatedDepositCodes(options: {
  hallId: string;
  citizenKey: string;
  delegation: () => StoredDelegation | undefined;
  now?: () => number;
}): OfflineDepositIssuer {
  const now = options.now ?? Date.now;
  return (item) => {
    const stored = options.delegation();
    if (!stored) return { ok: false, message: 'this counter has no offline deposit key yet (it is fetched while the central system is reachable)' };
    const { grant } = stored;
    const nowMs = now();
    if (grant.hallId !== options.hallId) return { ok: false, message: 'the offline deposit key belongs to another hall' };
    if (nowMs < Date.parse(grant.notBefore) || nowMs >= Date.parse(grant.notAfter) - SIGN_MARGIN_MS) {
      return { ok: false, message: `the offline deposit key is valid ${grant.notBefore} – ${grant.notAfter} only; connect to the central system to renew it` };
    }
    const idNumber = normaliseIdNumber(item.idNumber);
    const parcelId = randomUUID();
    const salt = randomBytes(16);
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + MAX_DELEGATED_DEPOSIT_SECONDS;
    const signed = encodeCodePayload({
      kind: 'deposit',
      kid: grant.delegatedKid,
      issuedAt,
      expiresAt,
      nonce: randomBytes(12).toString('hex'),
      parcelId,
      hallId: options.hallId,
      caseNumber: item.caseNumber,
      size: item.size,
      subject: new Uint8Array(createHmac('sha256', options.citizenKey).update(idNumber).digest()),
      idCheckSalt: new Uint8Array(salt),
      idCheckHash: new Uint8Array(createHash('sha256').update(salt).update(idNumber).digest()),
      maskedName: maskName(item.name),
    });
    const privateKey = createPrivateKey({ key: Buffer.from(stored.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    const code = formatCode('deposit', signed, new Uint8Array(sign(null, signed, privateKey)));
    return {
      ok: true,
      code: formatDelegatedDeposit({
        certificate: grant.certificate,
        sealedPhone: sealPhone(Buffer.from(grant.phoneKey, 'base64url'), item.phone, parcelId, grant.delegatedKid),
        code,
      }),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  };
}

/** Renew when less than this is left of the window (the central API gives 2 days). */
export const DELEGATION_RENEW_BEFORE_MS = 24 * 3600 * 1000;

/**
 * Keeps the counter's delegated key fresh while online: a new key pair and certificate when
 * there is none or the current one has less than a day left. The old one stays in use until
 * the new one is written, so a failed renewal changes nothing.
 */
export class DepositDelegationKeeper {
  #stored: StoredDelegation | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight: Promise<boolean> | undefined;
  readonly #api: CentralApi;
  lastError: string | undefined;

  constructor(
    private readonly options: {
      path: string;
      apiUrl: string;
      hallId: string;
      deviceId: string;
      authHeaders: () => Record<string, string>;
      now?: () => number;
      timeoutMs?: number;
    },
  ) {
    this.#stored = readDepositDelegation(options.path);
    this.#api = new CentralApi({ base: centralApiBase(options.apiUrl), headers: options.authHeaders, timeoutMs: options.timeoutMs ?? 6000 });
  }

  current(): StoredDelegation | undefined {
    return this.#stored;
  }

  start(everyMs = 10 * 60_000): void {
    void this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), everyMs);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** True when a usable key is held afterwards; fetches only when renewal is due (or `force`). */
  refresh(force = false): Promise<boolean> {
    this.#inFlight ??= this.#refresh(force).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #refresh(force: boolean): Promise<boolean> {
    const nowMs = (this.options.now ?? Date.now)();
    const held = this.#stored?.grant;
    if (!force && held && Date.parse(held.notAfter) - nowMs > DELEGATION_RENEW_BEFORE_MS) return true;
    try {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const der = publicKey.export({ format: 'der', type: 'spki' });
      const raw = der.subarray(der.length - 32);
      const grant = await this.#api.require(CENTRAL_ROUTES.depositDelegation, { body: { publicKey: raw.toString('base64url') } });
      const cert = decodeDelegationCert(grant.certificate);
      // The certificate must be for this key, this hall and this station, else it is no use offline.
      if (
        !cert ||
        !Buffer.from(cert.payload.publicKey).equals(raw) ||
        cert.payload.hallId !== this.options.hallId ||
        cert.payload.deviceId !== this.options.deviceId ||
        cert.payload.delegatedKid !== grant.delegatedKid
      ) {
        throw new Error('the certificate does not match this counter or its key');
      }
      const stored = { privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), grant };
      writeDepositDelegation(this.options.path, stored);
      this.#stored = stored;
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return held !== undefined && Date.parse(held.notAfter) > nowMs;
    }
  }
}
