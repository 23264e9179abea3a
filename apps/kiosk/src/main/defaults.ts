import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStationConfig, type StationConfig } from '@hall/station';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** apps/kiosk/out/renderer: where `vite build` puts the kiosk's renderer. */
export const RENDERER_DIR = resolve(appDir, 'out/renderer');

/**
 * The kiosk a developer gets without a config file: the demo hall on the local central
 * API, every device simulated over socat pty pairs, data under .data/kiosk.
 */
export function defaultKioskConfig(env: NodeJS.ProcessEnv): StationConfig {
  const dataDir = resolve(env.HALL_KIOSK_DATA_DIR ?? resolve(appDir, '../../.data/kiosk'));
  return parseStationConfig({
    hallId: env.HALL_ID ?? 'hall.shanwei-psb',
    role: 'kiosk',
    deviceId: env.HALL_DEVICE_ID ?? 'kiosk-dev-1',
    apiUrl: env.HALL_API_URL ?? 'http://127.0.0.1:8080',
    enrollment: { credentialPath: resolve(dataDir, 'credential') },
    dataDir,
    host: { bind: '127.0.0.1', port: Number(env.HALL_KIOSK_PORT ?? 5173), rendererDir: RENDERER_DIR },
    // Numbers in hand decide how long the kiosk can issue offline: keep half a busy day's worth.
    sync: { pollIntervalMs: 5000, pushBatch: 200, leaseBlockSize: 100, leaseLowWater: 50 },
    devices: {
      idCardReader: { kind: 'simulated' },
      codeScanner: { kind: 'simulated' },
      ticketPrinter: { kind: 'simulated' },
    },
  });
}
