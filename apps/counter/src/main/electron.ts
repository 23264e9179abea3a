import { app, BrowserWindow, ipcMain, Menu, screen, session } from 'electron';
import { join } from 'node:path';
import { loadStationSetup, runStation, type RunningStation, log } from '@hall/station';
import { createShell, electronShell, registerStationIdleHook, stationAddressesOf } from '@hall/station/shell';
import { COUNTER_RENDERER_DIR } from './browser';

/**
 * Electron shell of the counter station: the station runs in this main process and serves
 * its renderer and API on loopback (the browser-mode transport, Origin-checked); this file
 * only makes windows — the clerk's screen, and the citizen-facing rating screen on a second
 * monitor when there is one. The hardening is @hall/station/shell's, the same for every
 * app; the counter's own needs are the camera (document capture) and the PDF preview.
 */
let station: RunningStation<unknown> | undefined;

async function main(): Promise<void> {
  // Not locked down: a clerk's PC keeps its keyboard; devtools are still off when packaged.
  const shell = createShell(electronShell({ app, BrowserWindow, ipcMain, Menu, session }), {
    lockdown: false,
    permissions: { media: ['video'] },
    csp: {
      img: ['data:', 'blob:'],
      media: ["'self'", 'blob:', 'mediastream:'],
      font: ['data:'],
      frame: ["'self'", 'blob:'],
      object: ['blob:'],
    },
  });
  if (!shell.claimSingleInstance()) return;
  await app.whenReady();
  const { config, env } = loadStationSetup({ configFile: (env) => env.HALL_STATION_CONFIG ?? join(app.getPath('userData'), 'station.json') });
  station = await runStation(config.host.rendererDir ? config : { ...config, host: { ...config.host, rendererDir: COUNTER_RENDERER_DIR } }, { host: true, env });
  const running = station;
  // The updater (build/main/idleInstall.ts) installs a staged update only while no clerk works here.
  registerStationIdleHook(() => running.isIdle());
  const host = station.runtime.host;
  if (!host) throw new Error('the counter station serves no renderer');
  // The windows load the host's pages with its token, as a browser-mode Chromium would.
  shell.secure({ startUrl: host.pageUrl('/'), stationAddresses: stationAddressesOf(host.origin) });
  const displays = screen.getAllDisplays();
  const primary = screen.getPrimaryDisplay();
  shell.openWindow({ bounds: primary.bounds, fullscreen: app.isPackaged });
  const citizenSide = displays.find((d) => d.id !== primary.id);
  if (citizenSide) shell.openWindow({ url: host.pageUrl('/rating'), bounds: citizenSide.bounds, fullscreen: true });
  app.on('before-quit', () => void station?.stop());
}

main().catch((error: unknown) => {
  log.error(`counter failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
