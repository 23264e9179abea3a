import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStationConfig, type StationConfig } from '@hall/station';
import { parseDisplayConfig, type DisplayConfig } from '@hall/station/roles/display/index';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** apps/display/out/renderer: where `vite build` puts the display's renderer. */
export const RENDERER_DIR = resolve(appDir, 'out/renderer');

/** The display a developer gets without a config file: the demo hall on the local central API. */
export function defaultDisplayConfig(env: NodeJS.ProcessEnv): StationConfig {
  const dataDir = resolve(env.HALL_DISPLAY_DATA_DIR ?? resolve(appDir, '../../.data/display'));
  return parseStationConfig({
    hallId: env.HALL_ID ?? 'hall.shanwei-psb',
    role: 'display',
    deviceId: env.HALL_DEVICE_ID ?? 'display-dev-1',
    apiUrl: env.HALL_API_URL ?? 'http://127.0.0.1:8080',
    // The one-time code from the administrator (POST /sync/devices), needed on first start only.
    enrollment: { credentialPath: resolve(dataDir, 'credential'), ...(env.HALL_ENROLLMENT_CODE ? { code: env.HALL_ENROLLMENT_CODE } : {}) },
    dataDir,
    host: { bind: '127.0.0.1', port: Number(env.HALL_DISPLAY_PORT ?? 5175), rendererDir: RENDERER_DIR },
  });
}

/** Demo wall: a notice, Mandarin voice, signs simulated; the LAN feed only with a key in the environment. */
export function defaultDisplaySettings(env: NodeJS.ProcessEnv): DisplayConfig {
  return parseDisplayConfig({
    notices: ['请留意叫号，过号请到咨询台重新取号', '本大厅办理时间：周一至周五 9:00–17:00'],
    voice: { languages: env.HALL_DISPLAY_ENGLISH === '1' ? ['zh', 'en'] : ['zh'] },
    ...(env.HALL_LAN_KEY ? { lan: { key: env.HALL_LAN_KEY, listen: { bind: '0.0.0.0', port: Number(env.HALL_LAN_PORT ?? 47123) } } } : {}),
  });
}
