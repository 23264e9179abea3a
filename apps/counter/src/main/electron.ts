import { app, BrowserWindow, screen, session } from 'electron';
import { join } from 'node:path';
import { loadStationConfig } from '@hall/station';
import { COUNTER_RENDERER_DIR } from './browser';
import { startCounterStation, type CounterStation } from './station';

/**
 * Electron shell of the counter station: the station runs in this main process and serves
 * its renderer and API on loopback (the browser-mode transport, Origin-checked); this file
 * only makes windows — the clerk's screen, and the citizen-facing rating screen on a second
 * monitor when there is one. Renderers are sandboxed with context isolation and no Node;
 * navigation away from the station and new windows are refused; only the camera may be
 * asked for (document capture), and only by the station's own pages.
 */
const configFile = process.env.HALL_STATION_CONFIG ?? join(app.getPath('userData'), 'station.json');

let station: CounterStation | undefined;

function harden(window: BrowserWindow, origin: string): void {
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(origin)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function makeWindow(url: string, origin: string, bounds: Electron.Rectangle, fullscreen: boolean): BrowserWindow {
  const window = new BrowserWindow({
    ...bounds,
    fullscreen,
    autoHideMenuBar: true,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: !app.isPackaged },
  });
  harden(window, origin);
  window.webContents.on('render-process-gone', () => window.reload());
  void window.loadURL(url);
  return window;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const config = loadStationConfig(configFile);
  station = await startCounterStation(config.host.rendererDir ? config : { ...config, host: { ...config.host, rendererDir: COUNTER_RENDERER_DIR } }, { host: true });
  const host = station.runtime.host;
  const origin = host?.origin ?? '';
  session.defaultSession.setPermissionRequestHandler((contents, permission, grant) => {
    grant(permission === 'media' && contents.getURL().startsWith(`${origin}/`));
  });
  const displays = screen.getAllDisplays();
  const primary = screen.getPrimaryDisplay();
  // The windows load the host's pages with its token, as a browser-mode Chromium would.
  makeWindow(host?.pageUrl('/') ?? '', origin, primary.bounds, app.isPackaged);
  const citizenSide = displays.find((d) => d.id !== primary.id);
  if (citizenSide) makeWindow(host?.pageUrl('/rating') ?? '', origin, citizenSide.bounds, true);
  app.on('before-quit', () => void station?.stop());
}

void main();
