// Electron shell of the kiosk app: one full-screen kiosk window, the station of the
// config's role (kiosk, or a 24-hour locker: runStation, shared with browser mode) in this
// main process, the station API over one validated IPC channel. The hardening (Electron's security checklist) is @hall/station/shell's, the
// same for every app; everything else is the code browser mode runs and the tests drive
// (see browser.ts). This file stays thin because Electron cannot run on build machines.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { loadStationSetup, runStation, log } from '@hall/station';
import { createShell, electronShell, registerStationIdleHook } from '@hall/station/shell';
import { defaultKioskConfig, RENDERER_DIR } from './defaults';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_URL = pathToFileURL(join(RENDERER_DIR, 'index.html'));

async function main(): Promise<void> {
  // No camera or microphone: identity comes from the card reader and the code scanner.
  const shell = createShell(electronShell({ app, BrowserWindow, ipcMain, Menu, session }), {
    lockdown: true,
    csp: { img: ['data:'], media: ['data:'] },
  });
  if (!shell.claimSingleInstance()) return;
  await app.whenReady();

  const { config, env } = loadStationSetup({ configFile: (env) => env.HALL_STATION_CONFIG, developer: defaultKioskConfig });
  // A hall that wants spoken prompts with elderly mode sets HALL_KIOSK_VOICE_ELDERLY=1.
  if (env.HALL_KIOSK_VOICE_ELDERLY) RENDERER_URL.searchParams.set('voice', 'elderly');
  const station = await runStation(config, { host: false, env, kiosk: { enforceOpeningHours: true } });
  // The updater (build/main/idleInstall.ts) installs a staged update only while this says idle.
  registerStationIdleHook(() => station.isIdle());

  shell.secure({ startUrl: RENDERER_URL.href, stationAddresses: [] });
  // The one renderer shows the locker's home screen when the station says it is a locker (LockerGate).
  shell.serveStation(station.role, station);
  shell.openWindow({ kiosk: true, preload: PRELOAD, backgroundColor: '#f4f6f9', autoplay: true });
  app.on('window-all-closed', () => {
    void station.stop().then(() => app.quit());
  });
}

main().catch((error: unknown) => {
  log.error(`kiosk failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
