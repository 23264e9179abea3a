import { resolve } from 'node:path';
import type { StationRole } from '@hall/shared';
import { parseStationConfig } from './load';
import type { StationEnvironment } from './environment';
import type { StationConfig } from './schema';

export interface DeveloperStationDefaults {
  role: StationRole;
  /** Data under <repo>/.data/<name> unless HALL_<NAME>_DATA_DIR says otherwise. */
  name: 'kiosk' | 'display';
  repoRoot: string;
  rendererDir: string;
  port: number;
  /** Role-specific parts of the config (devices, sync tuning). */
  extra?: Record<string, unknown>;
}

/**
 * The station a developer gets without a config file: the demo hall on the local central
 * API, loopback only. HALL_ID, HALL_DEVICE_ID, HALL_API_URL, HALL_ENROLLMENT_CODE and
 * HALL_<NAME>_DATA_DIR / HALL_<NAME>_PORT override the defaults. It is marked `development`,
 * which allows demo fallbacks (see citizenKey.ts).
 */
export function developerStationConfig(env: StationEnvironment, defaults: DeveloperStationDefaults): StationConfig {
  const named = defaults.name === 'kiosk' ? { dataDir: env.HALL_KIOSK_DATA_DIR, port: env.HALL_KIOSK_PORT } : { dataDir: env.HALL_DISPLAY_DATA_DIR, port: env.HALL_DISPLAY_PORT };
  const dataDir = resolve(named.dataDir ?? resolve(defaults.repoRoot, '.data', defaults.name));
  return parseStationConfig({
    hallId: env.HALL_ID ?? 'hall.shanwei-psb',
    role: defaults.role,
    deviceId: env.HALL_DEVICE_ID ?? `${defaults.name}-dev-1`,
    apiUrl: env.HALL_API_URL ?? 'http://127.0.0.1:8080',
    // The one-time code from the administrator (POST /sync/devices), needed on first start only.
    enrollment: { credentialPath: resolve(dataDir, 'credential'), ...(env.HALL_ENROLLMENT_CODE ? { code: env.HALL_ENROLLMENT_CODE } : {}) },
    dataDir,
    host: { bind: '127.0.0.1', port: named.port ?? defaults.port, rendererDir: defaults.rendererDir },
    ...defaults.extra,
    development: true,
  });
}
