import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { enrolledConfig, waitUntil } from '../e2e/harness/stations';
import { closeAllWindows, fake, firstPageLoaded, ipcRequest, resetFakeElectron } from './fakeElectron';
import { readStationIdleHook, STATION_IDLE_HOOK } from '../../build/main/idleInstall';

/*
 * The four station roles started the way a packaged app starts them: each app's Electron
 * entry (its main process file) runs under a fake `electron` module and must bring its role
 * up — the window on the role's page, the station answering on its transport. No Electron
 * binary is needed, so this runs wherever vitest does (the packaging tests that need the
 * binary are skipped in CI).
 */
vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectronModule);

const hall = fixtureHall('t1');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
let central: HallCentral;

beforeAll(async () => {
  central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
});
afterAll(async () => {
  await central?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  resetFakeElectron();
  // One fresh entry per test: importing it runs its main().
  vi.resetModules();
});
afterEach(() => {
  delete process.env.HALL_STATION_CONFIG;
});

/** Writes an enrolled station's config file, as an installer would, and points the entry at it. */
async function useConfig(spec: Parameters<typeof enrolledConfig>[1], extra: Record<string, unknown> = {}): Promise<string> {
  const config = await enrolledConfig(central, spec);
  dirs.push(config.dataDir);
  const file = join(config.dataDir, 'station.json');
  writeFileSync(file, JSON.stringify({ ...config, ...extra }));
  process.env.HALL_STATION_CONFIG = file;
  return config.dataDir;
}

interface Response {
  ok: boolean;
  result?: Record<string, unknown>;
}

async function roleOverIpc(): Promise<unknown> {
  const answer = (await ipcRequest('station.info')) as Response;
  expect(answer.ok).toBe(true);
  return answer.result?.role;
}

const rendererOf = (app: string) => new URL(`file://${join(repo, 'apps', app, 'out/renderer/index.html')}`).href;

describe("the apps' Electron entries start their roles", () => {
  it('kiosk: the kiosk window on the kiosk renderer, the kiosk station answering over IPC', async () => {
    await useConfig({ deviceId: 'el-kiosk', role: 'kiosk' });
    const page = firstPageLoaded();
    await import('../../apps/kiosk/src/main/electron');
    expect((await page).split('?')[0]).toBe(rendererOf('kiosk'));
    expect(fake.windows[0]?.options.kiosk).toBe(true);
    expect(await roleOverIpc()).toBe('kiosk');
    expect(readStationIdleHook()).toBe(true);
    await closeAllWindows();
  });

  it("locker: the kiosk app's Electron entry runs the locker role (its store, its lock boards, its methods over IPC)", async () => {
    const layout = { compartments: [{ id: 'A01', board: 1, lock: 1, size: 'small' }, { id: 'A02', board: 1, lock: 2, size: 'large' }] };
    const dataDir = await useConfig({ deviceId: 'el-locker', role: 'locker' }, { devices: { lockerController: { kind: 'simulated' } }, locker: { layout } });
    const page = firstPageLoaded();
    await import('../../apps/kiosk/src/main/electron');
    // The same renderer: its LockerGate shows the locker's home screen once station.info says "locker".
    expect((await page).split('?')[0]).toBe(rendererOf('kiosk'));
    expect(await roleOverIpc()).toBe('locker');
    expect(existsSync(join(dataDir, 'locker.sqlite'))).toBe(true);
    const status = (await ipcRequest('locker.status')) as Response;
    expect(status.ok).toBe(true);
    expect((status.result?.compartments as { id: string }[]).map((c) => c.id)).toEqual(['A01', 'A02']);
    // A kiosk-only method is refused on a locker: the IPC channel serves the locker's slice.
    expect(((await ipcRequest('ticket.issue', { serviceId: 'x' })) as Response).ok).toBe(false);
    // The locker's own events reach the window without a browser-mode host: it says so when the central API goes away.
    const window = fake.windows[0]!;
    await waitUntil('the locker to fetch its keys', async () => ((await ipcRequest('locker.status')) as Response).result?.online === true);
    const sentBefore = window.webContents.sent.length;
    const toldOffline = () =>
      window.webContents.sent.slice(sentBefore).some(({ data }) => {
        const { event, data: status } = data as { event: string; data: { online?: boolean } };
        return event === 'locker.status' && status.online === false;
      });
    await central.stop();
    try {
      await waitUntil('the locker to tell its window it is offline', toldOffline);
    } finally {
      await central.start();
    }
    await closeAllWindows();
  });

  it('display: the wall window on the display renderer, the display station answering over IPC', async () => {
    await useConfig({ deviceId: 'el-display', role: 'display' });
    const page = firstPageLoaded();
    await import('../../apps/display/src/main/electron');
    expect((await page).split('?')[0]).toBe(rendererOf('display'));
    expect(await roleOverIpc()).toBe('display');
    await closeAllWindows();
  });

  it("counter: the clerk's window on the station's own loopback page, which answers", async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'el-counter-renderer-'));
    dirs.push(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>counter</title><div id="root">counter page</div>');
    await useConfig({ deviceId: 'el-counter', role: 'counter', counterId: 't1-c1', rendererDir });
    delete (globalThis as Record<symbol, unknown>)[STATION_IDLE_HOOK];
    const page = await (async () => {
      const loaded = firstPageLoaded();
      await import('../../apps/counter/src/main/electron');
      return loaded;
    })();
    expect(page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    // The updater may restart it: nobody is signed in at this counter yet.
    expect(readStationIdleHook()).toBe(true);
    const served = await fetch(page);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('counter page');
    // The counter stops its station when the app quits; the page goes with it.
    fake.app.emit('before-quit');
    await waitUntil('the counter station to stop', () => fetch(page).then(() => false, () => true));
  });
});
