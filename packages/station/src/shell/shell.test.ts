import type { StationApiHandlers } from '@hall/shared';
import { describe, expect, it, vi } from 'vitest';
import type { SenderFrame } from './ipcSender';
import type { KeyInput } from './lockdown';
import type { PermissionQuery } from './permissions';
import { createShell, EVENT_CHANNEL, REQUEST_CHANNEL, type ShellContents, type ShellElectron, type ShellOptions, type ShellWindow, type WindowSpec } from './shell';
import { log } from '../log';

// Electron cannot run on build machines, so the wiring is proven against an in-memory fake
// of the shell's narrow interface: it records what the shell installed and lets the test
// fire the events Electron would.

class FakeContents implements ShellContents {
  mainFrame: SenderFrame = { url: 'about:blank', parent: null };
  readonly navigate: ((url: string, prevent: () => void) => void)[] = [];
  readonly attach: ((prevent: () => void) => void)[] = [];
  readonly devtools: (() => void)[] = [];
  readonly input: ((input: KeyInput, prevent: () => void) => void)[] = [];
  readonly gone: (() => void)[] = [];
  readonly sent: { channel: string; data: unknown }[] = [];
  newWindowsDenied = false;
  devtoolsClosed = 0;
  onNavigate(listener: (url: string, prevent: () => void) => void) {
    this.navigate.push(listener);
  }
  onAttachWebview(listener: (prevent: () => void) => void) {
    this.attach.push(listener);
  }
  denyNewWindows() {
    this.newWindowsDenied = true;
  }
  onDevToolsOpened(listener: () => void) {
    this.devtools.push(listener);
  }
  closeDevTools() {
    this.devtoolsClosed++;
  }
  onBeforeInput(listener: (input: KeyInput, prevent: () => void) => void) {
    this.input.push(listener);
  }
  onGone(listener: () => void) {
    this.gone.push(listener);
  }
  send(channel: string, data: unknown) {
    this.sent.push({ channel, data });
  }
  /** Fires will-navigate; true when some guard prevented it. */
  tryNavigate(url: string): boolean {
    let prevented = false;
    for (const listener of this.navigate) listener(url, () => (prevented = true));
    return prevented;
  }
  pressKey(key: string, mods: Partial<KeyInput> = {}): boolean {
    let prevented = false;
    for (const listener of this.input) listener({ type: 'keyDown', key, control: false, meta: false, alt: false, shift: false, ...mods }, () => (prevented = true));
    return prevented;
  }
}

class FakeWindow implements ShellWindow {
  readonly contents = new FakeContents();
  readonly loaded: string[] = [];
  destroyed = false;
  minimized = false;
  focused = 0;
  reloads = 0;
  unresponsive: (() => void)[] = [];
  constructor(readonly spec: WindowSpec) {}
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focused++;
  }
  loadFails = false;
  loadURL(url: string) {
    this.loaded.push(url);
    if (this.loadFails) return Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    this.contents.mainFrame = { url, parent: null };
    return Promise.resolve();
  }
  reload() {
    this.reloads++;
  }
  onUnresponsive(listener: () => void) {
    this.unresponsive.push(listener);
  }
}

class FakeElectron implements ShellElectron {
  lockHeld = false;
  quits = 0;
  relaunches = 0;
  exits: number[] = [];
  menuRemoved = false;
  readonly windows: FakeWindow[] = [];
  readonly secondInstance: (() => void)[] = [];
  readonly created: ((contents: ShellContents) => void)[] = [];
  readonly ipc = new Map<string, (sender: { contents: ShellContents; frame: SenderFrame | null; mainFrame: SenderFrame }, raw: unknown) => unknown>();
  decide?: (query: PermissionQuery) => boolean;
  headers?: (headers: Record<string, string[]>) => Record<string, string[]>;
  constructor(readonly isPackaged: boolean) {}
  requestSingleInstanceLock() {
    return !this.lockHeld;
  }
  quit() {
    this.quits++;
  }
  relaunch() {
    this.relaunches++;
  }
  exit(code: number) {
    this.exits.push(code);
  }
  onSecondInstance(listener: () => void) {
    this.secondInstance.push(listener);
  }
  onWebContentsCreated(listener: (contents: ShellContents) => void) {
    this.created.push(listener);
  }
  removeApplicationMenu() {
    this.menuRemoved = true;
  }
  failLoads = false;
  createWindow(spec: WindowSpec) {
    const window = new FakeWindow(spec);
    window.loadFails = this.failLoads;
    this.windows.push(window);
    for (const listener of this.created) listener(window.contents);
    return window;
  }
  handleIpc(channel: string, listener: (sender: { contents: ShellContents; frame: SenderFrame | null; mainFrame: SenderFrame }, raw: unknown) => unknown) {
    this.ipc.set(channel, listener);
  }
  setPermissionHandler(decide: (query: PermissionQuery) => boolean) {
    this.decide = decide;
  }
  setResponseHeaders(transform: (headers: Record<string, string[]>) => Record<string, string[]>) {
    this.headers = transform;
  }
  /** A web contents Electron made without the shell (say, a devtools or a popup). */
  strayContents(): FakeContents {
    const contents = new FakeContents();
    for (const listener of this.created) listener(contents);
    return contents;
  }
}

const PAGE = 'file:///opt/hall/renderer/index.html';
const request = { type: 'request', id: 1, method: 'display.board', params: {} };

function started(packaged: boolean, options: Partial<ShellOptions> = {}) {
  const electron = new FakeElectron(packaged);
  const shell = createShell(electron, { lockdown: true, ...options });
  expect(shell.claimSingleInstance()).toBe(true);
  shell.secure({ startUrl: PAGE, stationAddresses: [] });
  return { electron, shell };
}

describe('createShell single instance', () => {
  it('quits a second instance before anything else starts', () => {
    const electron = new FakeElectron(true);
    electron.lockHeld = true;
    expect(createShell(electron, { lockdown: true }).claimSingleInstance()).toBe(false);
    expect(electron.quits).toBe(1);
    expect(electron.secondInstance).toEqual([]);
  });

  it('brings the first window back when a second instance starts', () => {
    const { electron, shell } = started(true);
    shell.openWindow({ kiosk: true });
    const [window] = electron.windows;
    window!.minimized = true;
    for (const listener of electron.secondInstance) listener();
    expect(window!.minimized).toBe(false);
    expect(window!.focused).toBe(1);
    expect(electron.quits).toBe(0);
  });
});

describe('createShell windows', () => {
  it('makes sandboxed, isolated windows without Node, webviews or (packaged) devtools', () => {
    const { electron, shell } = started(true);
    shell.openWindow({ kiosk: true, preload: '/opt/hall/preload.cjs', autoplay: true });
    expect(electron.windows[0]!.spec).toMatchObject({
      kiosk: true,
      fullscreen: true,
      frame: false,
      webPreferences: {
        preload: '/opt/hall/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        devTools: false,
        autoplayPolicy: 'no-user-gesture-required',
      },
    });
    expect(electron.windows[0]!.loaded).toEqual([PAGE]);
  });

  it('keeps devtools for development builds', () => {
    const { electron, shell } = started(false);
    shell.openWindow();
    expect(electron.windows[0]!.spec.webPreferences.devTools).toBe(true);
    expect(electron.windows[0]!.contents.devtools).toEqual([]);
  });

  it('closes devtools that open anyway in a packaged build', () => {
    const { electron, shell } = started(true);
    shell.openWindow();
    const { contents } = electron.windows[0]!;
    for (const listener of contents.devtools) listener();
    expect(contents.devtoolsClosed).toBe(1);
  });

  it('refuses navigation to another origin and lets the app move within its own', () => {
    const { electron, shell } = started(true);
    shell.openWindow();
    const { contents } = electron.windows[0]!;
    expect(contents.tryNavigate('https://evil.example/')).toBe(true);
    expect(contents.tryNavigate('file:///etc/passwd')).toBe(true);
    expect(contents.tryNavigate('javascript:alert(1)')).toBe(true);
    expect(contents.tryNavigate('file:///opt/hall/renderer/index.html#/done')).toBe(false);
    expect(contents.newWindowsDenied).toBe(true);
  });

  it('guards web contents it did not create the same way', () => {
    const { electron } = started(true);
    const stray = electron.strayContents();
    expect(stray.tryNavigate('https://evil.example/')).toBe(true);
    expect(stray.newWindowsDenied).toBe(true);
    let attached = true;
    for (const listener of stray.attach) listener(() => (attached = false));
    expect(attached).toBe(false);
  });

  it('compares http origins whole, not by prefix', () => {
    const electron = new FakeElectron(true);
    const shell = createShell(electron, { lockdown: false });
    shell.secure({ startUrl: 'http://127.0.0.1:5174/', stationAddresses: ['http://127.0.0.1:5174'] });
    shell.openWindow();
    const { contents } = electron.windows[0]!;
    expect(contents.tryNavigate('http://127.0.0.1:5174.evil.com/')).toBe(true);
    expect(contents.tryNavigate('http://127.0.0.1:5174@evil.com/')).toBe(true);
    expect(contents.tryNavigate('http://127.0.0.1:5174/rating')).toBe(false);
  });

  it('blocks reload and devtools keys on an unattended packaged screen only', () => {
    const kiosk = started(true);
    kiosk.shell.openWindow({ kiosk: true });
    expect(kiosk.electron.menuRemoved).toBe(true);
    expect(kiosk.electron.windows[0]!.contents.pressKey('r', { control: true })).toBe(true);
    expect(kiosk.electron.windows[0]!.contents.pressKey('a')).toBe(false);

    const clerk = started(true, { lockdown: false });
    clerk.shell.openWindow();
    expect(clerk.electron.menuRemoved).toBe(false);
    expect(clerk.electron.windows[0]!.contents.pressKey('r', { control: true })).toBe(false);
  });

  it('reloads a crashed renderer, and relaunches the app when crashes keep coming', () => {
    let clock = 0;
    const { electron, shell } = started(true, { now: () => clock });
    shell.openWindow();
    const window = electron.windows[0]!;
    const crash = () => window.contents.gone.forEach((listener) => listener());
    crash();
    expect(window.loaded).toEqual([PAGE, PAGE]);
    clock += 10;
    crash();
    crash();
    expect(electron.relaunches).toBe(0);
    crash();
    expect(electron.relaunches).toBe(1);
    expect(electron.exits).toEqual([0]);
  });

  it('reports a page that fails to load instead of leaving the rejection unhandled', async () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      const { electron, shell } = started(true);
      electron.failLoads = true;
      shell.openWindow();
      // Settles the rejected load and its handler: ordering, not time.
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('could not load file:///opt/hall/renderer/index.html: ERR_FILE_NOT_FOUND'));
    } finally {
      errors.mockRestore();
    }
  });

  it('will not open a window before the origin is known', () => {
    const electron = new FakeElectron(true);
    expect(() => createShell(electron, { lockdown: true }).openWindow()).toThrow(/secure/);
  });
});

describe('createShell session', () => {
  it('denies permissions by default and grants only what the app declared to its own page', () => {
    const electron = new FakeElectron(true);
    createShell(electron, { lockdown: false, permissions: { media: ['video'] } }).secure({ startUrl: 'http://127.0.0.1:5174/', stationAddresses: [] });
    const decide = electron.decide!;
    expect(decide({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174/', mediaTypes: ['video'] })).toBe(true);
    expect(decide({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174.evil.com/', mediaTypes: ['video'] })).toBe(false);
    expect(decide({ permission: 'geolocation', requestingUrl: 'http://127.0.0.1:5174/' })).toBe(false);
  });

  it('replaces any CSP a response brings with its own, which connects only to the station', () => {
    const electron = new FakeElectron(true);
    createShell(electron, { lockdown: false }).secure({ startUrl: 'http://127.0.0.1:5174/', stationAddresses: ['http://127.0.0.1:5174', 'ws://127.0.0.1:5174'] });
    const headers = electron.headers!({ 'content-security-policy': ['connect-src *'], 'content-type': ['text/html'] });
    expect(Object.keys(headers).sort()).toEqual(['Content-Security-Policy', 'content-type']);
    expect(headers['Content-Security-Policy']![0]).toContain("connect-src 'self' http://127.0.0.1:5174 ws://127.0.0.1:5174;");
  });
});

describe('createShell station IPC', () => {
  const handlers = { 'display.board': () => ({ rows: [] }) } as unknown as StationApiHandlers;

  function served() {
    const { electron, shell } = started(true);
    const listeners: ((event: string, data: unknown) => void)[] = [];
    shell.openWindow();
    shell.serveStation('display', {
      handlers,
      onEvent: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    });
    const window = electron.windows[0]!;
    const call = (contents: ShellContents, frame: SenderFrame | null, raw: unknown = request) => electron.ipc.get(REQUEST_CHANNEL)!({ contents, frame, mainFrame: contents.mainFrame }, raw);
    return { electron, window, call, listeners };
  }

  it('answers our window top frame', async () => {
    const { window, call } = served();
    expect(await call(window.contents, window.contents.mainFrame)).toMatchObject({ type: 'response', id: 1 });
  });

  it('refuses a request from a subframe', () => {
    const { window, call } = served();
    expect(call(window.contents, { url: PAGE, parent: window.contents.mainFrame })).toBeUndefined();
  });

  it('refuses a request from a frame showing a foreign page', () => {
    const { window, call } = served();
    window.contents.mainFrame = { url: 'https://evil.example/', parent: null };
    expect(call(window.contents, window.contents.mainFrame)).toBeUndefined();
  });

  it('refuses a request from web contents the shell did not open', () => {
    const { electron, call } = served();
    const stray = electron.strayContents();
    stray.mainFrame = { url: PAGE, parent: null };
    expect(call(stray, stray.mainFrame)).toBeUndefined();
  });

  it('refuses an implausible request without dispatching it', () => {
    const { window, call } = served();
    expect(call(window.contents, window.contents.mainFrame, 'not an object')).toBeUndefined();
  });

  it('sends station events to its live windows only', () => {
    const { window, listeners } = served();
    listeners.forEach((listener) => listener('display.changed', { n: 1 }));
    window.destroyed = true;
    listeners.forEach((listener) => listener('display.changed', { n: 2 }));
    expect(window.contents.sent).toEqual([{ channel: EVENT_CHANNEL, data: { event: 'display.changed', data: { n: 1 } } }]);
  });
});
