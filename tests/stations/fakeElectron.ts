// An in-memory stand-in for the `electron` module, so the apps' Electron entries run in plain
// Node under vitest (vi.mock('electron', …)): it records the windows the entry opened, the
// pages they loaded and the IPC handlers it installed, and lets a test send an IPC request as
// the window's renderer would. Only what the entries and @hall/station/shell's adapter touch.
import { EventEmitter } from 'node:events';

interface FakeFrame {
  url: string;
  parent: null;
}

class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: 'about:blank', parent: null };
  readonly sent: { channel: string; data: unknown }[] = [];
  setWindowOpenHandler(): void {}
  closeDevTools(): void {}
  reload(): void {}
  getURL(): string {
    return this.mainFrame.url;
  }
  send(channel: string, data: unknown): void {
    this.sent.push({ channel, data });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  constructor(readonly options: Record<string, unknown>) {
    super();
    fake.windows.push(this);
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
    fake.loadedOne?.(url);
    return Promise.resolve();
  }
}

type IpcHandler = (event: { sender: FakeWebContents; senderFrame: FakeFrame }, raw: unknown) => unknown;

function newRecord() {
  return {
    windows: [] as FakeBrowserWindow[],
    ipc: new Map<string, IpcHandler>(),
    app: new EventEmitter(),
    exitCodes: [] as number[],
    quits: 0,
    loadedOne: undefined as ((url: string) => void) | undefined,
    failed: undefined as ((code: number) => void) | undefined,
  };
}

/**
 * What the entry under test did; reset before each entry is imported. Kept on globalThis:
 * vi.resetModules() (one fresh entry per test) gives the mocked `electron` a fresh copy of
 * this module, and the test and the entry must still see the same record.
 */
const RECORD = Symbol.for('hall.test.fakeElectron');
const registry = globalThis as unknown as Record<symbol, ReturnType<typeof newRecord> | undefined>;
export const fake = (registry[RECORD] ??= newRecord());

export function resetFakeElectron(): void {
  fake.windows = [];
  fake.ipc = new Map();
  fake.app.removeAllListeners();
  fake.exitCodes = [];
  fake.quits = 0;
}

/** Resolves with the first page a window of the entry loads; rejects when the entry exits with an error. */
export function firstPageLoaded(): Promise<string> {
  return new Promise((resolve, reject) => {
    fake.loadedOne = (url) => {
      fake.loadedOne = undefined;
      resolve(url);
    };
    fake.failed = (code) => reject(new Error(`the entry exited with code ${code} (its error is on stderr)`));
  });
}

/** A request over the station's IPC channel, sent from the top frame of the entry's first window. */
export async function ipcRequest(method: string, params: unknown = {}): Promise<unknown> {
  const handler = fake.ipc.get('station:request');
  const window = fake.windows[0];
  if (!handler || !window) throw new Error('the entry installed no station IPC channel or opened no window');
  return handler({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, { type: 'request', id: 1, method, params });
}

/** Closes every window as the user would; resolves once the entry quit the app. */
export function closeAllWindows(): Promise<void> {
  return new Promise((resolve) => {
    const quitsBefore = fake.quits;
    const check = setInterval(() => {
      if (fake.quits > quitsBefore) {
        clearInterval(check);
        resolve();
      }
    }, 10);
    fake.app.emit('window-all-closed');
  });
}

const defaultSession = {
  setPermissionRequestHandler(): void {},
  setPermissionCheckHandler(): void {},
  webRequest: { onHeadersReceived(): void {} },
};

const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };

/** The module the entries import as `electron`. */
export const fakeElectronModule = {
  app: Object.assign(fake.app, {
    isPackaged: false,
    commandLine: { appendSwitch(): void {} },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => `/nonexistent/electron-${name}`,
    quit: () => {
      fake.quits += 1;
    },
    relaunch(): void {},
    exit: (code: number) => {
      fake.exitCodes.push(code);
      if (code !== 0) fake.failed?.(code);
    },
  }),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, handler: IpcHandler) => void fake.ipc.set(channel, handler),
  },
  Menu: { setApplicationMenu(): void {} },
  session: { defaultSession },
  screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display },
};
