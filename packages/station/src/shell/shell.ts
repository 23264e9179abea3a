import type { StationApiHandlers, StationRole } from '@hall/shared';
import { dispatchRequest } from '../host/dispatch';
import { buildCsp, type CspNeeds } from './csp';
import { isTrustedSender, plausibleRequest, type IpcSender, type SenderFrame } from './ipcSender';
import { isBlockedShortcut, recordCrash, type KeyInput } from './lockdown';
import { appOriginOf, isAppUrl, type AppOrigin } from './origin';
import { decidePermission, type PermissionNeeds, type PermissionQuery } from './permissions';
import { log } from '../log';

/*
 * The narrow view of Electron the shell needs. Electron itself cannot run on build machines,
 * so the hardening is written against this interface and tested with an in-memory fake;
 * electronAdapter.ts maps the real modules onto it and does nothing else.
 */

export interface ShellContents {
  readonly mainFrame: SenderFrame;
  /** will-navigate and will-redirect both: a redirect is a navigation the page did not name. */
  onNavigate(listener: (url: string, prevent: () => void) => void): void;
  onAttachWebview(listener: (prevent: () => void) => void): void;
  /** Refuses every window.open and target=_blank: a station window never spawns another. */
  denyNewWindows(): void;
  onDevToolsOpened(listener: () => void): void;
  closeDevTools(): void;
  onBeforeInput(listener: (input: KeyInput, prevent: () => void) => void): void;
  onGone(listener: () => void): void;
  send(channel: string, data: unknown): void;
}

/** webPreferences the shell always sets; apps cannot loosen them. */
export interface SecureWebPreferences {
  readonly preload?: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webviewTag: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly spellcheck: false;
  readonly devTools: boolean;
  readonly autoplayPolicy?: 'no-user-gesture-required';
}

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowSpec {
  readonly kiosk: boolean;
  readonly fullscreen: boolean;
  readonly frame: boolean;
  readonly autoHideMenuBar: true;
  readonly backgroundColor?: string;
  readonly bounds?: Bounds;
  readonly webPreferences: SecureWebPreferences;
}

export interface ShellWindow {
  readonly contents: ShellContents;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  loadURL(url: string): Promise<void>;
  reload(): void;
  onUnresponsive(listener: () => void): void;
}

export interface ShellElectron {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  relaunch(): void;
  exit(code: number): void;
  onSecondInstance(listener: () => void): void;
  onWebContentsCreated(listener: (contents: ShellContents) => void): void;
  removeApplicationMenu(): void;
  createWindow(spec: WindowSpec): ShellWindow;
  handleIpc(channel: string, listener: (sender: IpcSender<ShellContents>, raw: unknown) => unknown): void;
  /** One decision for both Electron handlers: the request handler and the (synchronous) check handler. */
  setPermissionHandler(decide: (query: PermissionQuery) => boolean): void;
  setResponseHeaders(transform: (headers: Record<string, string[]>) => Record<string, string[]>): void;
}

export interface ShellOptions {
  /**
   * Unattended screens (kiosk, wall display): in packaged builds no application menu and
   * no reload/close/devtools keys. Clerk screens keep them off too via devTools:false,
   * but may close their window.
   */
  readonly lockdown: boolean;
  readonly permissions?: PermissionNeeds;
  readonly csp?: CspNeeds;
  /** The crash-loop clock; tests pass their own. */
  readonly now?: () => number;
}

export interface SecureOptions {
  /** The page the app starts on; its origin (or, for file://, its directory) is the only one trusted. */
  readonly startUrl: string;
  /** The station's own addresses the renderer may connect to (none for an IPC renderer). */
  readonly stationAddresses: readonly string[];
}

export interface WindowOptions {
  /** Defaults to the start page. */
  readonly url?: string;
  readonly preload?: string;
  readonly fullscreen?: boolean;
  /** A kiosk window: fullscreen, frameless, and the OS cannot switch away from it. */
  readonly kiosk?: boolean;
  readonly backgroundColor?: string;
  readonly bounds?: Bounds;
  /** Spoken prompts start with what appears on screen, not only after a touch. */
  readonly autoplay?: boolean;
}

export interface StationForShell {
  readonly handlers: StationApiHandlers;
  onEvent(listener: (event: string, data: unknown) => void): () => void;
}

export const REQUEST_CHANNEL = 'station:request';
export const EVENT_CHANNEL = 'station:event';

export interface Shell {
  /** Takes the single-instance lock; false (and the app quits) when another instance has it. */
  claimSingleInstance(): boolean;
  /** Installs session-wide guards; call once the app is ready and the start page is known. */
  secure(options: SecureOptions): AppOrigin;
  openWindow(options?: WindowOptions): ShellWindow;
  /** The station API over IPC: every request's sender and size checked, events to our windows. */
  serveStation(role: StationRole, station: StationForShell): void;
}

/**
 * The one hardening every station shell goes through (Electron security checklist): single
 * instance, sandboxed isolated renderers without Node or webviews, devtools off in packaged
 * builds, default-deny permissions, navigation and new windows only to the app's own origin,
 * a CSP whose connect-src names only the station, IPC only from our windows' top frames.
 */
export function createShell(electron: ShellElectron, options: ShellOptions): Shell {
  const now = options.now ?? Date.now;
  const windows: ShellWindow[] = [];
  const ownContents = new Set<ShellContents>();
  const guarded = new WeakSet<ShellContents>();
  let app: AppOrigin | undefined;
  let startUrl = '';

  const trusted = (): AppOrigin => {
    if (!app) throw new Error('shell.secure() must run before windows or IPC');
    return app;
  };

  // Every web contents, ours or one something else created, gets the same guards.
  function guard(contents: ShellContents): void {
    if (guarded.has(contents)) return;
    guarded.add(contents);
    const own = trusted();
    contents.onNavigate((url, prevent) => {
      if (!isAppUrl(url, own)) prevent();
    });
    contents.denyNewWindows();
    contents.onAttachWebview((prevent) => prevent());
    if (electron.isPackaged) {
      contents.onDevToolsOpened(() => contents.closeDevTools());
      if (options.lockdown) {
        contents.onBeforeInput((input, prevent) => {
          if (isBlockedShortcut(input)) prevent();
        });
      }
    }
  }

  // A failed load must not become an unhandled rejection, which would end the main process
  // and the station with it; the window stays, and a crash or reload brings the page back.
  function load(window: ShellWindow, url: string): void {
    window.loadURL(url).catch((error: unknown) => {
      log.error(`station window could not load ${url}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  function live(): ShellWindow[] {
    return windows.filter((w) => !w.isDestroyed());
  }

  return {
    claimSingleInstance() {
      if (!electron.requestSingleInstanceLock()) {
        electron.quit();
        return false;
      }
      electron.onSecondInstance(() => {
        const [first] = live();
        if (!first) return;
        if (first.isMinimized()) first.restore();
        first.focus();
      });
      return true;
    },

    secure(secureOptions) {
      if (app) throw new Error('shell.secure() runs once');
      app = appOriginOf(secureOptions.startUrl);
      startUrl = secureOptions.startUrl;
      const own = app;
      if (electron.isPackaged && options.lockdown) electron.removeApplicationMenu();
      electron.onWebContentsCreated(guard);
      electron.setPermissionHandler((query) => decidePermission(query, own, options.permissions ?? {}));
      const csp = buildCsp(secureOptions.stationAddresses, options.csp);
      electron.setResponseHeaders((headers) => {
        // Drop any CSP a response brought (any case): the shell's policy is the one that holds.
        const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
        return { ...kept, 'Content-Security-Policy': [csp] };
      });
      return own;
    },

    openWindow(windowOptions = {}) {
      trusted();
      const url = windowOptions.url ?? startUrl;
      const kiosk = windowOptions.kiosk ?? false;
      const window = electron.createWindow({
        kiosk,
        fullscreen: kiosk || (windowOptions.fullscreen ?? false),
        frame: !kiosk,
        autoHideMenuBar: true,
        ...(windowOptions.backgroundColor ? { backgroundColor: windowOptions.backgroundColor } : {}),
        ...(windowOptions.bounds ? { bounds: windowOptions.bounds } : {}),
        webPreferences: {
          ...(windowOptions.preload ? { preload: windowOptions.preload } : {}),
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInSubFrames: false,
          webviewTag: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          spellcheck: false,
          devTools: !electron.isPackaged,
          ...(windowOptions.autoplay ? { autoplayPolicy: 'no-user-gesture-required' as const } : {}),
        },
      });
      windows.push(window);
      ownContents.add(window.contents);
      guard(window.contents);
      // A citizen must never see a crash page: reload, and relaunch the app if that keeps failing.
      let crashes: number[] = [];
      window.contents.onGone(() => {
        const outcome = recordCrash(crashes, now());
        crashes = outcome.crashes;
        if (outcome.relaunch) {
          electron.relaunch();
          electron.exit(0);
          return;
        }
        if (!window.isDestroyed()) load(window, url);
      });
      window.onUnresponsive(() => window.reload());
      load(window, url);
      return window;
    },

    serveStation(role, station) {
      const own = trusted();
      electron.handleIpc(REQUEST_CHANNEL, (sender, raw) => {
        if (!isTrustedSender(sender, ownContents, own) || !plausibleRequest(raw)) return undefined;
        return dispatchRequest(raw, role, station.handlers);
      });
      station.onEvent((event, data) => {
        for (const window of live()) window.contents.send(EVENT_CHANNEL, { event, data });
      });
    },
  };
}
