// Electron shell of the wall display: one fullscreen kiosk window, the station in this
// main process, the station API over validated IPC. Everything else is the same code the
// browser mode runs (see browser.ts). Not runnable on build machines without the Electron
// binary; the browser mode is what the tests drive.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { loadStationConfig, type StationConfig } from '@hall/station';
import { dispatchRequest } from '@hall/station/host/dispatch';
import { loadDisplayConfig } from '@hall/station/roles/display/index';
import { defaultDisplayConfig, defaultDisplaySettings, RENDERER_DIR } from './defaults';
import { startDisplayStation } from './station';

const PRELOAD = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const RENDERER_URL = new URL(`file://${join(RENDERER_DIR, 'index.html')}`);

// A wall has nobody to click "allow sound".
app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');

function fromOurRenderer(url: string | undefined): boolean {
  if (!url) return false;
  const from = new URL(url);
  return from.protocol === 'file:' && from.pathname === RENDERER_URL.pathname;
}

async function main(): Promise<void> {
  await app.whenReady();
  const env = process.env;
  const config: StationConfig = env.HALL_STATION_CONFIG ? loadStationConfig(env.HALL_STATION_CONFIG) : defaultDisplayConfig(env);
  const display = env.HALL_DISPLAY_CONFIG ? loadDisplayConfig(env.HALL_DISPLAY_CONFIG) : defaultDisplaySettings(env);
  const station = await startDisplayStation(config, { host: false, display });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ipcMain.handle('station:request', (event, raw: unknown) => {
    if (!fromOurRenderer(event.senderFrame?.url)) return undefined;
    return dispatchRequest(raw, 'display', station.handlers);
  });

  const win = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#071426',
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  station.onEvent((event, data) => {
    if (!win.isDestroyed()) win.webContents.send('station:event', { event, data });
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Recovers by itself: a crashed or hung renderer is reloaded, never left on an error page.
  win.webContents.on('render-process-gone', () => void win.loadURL(RENDERER_URL.href));
  win.on('unresponsive', () => win.webContents.reload());
  await win.loadURL(RENDERER_URL.href);

  app.on('window-all-closed', () => {
    void station.stop().then(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error(`display failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
