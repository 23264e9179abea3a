import { join } from 'node:path';

export type HallApp = 'kiosk' | 'counter' | 'display';
export const HALL_APPS: readonly HallApp[] = ['kiosk', 'counter', 'display'];

export interface StationPaths {
  /** The station config file (StationConfig JSON); its dataDir says where the database lives. */
  configFile: string;
  /** Display only: the wall's layout settings (HALL_DISPLAY_CONFIG). */
  displayFile: string;
  /** Default data directory; the shipped example config points dataDir here. */
  dataDir: string;
  /** Chromium profile, caches and the updater's downloads. */
  electronDir: string;
}

/**
 * The one place each installed station keeps its configuration and data, per platform.
 * Linux follows the FHS (/etc for config an administrator edits, /var/lib for state);
 * Windows keeps both under %ProgramData%, which survives reinstalls and user changes.
 */
export function stationPaths(app: HallApp, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): StationPaths {
  if (platform === 'win32') {
    const base = join(env.ProgramData ?? 'C:\\ProgramData', 'Hall', app);
    return { configFile: join(base, 'station.json'), displayFile: join(base, 'display.json'), dataDir: join(base, 'data'), electronDir: join(base, 'electron') };
  }
  const dataDir = `/var/lib/hall/${app}`;
  return { configFile: `/etc/hall/${app}.json`, displayFile: `/etc/hall/${app}-layout.json`, dataDir, electronDir: `${dataDir}/electron` };
}
