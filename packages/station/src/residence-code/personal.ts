import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  decodeBase64Url,
  decodeResidenceFields,
  DataKeyRingSchema,
  encodeCodePayload,
  encodeResidenceFields,
  joinSealed,
  SEAL_AAD_BYTES,
  SEAL_IV_BYTES,
  splitSealed,
  type CodePayload,
  type DataKeyRing,
  type OpenFailure,
  type ResidenceFields,
} from '@hall/shared';
import { writeSecretFileDurably } from '../config/durableFile';
import { CentralApi, centralApiBase } from '../central/client';
import { CENTRAL_ROUTES } from '../central/routes';

/** The code's header bytes: the associated data the central API sealed the fields with. */
function headerOf(payload: CodePayload): Uint8Array {
  return encodeCodePayload(payload).slice(0, SEAL_AAD_BYTES);
}

/**
 * Opens the citizen's fields a verified residence code carries, offline, with the data keys
 * this station holds. Call only after the signature is checked: the seal proves the fields
 * were made for this code, the signature that the central API made them.
 */
export function openResidenceFields(
  payload: CodePayload,
  ring: DataKeyRing | undefined,
  nowMs: number,
): { ok: true; fields: ResidenceFields } | { ok: false; reason: OpenFailure } {
  if (payload.kind !== 'residence' || !payload.sealed) return { ok: false, reason: 'absent' };
  const parts = splitSealed(payload.sealed);
  if (!parts) return { ok: false, reason: 'tampered' };
  const key = ring?.keys.find((k) => k.kid === parts.dataKid && Date.parse(k.openUntil) > nowMs);
  const raw = key && decodeBase64Url(key.key);
  if (!raw) return { ok: false, reason: 'unknown_data_key' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', raw, parts.iv).setAAD(headerOf(payload)).setAuthTag(parts.tag);
    const plain = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    const fields = decodeResidenceFields(new Uint8Array(plain));
    plain.fill(0);
    return fields ? { ok: true, fields } : { ok: false, reason: 'tampered' };
  } catch {
    return { ok: false, reason: 'tampered' };
  }
}

/** The central API's sealing, for station tests (TestCodeIssuer): same layout, same associated data. */
export function sealResidenceFieldsForTest(dataKid: string, key: Uint8Array, fields: ResidenceFields, header: Uint8Array): Uint8Array {
  const iv = randomBytes(SEAL_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(encodeResidenceFields(fields)), cipher.final()]);
  return joinSealed({ dataKid, iv: new Uint8Array(iv), ciphertext: new Uint8Array(ciphertext), tag: new Uint8Array(cipher.getAuthTag()) });
}

export interface DataKeyKeeperOptions {
  /** 0600 file beside the credential: the keys survive restarts so codes open offline. */
  path: string;
  apiUrl: string;
  authHeaders: () => Record<string, string>;
  intervalMs?: number;
  timeoutMs?: number;
}

/**
 * A kiosk's or counter's copy of the residence-code data keys: read from its file, fetched
 * with the device credential at start and every few minutes, written back when it changed.
 * A failed fetch keeps what is held (offline is the point). Never logs key material.
 */
export class DataKeyKeeper {
  #ring: DataKeyRing | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #api: CentralApi;
  lastError: string | undefined;

  constructor(private readonly options: DataKeyKeeperOptions) {
    this.#api = new CentralApi({ base: centralApiBase(options.apiUrl), headers: options.authHeaders });
    if (existsSync(options.path)) {
      try {
        const parsed = DataKeyRingSchema.safeParse(JSON.parse(readFileSync(options.path, 'utf8')));
        if (parsed.success) this.#ring = parsed.data;
      } catch {
        this.#ring = undefined;
      }
    }
  }

  current(): DataKeyRing | undefined {
    return this.#ring;
  }

  start(): void {
    const tick = () => {
      void this.refresh().finally(() => {
        if (!this.#stopped) {
          // Until the first ring arrives (enrollment may still be under way) ask again soon.
          const interval = this.options.intervalMs ?? 5 * 60_000;
          this.#timer = setTimeout(tick, this.#ring ? interval : Math.min(interval, 5000));
          this.#timer.unref?.();
        }
      });
    };
    tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async refresh(): Promise<boolean> {
    try {
      const ring = await this.#api.require(CENTRAL_ROUTES.residenceDataKeys, { timeoutMs: this.options.timeoutMs ?? 5000 });
      // An older answer (a lagging API instance) never replaces a newer ring.
      if (this.#ring && Date.parse(ring.generatedAt) < Date.parse(this.#ring.generatedAt)) return true;
      const text = JSON.stringify(ring);
      if (text !== JSON.stringify(this.#ring)) writeSecretFileDurably(this.options.path, text);
      this.#ring = ring;
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
