// Every station app's Electron main goes through the one hardened shell
// (packages/station/src/shell) rather than making its own windows, IPC handlers or session
// policies: the display once lacked the kiosk's hardening and the counter compared origins
// by string prefix, and this keeps that from coming back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Source patterns only the shell may contain, with why. */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bipcMain\.(handle|on)\s*\(/, 'IPC goes through shell.serveStation (sender and size checked)'],
  [/new\s+BrowserWindow\s*\(/, 'windows come from shell.openWindow (secure webPreferences)'],
  [/webPreferences/, 'webPreferences are the shell\'s, not loosened per app'],
  [/\.startsWith\s*\(/, 'origins are compared by new URL(u).origin in the shell, never by prefix'],
  [/setPermission(Request|Check)Handler/, 'permissions are decided by the shell (default deny)'],
  [/onHeadersReceived|Content-Security-Policy/, 'the CSP is built by the shell'],
  [/will-navigate|setWindowOpenHandler|requestSingleInstanceLock/, 'navigation and single-instance guards are the shell\'s'],
];

/** Calls every Electron main must make. */
const REQUIRED: readonly RegExp[] = [/from '@hall\/station\/shell'/, /createShell\(\s*electronShell\(/, /\.claimSingleInstance\(\)/, /\.secure\(/, /\.openWindow\(/];

export function shellViolations(source: string): string[] {
  const problems = FORBIDDEN.filter(([pattern]) => pattern.test(source)).map(([, why]) => why);
  for (const pattern of REQUIRED) if (!pattern.test(source)) problems.push(`missing ${pattern.source}`);
  return problems;
}

const apps = readdirSync(join(repoRoot, 'apps')).filter((app) => existsSync(join(repoRoot, 'apps', app, 'src/main/electron.ts')));

describe('Electron shells of the station apps', () => {
  it('exist for the kiosk, the counter and the display', () => {
    expect(apps).toEqual(expect.arrayContaining(['kiosk', 'counter', 'display']));
  });

  it.each(apps)('%s goes through the hardened shell', (app) => {
    expect(shellViolations(readFileSync(join(repoRoot, 'apps', app, 'src/main/electron.ts'), 'utf8'))).toEqual([]);
  });

  it.each(apps)('%s has no other main-process file that makes windows or IPC handlers', (app) => {
    const mainDir = join(repoRoot, 'apps', app, 'src/main');
    const others = readdirSync(mainDir).filter((file) => /\.ts$/.test(file) && file !== 'electron.ts');
    const offending = others.filter((file) => /new\s+BrowserWindow\s*\(|\bipcMain\.(handle|on)\s*\(/.test(readFileSync(join(mainDir, file), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('catches a main that hardens by hand', () => {
    const handRolled = `import { app, BrowserWindow, ipcMain } from 'electron';
      const win = new BrowserWindow({ webPreferences: { sandbox: false } });
      win.webContents.on('will-navigate', (e, url) => { if (!url.startsWith(origin)) e.preventDefault(); });
      ipcMain.handle('station:request', () => undefined);`;
    const problems = shellViolations(handRolled);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/serveStation/), expect.stringMatching(/openWindow/), expect.stringMatching(/never by prefix/), expect.stringMatching(/missing .*createShell/)]));
  });
});

/** The CSP a renderer's index.html declares itself: what holds for file:// pages, which get no response headers. */
function metaCsp(html: string): Map<string, string> {
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? '';
  return new Map(
    content
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1).join(' ')]),
  );
}

describe('renderer CSPs of the station apps', () => {
  it.each(apps)('%s connects only to its own origin (the station), and names no base or plugin sources', (app) => {
    const csp = metaCsp(readFileSync(join(repoRoot, 'apps', app, 'src/renderer/index.html'), 'utf8'));
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('script-src') ?? csp.get('default-src')).toBe("'self'");
  });

  it('reads a policy that lets a page connect anywhere as such', () => {
    const csp = metaCsp(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self' ws: wss:" />`);
    expect(csp.get('connect-src')).toBe("'self' ws: wss:");
  });
});
