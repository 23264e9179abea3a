import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LanKeyRingSchema, type LanKeyRing } from '@hall/shared';
import type { MeshKeyRing } from '../mesh/types';
import { LAN_KEY_NOT_IN_CONFIG } from './load';
import type { StationConfig } from './schema';
import { writeSecretFileDurably } from './durableFile';
import { log } from '../log';

/** Key id of the ring a developer station builds from HALL_LAN_KEY. */
export const DEVELOPER_LAN_KID = 'dev-env';

export function lanKeysPath(config: StationConfig): string {
  return config.enrollment.lanKeysPath ?? join(dirname(config.enrollment.credentialPath), 'lan-keys');
}

/**
 * The hall's LAN key ring as the central API last handed it over, or undefined when the
 * station has none yet (or the file does not parse: it is fetched again then).
 */
export function readLanKeys(config: StationConfig): LanKeyRing | undefined {
  const path = lanKeysPath(config);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = LanKeyRingSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Written atomically and durably (fsync of the file and its directory), readable by the owner only, like the credential. */
export function writeLanKeys(config: StationConfig, ring: LanKeyRing): void {
  writeSecretFileDurably(lanKeysPath(config), `${JSON.stringify(LanKeyRingSchema.parse(ring))}\n`);
}

/** The wire ring (base64) as the mesh and the call feed use it (Buffers). */
export function meshKeyRingOf(ring: LanKeyRing): MeshKeyRing {
  const key = (k: { kid: string; key: string }) => ({ kid: k.kid, key: Buffer.from(k.key, 'base64') });
  return { current: key(ring.current), accepted: ring.accepted.map(key) };
}

/** A one-key ring from a key given as text (hex or base64, 32 bytes or more): developer stations and tests only. */
export function singleKeyRing(text: string, kid = DEVELOPER_LAN_KID): MeshKeyRing {
  const bytes = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length < 32) throw new Error('the hall LAN key must be at least 32 bytes (64 hex characters)');
  const key = { kid, key: bytes };
  return { current: key, accepted: [key] };
}

/**
 * A developer station (no config file) that never got a ring from a central API may take
 * the key from HALL_LAN_KEY (read with the other overrides, config/environment.ts). A
 * deployed station never uses it: undefined, with a warning when it is set, so nobody
 * believes it is used.
 */
export function developerLanKeyRing(config: StationConfig, developerLanKey: string | undefined): MeshKeyRing | undefined {
  if (!developerLanKey) return undefined;
  if (!config.development) {
    log.warn(`station ${config.deviceId}: HALL_LAN_KEY is ignored on a deployed station; the hall LAN key comes from the central API`);
    return undefined;
  }
  return singleKeyRing(developerLanKey);
}

export class LanKeyInConfigError extends Error {
  constructor(config: StationConfig, where: string) {
    super(`station ${config.deviceId}: ${where}: ${LAN_KEY_NOT_IN_CONFIG}; only a developer station (started without a config file) may name a key`);
    this.name = 'LanKeyInConfigError';
  }
}

/** Refuses a LAN key named in a role's config (display.json `lan.key`, a counter's LAN options) on a deployed station. */
export function refuseConfiguredLanKey(config: StationConfig, where: string, key: string | undefined): void {
  if (key !== undefined && !config.development) throw new LanKeyInConfigError(config, where);
}
