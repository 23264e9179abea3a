// Electron shell of the kiosk: one full-screen kiosk window, the station (core, sync,
// devices, kiosk role) in this main process, the station API over one validated IPC
// channel. Everything else is the code browser mode runs and the tests drive (see
// browser.ts); this file stays thin because the Electron binary cannot run on build
// machines. Electron's security checklist: context isolation, sandbox, no Node in the
// renderer, strict CSP, permissions denied, navigation and new windows blocked, every
// IPC sender checked.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { loadStationConfig, type StationConfig } from '@hall/station';
import { dispatchRequest } from '@hall/station/host/dispatch';
import { defaultKioskConfig, RENDERER_DIR } from './defaults';
import { startKioskStation, type KioskStation } from './station';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_URL = pathToFileURL(join(RENDERER_DIR, 'index.html'));
// A hall that wants spoken prompts with elderly mode sets HALL_KIOSK_VOICE_ELDERLY=1.
if (process.env.HALL_KIOSK_VOICE_ELDERLY === '1') RENDERER_URL.searchParams.set('voice', 'elderly');
const REQUEST_CHANNEL = 'station:request';
/** The same registry symbol build/main/idleInstall.ts reads; an app may not import the build code. */
const STATION_IDLE_HOOK = Symbol.for('hall.station.idle');
const EVENT_CHANNEL = 'station:event';
/** Requests are small; anything larger is not from our renderer. */
const MAX_REQUEST_BYTES = 256 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function fromOurRenderer(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const from = new URL(url);
    return from.protocol === 'file:' && from.pathname === RENDERER_URL.pathname;
  } catch {
    return false;
  }
}

function plausibleRequest(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  try {
    return JSON.stringify(raw).length <= MAX_REQUEST_BYTES;
  } catch {
    return false;
  }
}

function createWindow(station: KioskStation): BrowserWindow {
  const win = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#f4f6f9',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Spoken prompts start with a screen (a card placed on the reader), not only after a touch.
      autoplayPolicy: 'no-user-gesture-required',
      devTools: !app.isPackaged,
    },
  });
  const offEvents = station.onEvent((event, data) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, { event, data });
  });
  win.on('closed', offEvents);
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // A citizen must never see a crash page: reload, and relaunch the app if that keeps failing.
  let crashes: number[] = [];
  win.webContents.on('render-process-gone', () => {
    const now = Date.now();
    crashes = [...crashes.filter((t) => now - t < 60_000), now];
    if (crashes.length > 3) {
      app.relaunch();
      app.exit(0);
      return;
    }
    void win.loadURL(RENDERER_URL.href);
  });
  win.on('unresponsive', () => win.webContents.reload());
  void win.loadURL(RENDERER_URL.href);
  return win;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (app.isPackaged) Menu.setApplicationMenu(null);
  await app.whenReady();

  const env = process.env;
  const config: StationConfig = env.HALL_STATION_CONFIG ? loadStationConfig(env.HALL_STATION_CONFIG) : defaultKioskConfig(env);
  const station = await startKioskStation(config, {
    host: false,
    enforceOpeningHours: true,
  });
  // The updater (build/main/idleInstall.ts) installs a staged update only while this says idle.
  (globalThis as unknown as Record<symbol, unknown>)[STATION_IDLE_HOOK] = () => station.isIdle();

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ipcMain.handle(REQUEST_CHANNEL, (event, raw: unknown) => {
    // Only our own page in our own window may talk to the station.
    if (!fromOurRenderer(event.senderFrame?.url) || event.senderFrame !== event.sender.mainFrame) return undefined;
    if (!plausibleRequest(raw)) return undefined;
    return dispatchRequest(raw, 'kiosk', station.handlers);
  });

  let win = createWindow(station);
  app.on('second-instance', () => {
    if (win.isDestroyed()) win = createWindow(station);
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    void station.stop().then(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error(`kiosk failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
