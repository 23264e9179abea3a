import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { developerStationConfig, type StationConfig, type StationEnvironment } from '@hall/station';
import { parseDisplayConfig, type DisplayConfig } from '@hall/station/roles/display';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** apps/display/out/renderer: where `vite build` puts the display's renderer. */
export const RENDERER_DIR = resolve(appDir, 'out/renderer');

/** The display a developer gets without a config file: the demo hall on the local central API. */
export function defaultDisplayConfig(env: StationEnvironment): StationConfig {
  return developerStationConfig(env, { role: 'display', name: 'display', repoRoot: resolve(appDir, '../..'), rendererDir: RENDERER_DIR, port: 5175 });
}

/**
 * Demo wall: a notice, Mandarin voice, signs simulated; the LAN feed when HALL_LAN_PORT (or,
 * on a developer station, HALL_LAN_KEY) is set. The key is never put here: it is the
 * station's ring from the central API (a developer station without one falls back to
 * HALL_LAN_KEY, see config/lanKeys.ts).
 */
export function defaultDisplaySettings(env: StationEnvironment): DisplayConfig {
  return parseDisplayConfig({
    notices: ['请留意叫号，过号请到咨询台重新取号', '本大厅办理时间：周一至周五 9:00–17:00'],
    voice: { languages: env.HALL_DISPLAY_ENGLISH ? ['zh', 'en'] : ['zh'] },
    ...(env.HALL_LAN_PORT || env.HALL_LAN_KEY ? { lan: { listen: { bind: '0.0.0.0', port: env.HALL_LAN_PORT ?? 47123 } } } : {}),
  });
}
