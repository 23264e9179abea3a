import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Board8aController, LockBusSimulator, openPtyHarness, waitFor, type PtyHarness } from '@hall/devices';
import { makeTestIdNumber, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type LockerLayout } from '@hall/shared';
import { LockerServerLink, LockerStation } from '@hall/station/roles/locker';
import { delegatedDepositCodes, DepositDelegationKeeper } from '@hall/station/roles/counter';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '@hall/server/testing';

/**
 * A locker station and a real central API over HTTP: hall events raised while the API is
 * unreachable arrive later, once; parcels left past the unclaimed period are listed for the
 * counter and taken back with a clerk's staff code.
 */
const HALL = 't1-hall';
const DAY_MS = 24 * 3600 * 1000;
const layout: LockerLayout = {
  compartments: [
    { id: 'A01', board: 1, lock: 1, size: 'small' },
    { id: 'A02', board: 1, lock: 2, size: 'small' },
    { id: 'A03', board: 1, lock: 3, size: 'medium' },
  ],
};
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const PHONE = ['137', '1122', '3344'].join('');
let sequence = 700;

let offsetMs = 0;
const clock = () => Date.now() + offsetMs;
let server: TestServer;
let apiBase = '';
let credential = '';
let pty: PtyHarness;
let sim: LockBusSimulator;
let controller: Board8aController;
let dir = '';
let station: LockerStation;

const openStation = () => new LockerStation({ file: join(dir, 'locker.sqlite'), hallId: HALL, layout, controller, doorPollMs: 20, leftOpenAfterMs: 150, now: clock });
const link = (baseUrl: string) => new LockerServerLink(station, { baseUrl, headers: () => bearer(credential), timeoutMs: 1000 });
const lockOf = (id: string) => layout.compartments.find((c) => c.id === id)!;

async function api<T>(method: 'GET' | 'POST', path: string, token: string, payload?: unknown): Promise<T> {
  const response = await server.app.inject({ method, url: `/api/v1${path}`, headers: bearer(token), ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`);
  return response.json() as T;
}

async function refreshKeys(): Promise<void> {
  const set = await (await fetch(`${apiBase}/residence-codes/keys`)).json();
  expect(station.keys.update(set, clock())).toEqual({ ok: true });
}

/** A parcel deposited through the station, door closed, known to the central API. */
async function depositedParcel(caseNumber: string): Promise<{ parcelId: string; compartmentId: string }> {
  const clerk = await server.login('t1-clerk');
  const { codes } = await api<{ codes: { parcelId: string; code: string }[] }>('POST', '/lockers/deposit-codes', clerk, {
    hallId: HALL,
    items: [{ caseNumber, size: 'small', idNumber: makeTestIdNumber({ sequence: ++sequence }), name: '周九', phone: PHONE }],
  });
  const result = await station.scan(codes[0]!.code);
  if (result.kind !== 'deposit') throw new Error(`deposit refused: ${JSON.stringify(result)}`);
  const compartmentId = result.items[0]?.compartmentId;
  if (!compartmentId) throw new Error(`no compartment opened: ${JSON.stringify(result)}`);
  sim.closeDoor(1, lockOf(compartmentId).lock);
  await waitFor(() => station.parcel(codes[0]!.parcelId)?.status === 'deposited', 3000, 'deposit recorded');
  return { parcelId: codes[0]!.parcelId, compartmentId };
}

async function serverParcel(id: string) {
  return server.db.database.db
    .withTables<{ locker_parcels: { id: string; status: string } }>()
    .selectFrom('locker_parcels')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
}

beforeAll(async () => {
  server = await startTestServer('sqlite', inject('postgresUrl'), { clock: () => new Date(clock()) });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  apiBase = `${address}/api/v1`;
  const manager = await server.login('t1-manager');
  const created = await api<{ enrollmentCode: string }>('POST', '/sync/devices', manager, { id: 'lk-hall', hallId: HALL, role: 'locker', name: '1楼文件柜' });
  const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.enrollmentCode } });
  credential = enrolled.json().credential;
  pty = await openPtyHarness({ baudRate: 9600 });
  sim = new LockBusSimulator(pty.device, { protocol: { kind: '8a80' }, boards: { 1: 24 } });
  controller = new Board8aController({ link: pty.host, timeoutMs: 300, openGapMs: 1 });
  sim.start();
  controller.start();
  await Promise.all([pty.host.waitOpen(2000), pty.device.waitOpen(2000)]);
  dir = mkdtempSync(join(tmpdir(), 'locker-hall-'));
  station = openStation();
  await station.start();
  await refreshKeys();
});

afterAll(async () => {
  await station?.stop();
  await controller?.close();
  await pty?.close();
  await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('locker station ↔ central API', () => {
  it('a door left open while the API is unreachable reaches the hall later, across a restart, exactly once', async () => {
    const online = link(apiBase);
    const { parcelId } = await depositedParcel('SW-HALL-1');
    await online.round();
    expect((await serverParcel(parcelId))?.status).toBe('deposited');
    await online.stop();

    // The API becomes unreachable; a citizen picks up and leaves the door open.
    const offline = link('http://127.0.0.1:1/api/v1');
    const issued = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber: makeTestIdNumber({ sequence }) } });
    const { code } = issued.json() as { code: string };
    const pickup = await station.scan(code);
    expect(pickup.kind).toBe('pickup');
    await waitFor(() => station.pendingEvents().some((e) => e.type === 'door_left_open'), 3000, 'left-open event queued');
    await offline.round();
    expect(offline.lastError).toBeDefined();
    await offline.stop();
    expect(station.pendingEvents().map((e) => e.type)).toEqual(['door_left_open']);

    // Power cut while offline: the event is on disk, not in memory.
    await station.stop();
    station = openStation();
    await station.start();
    const queued = station.pendingEvents();
    expect(queued.map((e) => e.type)).toEqual(['door_left_open']);

    const manager = await server.login('t1-manager');
    const lockerAlerts = async () =>
      (await api<{ alerts: { kind: string; id?: string; subject: string }[] }>('GET', `/admin/halls/${HALL}/live`, manager)).alerts.filter((a) => a.kind === 'locker');
    expect(await lockerAlerts()).toEqual([]);
    const back = link(apiBase);
    await back.round();
    expect(station.pendingEvents()).toEqual([]);
    expect((await lockerAlerts()).map((a) => [a.id, a.subject])).toEqual([[queued[0]!.id, `1楼文件柜 ${queued[0]!.type === 'door_left_open' ? queued[0]!.compartmentId : ''}`]]);
    // An answer lost on the way back: the station resends the same events; the hall still has one alert.
    const again = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(credential), payload: { events: queued } });
    expect(again.json().results).toEqual([{ id: queued[0]!.id, status: 'duplicate' }]);
    expect(await lockerAlerts()).toHaveLength(1);
    await api('POST', `/lockers/alerts/${queued[0]!.id}/acknowledge`, manager, { hallId: HALL });
    expect(await lockerAlerts()).toEqual([]);
    // The door is shut at last; the pickup completes and is recorded.
    sim.closeDoor(1, lockOf(queued[0]!.type === 'door_left_open' ? queued[0]!.compartmentId : '').lock);
    await waitFor(() => station.parcel(parcelId)?.status === 'picked_up', 3000, 'pickup recorded');
    await back.round();
    expect((await serverParcel(parcelId))?.status).toBe('picked_up');
    await back.stop();
  });

  it('unclaimed after six months: listed for the counter, taken back with a staff code, recorded and the citizen told', async () => {
    const { parcelId, compartmentId } = await depositedParcel('SW-HALL-2');
    const online = link(apiBase);
    await online.round();
    const clerkOf = () => server.login('t1-clerk');
    const unclaimed = async () => (await api<{ parcels: { parcelId: string; caseNumber: string; compartmentId: string }[] }>('GET', `/lockers/unclaimed?hallId=${HALL}`, await clerkOf())).parcels;
    expect((await unclaimed()).map((p) => p.parcelId)).not.toContain(parcelId);

    // 181 days: not yet; a staff code opens nothing.
    offsetMs = 181 * DAY_MS;
    await refreshKeys();
    expect((await unclaimed()).map((p) => p.parcelId)).not.toContain(parcelId);
    const early = await station.scan((await api<{ code: string }>('POST', '/lockers/staff-codes', await clerkOf(), { hallId: HALL, purpose: 'return_unclaimed' })).code);
    expect(early).toEqual({ kind: 'return', items: [] });

    offsetMs = 183 * DAY_MS;
    await refreshKeys();
    const listed = await unclaimed();
    expect(listed).toEqual([expect.objectContaining({ parcelId, caseNumber: 'SW-HALL-2', compartmentId })]);
    const staff = await api<{ code: string }>('POST', '/lockers/staff-codes', await clerkOf(), { hallId: HALL, purpose: 'return_unclaimed' });
    const taken = await station.scan(staff.code);
    expect(taken.kind).toBe('return');
    expect(taken.kind === 'return' && taken.items.map((i) => i.compartmentId)).toEqual([compartmentId]);
    expect(sim.isOpen(1, lockOf(compartmentId).lock)).toBe(true);
    sim.closeDoor(1, lockOf(compartmentId).lock);
    await waitFor(() => station.parcel(parcelId)?.status === 'returned', 3000, 'return recorded');
    await online.round();
    expect((await serverParcel(parcelId))?.status).toBe('returned');
    expect(await unclaimed()).toEqual([]);
    const sms = await server.db.database.db.withTables<{ sms_outbox: { template: string; idempotency_key: string } }>().selectFrom('sms_outbox').select('template').where('idempotency_key', '=', `${parcelId}:returned`).execute();
    expect(sms).toEqual([{ template: 'locker_returned' }]);
    // The door audit names the clerk and the reason.
    expect(station.audit.rows().filter((r) => r.parcelId === parcelId && r.action === 'opened').map((r) => r.actor)).toEqual(['clerk:deposit-code', 't1-clerk'].map((a, i) => (i === 0 ? expect.any(String) : `staff:${a}`)));
    // A second staff code finds nothing more to take back.
    const second = await station.scan((await api<{ code: string }>('POST', '/lockers/staff-codes', await clerkOf(), { hallId: HALL, purpose: 'return_unclaimed' })).code);
    expect(second).toEqual({ kind: 'return', items: [] });
    await online.stop();
  });

  it('a counter prints a deposit code with its own certified key while the API is away; the locker deposits and the API credits that counter', async () => {
    await refreshKeys();
    const manager = await server.login('t1-manager');
    const created = await api<{ enrollmentCode: string }>('POST', '/sync/devices', manager, { id: 'ct-hall', hallId: HALL, role: 'counter', name: '3号窗口' });
    const counterCredential = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.enrollmentCode } })).json().credential as string;
    // Online: the counter makes its key pair and gets it certified (stored 0600 beside the credential).
    const keyFile = join(dir, 'counter', 'deposit-key');
    const keeper = (apiUrl: string) =>
      new DepositDelegationKeeper({ path: keyFile, apiUrl, hallId: HALL, deviceId: 'ct-hall', authHeaders: () => bearer(counterCredential), now: clock, timeoutMs: 1000 });
    const online = keeper(apiBase.replace(/\/api\/v1$/, ''));
    expect(await online.refresh()).toBe(true);
    const { statSync } = await import('node:fs');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The API goes away; the counter (restarted, reading its file) still signs.
    const away = keeper('http://127.0.0.1:1');
    expect(await away.refresh(true)).toBe(true);
    expect(away.lastError).toBeDefined();
    const issued = delegatedDepositCodes({ hallId: HALL, citizenKey: 'city', delegation: () => away.current(), now: clock })({
      caseNumber: 'SW-HALL-OFF',
      size: 'small',
      idNumber: makeTestIdNumber({ sequence: ++sequence }),
      name: '吴十',
      phone: PHONE,
    });
    if (!issued.ok) throw new Error(issued.message);
    const result = await station.scan(issued.code);
    if (result.kind !== 'deposit') throw new Error(`deposit refused: ${JSON.stringify(result)}`);
    const { parcelId, compartmentId } = result.items[0]!;
    sim.closeDoor(1, lockOf(compartmentId!).lock);
    await waitFor(() => station.parcel(parcelId)?.status === 'deposited', 3000, 'deposit recorded');
    // The API is back: the locker's event carries the code; the parcel is recorded as issued by the counter.
    const back = link(apiBase);
    await back.round();
    await back.stop();
    expect(station.pendingEvents()).toEqual([]);
    const row = await server.db.database.db
      .withTables<{ locker_parcels: { id: string; status: string; issued_by: string; delegation_kid: string | null } }>()
      .selectFrom('locker_parcels')
      .select(['status', 'issued_by', 'delegation_kid'])
      .where('id', '=', parcelId)
      .executeTakeFirst();
    expect(row).toEqual({ status: 'deposited', issued_by: 'ct-hall', delegation_kid: away.current()!.grant.delegatedKid });
  });
});
