// Electron shell of the wall display: one fullscreen kiosk window, the station in this
// main process, the station API over validated IPC. The hardening is @hall/station/shell's,
// the same as the kiosk's; everything else is the code browser mode runs (see browser.ts).
// Not runnable on build machines without the Electron binary; the browser mode is what
// the tests drive.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { loadStationSetup, runStation, log } from '@hall/station';
import { loadDisplayConfig } from '@hall/station/roles/display';
import { createShell, electronShell } from '@hall/station/shell';
import { defaultDisplayConfig, defaultDisplaySettings, RENDERER_DIR } from './defaults';

const PRELOAD = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const RENDERER_URL = pathToFileURL(join(RENDERER_DIR, 'index.html'));

// A wall has nobody to click "allow sound".
app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');

async function main(): Promise<void> {
  // Announcements play from data: clips; the wall asks for no permission at all.
  const shell = createShell(electronShell({ app, BrowserWindow, ipcMain, Menu, session }), {
    lockdown: true,
    csp: { img: ['data:'], media: ["'self'", 'data:', 'blob:'], font: ['data:'] },
  });
  if (!shell.claimSingleInstance()) return;
  await app.whenReady();
  const { config, env } = loadStationSetup({ configFile: (env) => env.HALL_STATION_CONFIG, developer: defaultDisplayConfig });
  const display = env.HALL_DISPLAY_CONFIG ? loadDisplayConfig(env.HALL_DISPLAY_CONFIG) : defaultDisplaySettings(env);
  const station = await runStation(config, { host: false, env, display: { display } });

  shell.secure({ startUrl: RENDERER_URL.href, stationAddresses: [] });
  shell.serveStation('display', station);
  shell.openWindow({ kiosk: true, preload: PRELOAD, backgroundColor: '#071426', autoplay: true });
  app.on('window-all-closed', () => {
    void station.stop().then(() => app.quit());
  });
}

main().catch((error: unknown) => {
  log.error(`display failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
