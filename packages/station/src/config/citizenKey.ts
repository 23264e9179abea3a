import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSecretFileDurably } from './durableFile';
import type { StationConfig } from './schema';
import { log } from '../log';

/** Used only by developer stations that never reached a central API; hashes match nothing real. */
export const DEMO_CITIZEN_KEY = 'demo-city-key-not-for-production';

export function citizenKeyPath(config: StationConfig): string {
  return config.enrollment.citizenKeyPath ?? join(dirname(config.enrollment.credentialPath), 'citizen-key');
}

export function readCitizenKey(config: StationConfig): string | undefined {
  const path = citizenKeyPath(config);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? undefined : text;
}

/** Written atomically and durably (fsync of the file and its directory), readable by the owner only, like the credential. */
export function writeCitizenKey(config: StationConfig, key: string): void {
  writeSecretFileDurably(citizenKeyPath(config), `${key}\n`);
}

export class MissingCitizenKeyError extends Error {
  constructor(config: StationConfig) {
    super(
      `station ${config.deviceId}: no citizen-hash key at ${citizenKeyPath(config)}. The central API delivers it at enrollment ` +
        `(a station enrolled earlier fetches it on start): start the station while ${config.apiUrl} is reachable, with "enrollment.code" if it is not enrolled yet`,
    );
    this.name = 'MissingCitizenKeyError';
  }
}

/**
 * The key a kiosk or counter hashes ID cards with (CitizenRef.idHash); it must be the central
 * API's, so hashes match tickets, blacklists and residence-code subjects. A deployed station
 * has it only from enrollment and refuses to run without it. A developer station may name one
 * in HALL_ID_HASH_KEY (tests; read with the other overrides, config/environment.ts) or falls
 * back to the demo key with a warning.
 */
export function requireCitizenKey(config: StationConfig, developerIdHashKey?: string): string {
  if (config.development && developerIdHashKey) return developerIdHashKey;
  const stored = readCitizenKey(config);
  if (stored) return stored;
  if (!config.development) throw new MissingCitizenKeyError(config);
  log.warn(`station ${config.deviceId}: no citizen-hash key from the central API yet; using the demo key (hashes will not match residence codes)`);
  return DEMO_CITIZEN_KEY;
}
