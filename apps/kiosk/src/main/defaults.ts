import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { developerStationConfig, type StationConfig, type StationEnvironment } from '@hall/station';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** apps/kiosk/out/renderer: where `vite build` puts the kiosk's renderer. */
export const RENDERER_DIR = resolve(appDir, 'out/renderer');

/**
 * HALL_KIOSK_A4_PRINTER: an IPP queue (`ipp://127.0.0.1:631/printers/hall-a4`), `none`, or by
 * default `simulated` (each application form a PDF file under the data dir, in a4-prints/).
 */
function a4PrinterFromEnv(value: string | undefined) {
  if (!value || value === 'simulated') return { kind: 'simulated' as const };
  if (value === 'none') return { kind: 'none' as const };
  return { kind: 'ipp' as const, url: value, timeoutMs: 8_000 };
}

/** The kiosk a developer gets without a config file: every device simulated over socat pty pairs. */
export function defaultKioskConfig(env: StationEnvironment): StationConfig {
  return developerStationConfig(env, {
    role: 'kiosk',
    name: 'kiosk',
    repoRoot: resolve(appDir, '../..'),
    rendererDir: RENDERER_DIR,
    port: 5173,
    extra: {
      // Numbers in hand decide how long the kiosk can issue offline: keep half a busy day's worth.
      sync: { pollIntervalMs: 5000, pushBatch: 200, leaseBlockSize: 100, leaseLowWater: 50 },
      devices: { idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, ticketPrinter: { kind: 'simulated' }, a4Printer: a4PrinterFromEnv(env.HALL_KIOSK_A4_PRINTER) },
    },
  });
}
