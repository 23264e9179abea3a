import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { IdCardSimulator, LockBusSimulator, SerialCodeScanner, SerialScannerSimulator } from '@hall/devices';
import { openPtyHarness, type PtyHarness } from '@hall/devices/testing';
import { startSimControl, type SimControl } from '@hall/station';
import type { RecordedSms } from '../../sms/simulator';
import { startTestServer, TEST_PLATFORM_KEY, type TestServer } from '../../testing/server';
import { forgeCode, startPanel, type Panel, type PanelStation } from './server';

const STATION_TOKEN = 'panel-test-station-token-0123456789abcdef';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A locker-like station's real simulator control: lock boards and an ID-card reader on socat pty pairs. */
async function lockerSimulators(withScanner = false): Promise<{ sim: SimControl; bus: LockBusSimulator; scanned: string[] }> {
  const boards: PtyHarness = await openPtyHarness({ baudRate: 9600 });
  const cards: PtyHarness = await openPtyHarness({ baudRate: 115200 });
  closers.push(() => boards.close(), () => cards.close());
  const bus = new LockBusSimulator(boards.device, { protocol: { kind: '8a80' }, boards: { 1: 4 } });
  bus.start();
  const idCard = new IdCardSimulator(cards.device);
  idCard.start();
  const scanned: string[] = [];
  let scanner: SerialScannerSimulator | undefined;
  if (withScanner) {
    const line = await openPtyHarness({ baudRate: 9600 });
    closers.push(() => line.close());
    scanner = new SerialScannerSimulator(line.device);
    scanner.start();
    const reader = new SerialCodeScanner({ link: line.host });
    reader.on('scan', ({ code }) => scanned.push(code));
    reader.start();
    closers.push(() => reader.close());
  }
  const sim = await startSimControl({ lockBus: bus, idCard, ...(scanner ? { scanner } : {}) }, STATION_TOKEN);
  closers.push(() => sim.close());
  return { sim, bus, scanned };
}

async function panelFor(stations: PanelStation[], apiUrl = 'http://127.0.0.1:9', sms: RecordedSms[] = []): Promise<{ panel: Panel; call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; json: Record<string, unknown> }> }> {
  const panel = await startPanel({ stations: () => stations, apiUrl, citizenPlatformKey: TEST_PLATFORM_KEY, sms: () => sms, env: {} });
  closers.push(() => panel.close());
  const token = new URL(panel.url).hash.replace('#token=', '');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) => {
    const response = await fetch(new URL(`/api/${path}`, panel.url), { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { panel, call };
}

const lockerStation = (simUrl: string): PanelStation => ({
  id: 'locker-1',
  label: '智能柜',
  role: 'locker',
  pageUrl: 'http://127.0.0.1:1/#token=x',
  simUrl,
  token: STATION_TOKEN,
  compartments: [{ id: 'A01', board: 1, lock: 1 }],
});

describe('hall simulator panel', () => {
  it('does not start with NODE_ENV=production', async () => {
    await expect(startPanel({ stations: () => [], apiUrl: 'http://127.0.0.1:9', citizenPlatformKey: 'k', sms: () => [], env: { NODE_ENV: 'production' } })).rejects.toThrow(/production/);
  });

  it('serves its page to anyone on this machine but its API only to the bearer of its token, by its own host name', async () => {
    const { panel, call } = await panelFor([]);
    const page = await fetch(panel.url.replace(/#.*$/, ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('大厅模拟器');
    expect((await call('GET', 'state', undefined, {})).status).toBe(401);
    expect((await call('GET', 'state', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    // A page elsewhere that rebinds its own name to 127.0.0.1 is turned away.
    const port = new URL(panel.url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/state', headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(rebound).toBe(421);
  });

  it('makes test citizens the hall sees masked, 60+ by age, and drives a station’s doors and reader through its simulator control', async () => {
    const { sim, bus } = await lockerSimulators();
    const sms: RecordedSms[] = [{ messageId: 'sim-1', to: ['139', '0000', '4444'].join(''), text: '您的材料已存入A01号柜，取件码12345678', idempotencyKey: 'k', at: new Date().toISOString() }];
    const { call } = await panelFor([lockerStation(sim.url)], undefined, sms);
    const made = await call('POST', 'citizens', { age: 70, sex: 'male' });
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({ key: 'c1', age: 70, sex: 'male' });
    expect(String(made.json.name)).toContain('*');

    expect((await call('POST', 'stations/locker-1/idcard', { citizen: 'c1' })).status).toBe(200);
    const state = (await call('GET', 'state')).json as { stations: { devices: { idCard: { card: unknown }; locks: { lock: number; jammed: boolean }[] } }[]; citizens: { idNumber: string }[]; sms: { to: string; text: string }[] };
    expect(state.stations[0]?.devices.idCard.card).toMatchObject({ sex: 'male' });
    // The number is known (the reader made it) but shown masked only; so is the phone.
    expect(state.citizens[0]?.idNumber).toMatch(/^\d{4}\*+\w{4}$/);
    expect(state.sms[0]).toEqual({ id: 'sim-1', to: '139****4444', text: sms[0]?.text, at: sms[0]?.at });

    expect((await call('POST', 'stations/locker-1/locks/jam', { board: 1, lock: 2, jammed: true })).status).toBe(200);
    expect(bus.locks().find((l) => l.lock === 2)?.jammed).toBe(true);
    const missing = await call('POST', 'stations/locker-1/locks/close', { board: 1, lock: 9 });
    expect(missing).toEqual({ status: 400, json: { error: 'no lock 9 on board 1' } });
    expect((await call('POST', 'stations/nowhere/idcard', { citizen: 'c1' })).status).toBe(404);
    expect((await call('POST', 'stations/locker-1/idcard', { citizen: 'c9' })).json).toEqual({ error: 'no test citizen c9' });
  });

  it('asks the central API for a genuine residence code, and a forged one differs only in its signature', async () => {
    const server: TestServer = await startTestServer('sqlite', inject('postgresUrl'));
    closers.push(() => server.dispose());
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const apiUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const { sim, scanned } = await lockerSimulators(true);
    const { call } = await panelFor([lockerStation(sim.url)], apiUrl);
    await call('POST', 'citizens', { age: 35, sex: 'female' });
    // No card placed yet: the panel does not know the citizen's test number.
    expect((await call('POST', 'stations/locker-1/scan', { kind: 'residence', citizen: 'c1' })).status).toBe(409);
    await call('POST', 'stations/locker-1/idcard', { citizen: 'c1' });
    expect((await call('POST', 'stations/locker-1/scan', { kind: 'residence', citizen: 'c1' })).status).toBe(200);
    expect((await call('POST', 'stations/locker-1/scan', { kind: 'forged', citizen: 'c1' })).status).toBe(200);
    await expect.poll(() => scanned.length).toBe(2);
    const [genuine = '', forged = ''] = scanned;
    // Both in the residence code's format; the forged one's signature is not the one issued.
    expect(genuine).toMatch(/^HRC1\./);
    expect(forged).toMatch(/^HRC1\./);
    expect(forged.length).toBe(genuine.length);
    expect(forgeCode(genuine)).not.toBe(genuine);
    expect(forgeCode(genuine).slice(0, -6)).toBe(genuine.slice(0, -6));
  });
});
