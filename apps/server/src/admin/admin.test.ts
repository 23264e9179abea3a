import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { consolePlugin } from '../console/index';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
// 2026-03-11 10:00 in the hall.
const NOW = new Date('2026-03-11T02:00:00.000Z');

describe.each(BACKENDS)('console admin endpoints on %s', (dialect) => {
  let server: TestServer;
  const tokens = { manager1: '', manager2: '', clerk1: '', admin: '' };
  const call = (method: 'GET' | 'PUT', url: string, who: keyof typeof tokens, payload?: object) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who]), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => NOW });
    const db = server.db.database.db;
    const waiting = (id: string, queue: string, minutesAgo: number) =>
      sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, call_count)
        values (${id}, 't1-hall', ${queue}, '2026-03-11', ${`A${id.slice(1)}`}, 'walk_in', '["t1-svc-1"]',
          ${new Date(NOW.getTime() - minutesAgo * 60_000).toISOString()}, ${new Date(NOW.getTime() - minutesAgo * 60_000).toISOString()}, 'waiting', 0)`.execute(db);
    await waiting('w01', 't1-qa', 45);
    await waiting('w02', 't1-qa', 5);
    // Yesterday's leftover does not count as waiting today.
    await sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, call_count)
      values ('old', 't1-hall', 't1-qa', '2026-03-10', 'A900', 'walk_in', '["t1-svc-1"]', '2026-03-10T02:00:00.000Z', '2026-03-10T02:00:00.000Z', 'waiting', 0)`.execute(db);
    await sql`update counters set state_json = ${JSON.stringify({ status: 'paused', reason: '午休' })} where id = 't1-c2'`.execute(db);
    const device = (id: string, enrolled: string | null, revoked: string | null) =>
      sql`insert into devices (id, hall_id, role, name, enrolled_at, revoked_at, created_at) values (${id}, 't1-hall', 'kiosk', ${id}, ${enrolled}, ${revoked}, '2026-03-01T00:00:00.000Z')`.execute(db);
    await device('k-online', '2026-03-01T00:00:00.000Z', null);
    await device('k-offline', '2026-03-01T00:00:00.000Z', null);
    await device('k-pending', null, null);
    await device('k-revoked', '2026-03-01T00:00:00.000Z', '2026-03-05T00:00:00.000Z');
    await sql`insert into sync_device_progress (device_id, epoch, last_seq, updated_at) values ('k-online', 'e1', 3, ${new Date(NOW.getTime() - 60_000).toISOString()}),
      ('k-offline', 'e1', 3, ${new Date(NOW.getTime() - 3600_000).toISOString()})`.execute(db);
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk1 = await server.login('t1-clerk');
    tokens.admin = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  it('shows counters, today’s waiting counts and longest wait, device health and alerts', async () => {
    const r = await call('GET', '/admin/halls/t1-hall/live', 'manager1');
    expect(r.statusCode, r.body).toBe(200);
    const live = r.json();
    expect(live.today).toBe('2026-03-11');
    expect(live.queues).toEqual([
      { id: 't1-qa', prefix: 'A', name: '户籍业务', waiting: 2, longestWaitSeconds: 45 * 60 },
      { id: 't1-qb', prefix: 'B', name: '出入境业务', waiting: 0, longestWaitSeconds: null },
    ]);
    expect(live.counters.find((c: { id: string }) => c.id === 't1-c2').state).toEqual({ status: 'paused', reason: '午休' });
    expect(Object.fromEntries(live.devices.map((d: { id: string; status: string }) => [d.id, d.status]))).toEqual({
      'k-online': 'online',
      'k-offline': 'offline',
      'k-pending': 'pending',
      'k-revoked': 'revoked',
    });
    expect(live.alerts.map((a: { kind: string; subject: string }) => [a.kind, a.subject])).toEqual([
      ['device_offline', 'k-offline'],
      ['long_wait', '户籍业务'],
      ['counter_paused', '2号窗口'],
    ]);
  });

  it('keeps the live hall to the hall’s own managers and the city administrator', async () => {
    expect((await call('GET', '/admin/halls/t1-hall/live', 'manager2')).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/live', 'clerk1')).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/live', 'admin')).statusCode).toBe(200);
    expect((await call('GET', '/admin/halls/nowhere/live', 'admin')).statusCode).toBe(404);
  });

  it('versions configuration: each audited change raises the hall’s version by one', async () => {
    const before = (await call('GET', '/admin/halls/t1-hall/config-version', 'manager1')).json();
    expect(before.catalogueVersion).toMatch(/^\d+$/);
    const put = await call('PUT', '/admin/halls/t1-hall/notices', 'manager1', { id: 'n1', text: { zh: '今日下午出入境业务暂停' }, active: true });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().notices).toEqual([{ id: 'n1', text: { zh: '今日下午出入境业务暂停' }, active: true }]);
    await call('PUT', '/admin/halls/t1-hall/notices', 'manager1', { id: 'n1', text: { zh: '今日下午出入境业务暂停' }, active: false });
    const after = (await call('GET', '/admin/halls/t1-hall/config-version', 'manager1')).json();
    expect(after.version).toBe(before.version + 2);
    expect(await listAudit(server.db.database.db, { entity: 'notice', entityId: 'n1' })).toHaveLength(2);
    // Another hall's version does not move.
    expect((await call('GET', '/admin/halls/t2-hall/config-version', 'manager2')).json().version).toBe(0);
  });

  it('refuses bad notices, other halls’ notices and non-managers without writing', async () => {
    const empty = await call('PUT', '/admin/halls/t1-hall/notices', 'manager1', { id: 'n2', text: { zh: '  ' }, active: true });
    expect(empty.statusCode).toBe(400);
    expect((await call('PUT', '/admin/halls/t1-hall/notices', 'manager2', { id: 'n3', text: { zh: '通知' }, active: true })).statusCode).toBe(403);
    const stolen = await call('PUT', '/admin/halls/t2-hall/notices', 'admin', { id: 'n1', text: { zh: '改' }, active: true });
    expect(stolen.statusCode).toBe(409);
    expect((await call('GET', '/admin/halls/t1-hall/notices', 'manager1')).json().notices).toHaveLength(1);
  });
});

describe('console static files', () => {
  it('serves the built console and explains a missing build', async () => {
    const built = mkdtempSync(join(tmpdir(), 'hall-console-'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await app.register(consolePlugin(built));
    for (const url of ['/console', '/console/', '/console/index.html']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('<title>console</title>');
    }
    await app.close();
    const bare = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await bare.register(consolePlugin(mkdtempSync(join(tmpdir(), 'hall-console-empty-'))));
    const r = await bare.inject('/console/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build -w @hall/console');
    await bare.close();
  });
});
