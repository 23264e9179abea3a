// Electron's modules seen through the shell's narrow interface. Type-only import: the
// station package never loads Electron itself; the app's main passes the real modules in.
// Kept to plain delegation because nothing here can run without the Electron binary.
import type { App, BrowserWindow as BrowserWindowType, IpcMain, Menu as MenuType, Session, WebContents } from 'electron';
import type { ShellContents, ShellElectron, ShellWindow } from './shell';

export interface ElectronModules {
  readonly app: App;
  readonly BrowserWindow: typeof BrowserWindowType;
  readonly ipcMain: IpcMain;
  readonly Menu: typeof MenuType;
  /** Read lazily: Electron's default session exists only once the app is ready. */
  readonly session: { readonly defaultSession: Session };
}

export function electronShell({ app, BrowserWindow, ipcMain, Menu, session }: ElectronModules): ShellElectron {
  // One wrapper per WebContents, so the shell can recognize its own windows by identity.
  const wrapped = new WeakMap<WebContents, ShellContents>();
  const contentsOf = (contents: WebContents): ShellContents => {
    const known = wrapped.get(contents);
    if (known) return known;
    const shell: ShellContents = {
      get mainFrame() {
        return contents.mainFrame;
      },
      onNavigate(listener) {
        contents.on('will-navigate', (event, url) => listener(url, () => event.preventDefault()));
        contents.on('will-redirect', (event, url) => listener(url, () => event.preventDefault()));
      },
      onAttachWebview(listener) {
        contents.on('will-attach-webview', (event) => listener(() => event.preventDefault()));
      },
      denyNewWindows() {
        contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      },
      onDevToolsOpened(listener) {
        contents.on('devtools-opened', listener);
      },
      closeDevTools() {
        contents.closeDevTools();
      },
      onBeforeInput(listener) {
        contents.on('before-input-event', (event, input) => listener(input, () => event.preventDefault()));
      },
      onGone(listener) {
        contents.on('render-process-gone', () => listener());
      },
      send(channel, data) {
        contents.send(channel, data);
      },
    };
    wrapped.set(contents, shell);
    return shell;
  };

  return {
    isPackaged: app.isPackaged,
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    quit: () => app.quit(),
    relaunch: () => app.relaunch(),
    exit: (code) => app.exit(code),
    onSecondInstance: (listener) => void app.on('second-instance', () => listener()),
    onWebContentsCreated: (listener) => void app.on('web-contents-created', (_event, contents) => listener(contentsOf(contents))),
    removeApplicationMenu: () => Menu.setApplicationMenu(null),
    createWindow({ bounds, ...spec }): ShellWindow {
      const window = new BrowserWindow({ ...bounds, ...spec, webPreferences: { ...spec.webPreferences } });
      return {
        contents: contentsOf(window.webContents),
        isDestroyed: () => window.isDestroyed(),
        isMinimized: () => window.isMinimized(),
        restore: () => window.restore(),
        focus: () => window.focus(),
        loadURL: (url) => window.loadURL(url),
        reload: () => window.webContents.reload(),
        onUnresponsive: (listener) => void window.on('unresponsive', () => listener()),
      };
    },
    handleIpc(channel, listener) {
      ipcMain.handle(channel, (event, raw: unknown) =>
        listener({ contents: contentsOf(event.sender), frame: event.senderFrame, mainFrame: event.sender.mainFrame }, raw),
      );
    },
    setPermissionHandler(decide) {
      const { defaultSession } = session;
      defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
        const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
        callback(decide({ permission, requestingUrl: details.requestingUrl ?? contents.getURL(), ...(mediaTypes ? { mediaTypes } : {}) }));
      });
      defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decide({ permission, requestingUrl: requestingOrigin }));
    },
    setResponseHeaders(transform) {
      session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: transform(details.responseHeaders ?? {}) });
      });
    },
  };
}
