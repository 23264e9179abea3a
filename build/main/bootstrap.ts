// Packaged entry of every station app (the bundle's package.json "main"): puts the
// config and data where the platform expects them, starts the idle-gated updater, then
// loads the app's own Electron main (bundled next to this file as electron.mjs).
import { existsSync, mkdirSync } from 'node:fs';
import { app, powerMonitor } from 'electron';
import { decideInstall, idlePolicyFor, readStationIdleHook } from './idleInstall';
import { stationPaths, type HallApp } from './paths';

declare const HALL_APP: HallApp;
/** How often a downloaded update checks whether the station is idle. */
const IDLE_CHECK_MS = 30_000;
/** How often to ask the update server; staged rollouts are decided by the server's stagingPercentage. */
const UPDATE_CHECK_MS = 4 * 60 * 60 * 1000;

const paths = stationPaths(HALL_APP, process.platform, process.env);
process.env.HALL_STATION_CONFIG ??= paths.configFile;
if (HALL_APP === 'display' && existsSync(paths.displayFile)) process.env.HALL_DISPLAY_CONFIG ??= paths.displayFile;
if (app.isPackaged) {
  mkdirSync(paths.electronDir, { recursive: true });
  app.setPath('userData', paths.electronDir);
}

async function startUpdater(): Promise<void> {
  if (!app.isPackaged || process.env.HALL_UPDATES === 'off') return;
  const { autoUpdater } = await import('electron-updater');
  // Downloads happen in the background; installing waits for idleness, never app quit.
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  if (process.env.HALL_UPDATE_URL) autoUpdater.setFeedURL({ provider: 'generic', url: process.env.HALL_UPDATE_URL });
  const policy = idlePolicyFor(HALL_APP, process.env);
  let ready = false;
  autoUpdater.on('update-downloaded', () => {
    ready = true;
  });
  autoUpdater.on('error', (error: Error) => console.error(`[updater] ${error.message}`));
  const check = () => void autoUpdater.checkForUpdates().catch((error: Error) => console.error(`[updater] ${error.message}`));
  check();
  setInterval(check, UPDATE_CHECK_MS).unref();
  setInterval(() => {
    const decision = decideInstall(ready, { systemIdleSeconds: () => powerMonitor.getSystemIdleTime(), stationIdle: () => readStationIdleHook() }, policy);
    // isSilent: no installer UI on a kiosk; isForceRunAfter: the station comes back by itself.
    if (decision.install) autoUpdater.quitAndInstall(true, true);
  }, IDLE_CHECK_MS).unref();
}

void app.whenReady().then(startUpdater);
// Resolved at run time next to this bundle (not bundled into it); build/bundle.ts checks it exists.
const appMain = './electron.mjs';
await import(appMain);
