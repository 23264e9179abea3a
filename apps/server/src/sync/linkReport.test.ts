import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type OutagePeriod } from '@hall/shared';
import type { LiveHall } from '../admin/live';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const START = Date.parse('2026-03-11T06:00:00.000Z'); // 14:00 in Shanghai

async function enroll(app: FastifyInstance, manager: string, id: string, role: string): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: `${id} 名` } });
  expect(created.statusCode, created.body).toBe(201);
  const enrolled = await app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  return enrolled.json().credential as string;
}

const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

describe.each(BACKENDS)('device contact and outage reports on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  let now = new Date(START);

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now });
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const live = async (): Promise<LiveHall> => {
    const r = await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/live', headers: bearer(manager) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const device = async (id: string) => (await live()).devices.find((d) => d.id === id);
  const call = (credential: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: { ...versions, ...bearer(credential) }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('shows a device that only pulls as online, by its latest authenticated contact', async () => {
    const credential = await enroll(server.app, manager, 'd-pull', 'display');
    // Enrolled, never in touch: offline, "never".
    expect(await device('d-pull')).toMatchObject({ status: 'offline', lastSyncAt: null });
    now = new Date(START + 60_000);
    expect((await call(credential, 'GET', '/sync/pull?cursor=0')).statusCode).toBe(200);
    expect(await device('d-pull')).toMatchObject({ status: 'online', lastSyncAt: now.toISOString() });
    expect((await live()).alerts.filter((a) => a.kind === 'device_offline').map((a) => a.subject)).not.toContain('d-pull 名');
    // Ten quiet minutes: offline, with the last contact named.
    now = new Date(START + 11 * 60_000);
    expect(await device('d-pull')).toMatchObject({ status: 'offline', lastSyncAt: at(1) });
    expect((await live()).alerts).toContainEqual({ kind: 'device_offline', subject: 'd-pull 名', detail: at(1) });
    // A catalogue fetch is contact too.
    expect((await call(credential, 'GET', '/sync/catalogue')).statusCode).toBe(200);
    expect(await device('d-pull')).toMatchObject({ status: 'online', lastSyncAt: at(11) });
  });

  it('counts the poke socket as contact', async () => {
    const credential = await enroll(server.app, manager, 'c-socket', 'counter');
    now = new Date(START + 20 * 60_000);
    const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, { headers: bearer(credential) });
    try {
      const [hello] = (await once(socket, 'message')) as [Buffer];
      expect(JSON.parse(hello.toString())).toMatchObject({ type: 'hello', principal: { kind: 'device', id: 'c-socket' } });
      expect(await device('c-socket')).toMatchObject({ status: 'online', lastSyncAt: at(20) });
    } finally {
      socket.terminate();
    }
  });

  it('records outage periods once per device and start, and shows the last 24 h on the live page', async () => {
    const kiosk = await enroll(server.app, manager, 'k-outage', 'kiosk');
    const counter = await enroll(server.app, manager, 'c-outage', 'counter');
    now = new Date(START + 30 * 60_000);
    const mesh: OutagePeriod = { from: at(2), to: at(14), mode: 'mesh', maxPeers: 3, localMutations: 7 };
    const report = (credential: string, periods: unknown[]) => call(credential, 'POST', '/sync/link-report', { periods });
    const first = await report(kiosk, [mesh, { from: '2026-03-10T01:00:00.000Z', to: '2026-03-10T01:30:00.000Z', mode: 'alone', maxPeers: 0, localMutations: 1 }]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ recorded: 2 });
    // The answer was lost and the station reports again: nothing doubles.
    expect((await report(kiosk, [mesh])).statusCode).toBe(200);
    expect((await report(counter, [{ from: at(3), to: at(13), mode: 'mesh', maxPeers: 2, localMutations: 4 }])).statusCode).toBe(200);
    // Refused: no periods, a period ending before it starts, a staff token.
    expect((await report(kiosk, [])).statusCode).toBe(400);
    expect((await report(kiosk, [{ ...mesh, to: at(1) }])).statusCode).toBe(400);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/sync/link-report', headers: { ...versions, ...bearer(manager) }, payload: { periods: [mesh] } })).statusCode).toBe(403);

    const rows = await server.db.database.db
      .withTables<{ sync_link_periods: { device_id: string; from_at: string } }>()
      .selectFrom('sync_link_periods')
      .select(['device_id', 'from_at'])
      .orderBy('device_id')
      .orderBy('from_at')
      .execute();
    expect(rows).toEqual([
      { device_id: 'c-outage', from_at: at(3) },
      { device_id: 'k-outage', from_at: '2026-03-10T01:00:00.000Z' },
      { device_id: 'k-outage', from_at: at(2) },
    ]);

    const page = await live();
    // Yesterday's period is older than 24 h: not shown.
    expect(page.outages).toEqual([
      { deviceId: 'k-outage', deviceName: 'k-outage 名', from: at(2), to: at(14), mode: 'mesh', maxPeers: 3, localMutations: 7 },
      { deviceId: 'c-outage', deviceName: 'c-outage 名', from: at(3), to: at(13), mode: 'mesh', maxPeers: 2, localMutations: 4 },
    ]);
    expect(page.lastHallOutage).toEqual({ from: at(2), to: at(14), stations: 2, maxPeers: 3, localMutations: 11 });
    // Reporting is contact: both stations show online.
    expect(page.devices.filter((d) => d.id.endsWith('-outage')).map((d) => d.status)).toEqual(['online', 'online']);
  });
});
