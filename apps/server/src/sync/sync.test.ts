import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SEQ_REUSED,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Mutation,
  type PullResponse,
  type PushResponse,
  localDay,
} from '@hall/shared';
import { buildServer } from '../app';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { seedDemoHall } from '../demo/seed';
import { BACKENDS, createPostgresDatabase } from '../testing/databases';
import { openFormValues } from './formValues';
import { fixtureHall } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { syncDb } from './tables';
import { proven, signInClerk } from '../testing/clerk';
import type { ClerkSessionProver } from '@hall/station';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

/** A device's side of the protocol, minimal: enough to drive the server directly. */
class TestDevice {
  seq = 0;
  readonly epoch = `epoch-${randomBytes(4).toString('hex')}`;
  constructor(
    readonly app: FastifyInstance,
    readonly id: string,
    readonly credential: string,
  ) {}

  /** A counter device's signed-in clerk: its counter mutations carry the session's proof. */
  clerk: ClerkSessionProver | undefined;

  mutation(type: Mutation['type'], payload: Record<string, unknown>): Mutation {
    this.seq += 1;
    const mutation: Mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: this.id, epoch: this.epoch, seq: this.seq, type, payload, hlc: `h-${this.seq}` };
    return this.clerk ? proven(this.clerk, mutation) : mutation;
  }

  async push(mutations: Mutation[]): Promise<PushResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { ...versions, ...bearer(this.credential) },
      payload: { epoch: this.epoch, mutations },
    });
    if (response.statusCode !== 200) throw new Error(`push ${response.statusCode} ${response.body}`);
    return response.json();
  }

  async pull(cursor: number, limit = 1000): Promise<PullResponse> {
    const response = await this.app.inject({ method: 'GET', url: `/api/v1/sync/pull?cursor=${cursor}&limit=${limit}`, headers: { ...versions, ...bearer(this.credential) } });
    if (response.statusCode !== 200) throw new Error(`pull ${response.statusCode} ${response.body}`);
    return response.json();
  }

  async lease(queueId: string, day: string, count = 20): Promise<{ start: number; end: number }> {
    const response = await this.app.inject({
      method: 'POST',
      url: '/api/v1/sync/leases',
      headers: { ...versions, ...bearer(this.credential) },
      payload: { queueId, day, count },
    });
    if (response.statusCode !== 200) throw new Error(`lease ${response.statusCode} ${response.body}`);
    return response.json().block;
  }
}

async function enrollDevice(app: FastifyInstance, managerToken: string, id: string, role: string, counterId?: string, hallId = 't1-hall'): Promise<TestDevice> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(managerToken), payload: { id, hallId, role, name: id, ...(counterId ? { counterId } : {}) } });
  expect(created.statusCode).toBe(201);
  const enrolled = await app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
  expect(enrolled.statusCode).toBe(200);
  const device = new TestDevice(app, id, enrolled.json().credential);
  // A counter station pushes as its signed-in clerk, with the session's proof.
  if (counterId) device.clerk = await signInClerk(app, { id, credential: device.credential, counterId }, `${hallId.replace(/-hall$/, '')}-clerk`);
  return device;
}

const now = () => new Date().toISOString();
const today = () => localDay(Date.now(), 'Asia/Shanghai');

describe.each(BACKENDS)('sync API on %s', (dialect) => {
  let server: TestServer;
  let manager = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  it('enrolls a device once, checks versions and refuses revoked devices', async () => {
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id: 'k-enroll', hallId: 't1-hall', role: 'kiosk', name: 'K' } });
    const code = created.json().enrollmentCode as string;
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    // Another hall's manager cannot create devices here.
    const other = await server.login('t2-manager');
    const foreign = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(other), payload: { id: 'k-x', hallId: 't1-hall', role: 'kiosk', name: 'K' } });
    expect(foreign.statusCode).toBe(403);

    const enroll = () => server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code } });
    const first = await enroll();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ deviceId: 'k-enroll', hallId: 't1-hall', role: 'kiosk' });
    const pull = (headers: Record<string, string>) => server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0', headers });
    // Until its credential is used (the station has it on disk), the code may be exchanged
    // again; the earlier credential is replaced. Once used, the code is spent.
    const second = await enroll();
    expect(second.statusCode).toBe(200);
    expect((await pull({ ...versions, ...bearer(first.json().credential) })).statusCode).toBe(401);
    const credential = second.json().credential as string;
    expect((await pull({ ...versions, ...bearer(credential) })).statusCode).toBe(200);
    expect((await enroll()).statusCode).toBe(401);
    const old = await pull({ [SYNC_HEADERS.protocol]: '0', [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION), ...bearer(credential) });
    expect(old.statusCode).toBe(426);
    expect(old.json().error.code).toBe('unsupported_sync_version');
    expect((await pull(versions)).statusCode).toBe(401);
    expect((await pull({ ...versions, ...bearer(manager) })).statusCode).toBe(403);

    const revoked = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices/k-enroll/revoke', headers: bearer(manager) });
    expect(revoked.statusCode).toBe(200);
    expect((await pull({ ...versions, ...bearer(credential) })).statusCode).toBe(401);
  });

  it('applies pushes once, answers duplicates, asks for gaps and advances past rejections', async () => {
    const kiosk = await enrollDevice(server.app, manager, 'k-push', 'kiosk');
    const block = await kiosk.lease('t1-qa', today(), 5);
    expect(block.end - block.start).toBe(4);
    const next = await kiosk.lease('t1-qa', today(), 5);
    expect(next.start).toBe(block.end + 1);

    const before = await kiosk.pull(0);
    const start = before.kind === 'page' ? before.head : 0;
    const issue = (sequence: number) =>
      kiosk.mutation('issueTicket', { ticketId: uuidV7(Date.now(), randomBytes(10)), queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence, at: now() });
    const m1 = issue(block.start);
    const first = await kiosk.push([m1]);
    expect(first.results).toEqual([{ id: m1.id, seq: 1, status: 'applied', logSeq: start + 1 }]);
    expect(first.lastSeq).toBe(1);

    // A retried batch (lost response) is answered from the record, not applied again.
    const again = await kiosk.push([m1]);
    expect(again.results).toEqual(first.results);

    const m2 = issue(block.start + 1);
    const m3 = issue(block.start + 2);
    const gap = await kiosk.push([m3]);
    expect(gap).toMatchObject({ results: [], lastSeq: 1, resendFrom: 2 });
    expect(Object.keys(gap).sort()).toEqual(['lastSeq', 'resendFrom', 'results', 'server']);

    const stolen = issue(900); // not leased to this kiosk
    const batch = await kiosk.push([m2, m3, stolen]);
    expect(batch.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(batch.results[2]).toMatchObject({ code: 'number_not_leased' });
    expect(batch.lastSeq).toBe(4);

    const page = await kiosk.pull(start);
    expect(page.kind).toBe('page');
    if (page.kind !== 'page') return;
    expect(page.entries.map((e) => e.change.entity)).toEqual(['ticket', 'ticket', 'ticket']);
    expect(page.entries.map((e) => e.origin?.seq)).toEqual([1, 2, 3]);
    expect(page.entries.map((e) => (e.change.entity === 'ticket' ? e.change.data.number : ''))).toEqual(
      [0, 1, 2].map((i) => `A${String(block.start + i).padStart(3, '0')}`),
    );
    const rows = await server.db.database.db.selectFrom('tickets').select('number').where('issued_by_device_id', '=', 'k-push').execute();
    expect(rows).toHaveLength(3);

    // Paging: one entry at a time walks the same entries.
    const one = await kiosk.pull(start, 1);
    expect(one.kind === 'page' && one.entries.length === 1 && one.hasMore).toBe(true);
  });

  it('refuses a seq decided for another mutation (a restored station) and answers a renumbered mutation by its id', async () => {
    const kiosk = await enrollDevice(server.app, manager, 'k-reuse', 'kiosk');
    const form = (name: string) => kiosk.mutation('submitForm', { caseId: uuidV7(Date.now(), randomBytes(10)), serviceId: 't1-svc-1', answers: {}, values: { name }, at: now() });
    const m1 = form('one');
    const m2 = form('two');
    const first = await kiosk.push([m1, m2]);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // Restored from a backup taken after seq 1: seq 2 comes back with another mutation.
    const reused = { ...form('three'), seq: 2 };
    const refused = await server.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...versions, ...bearer(kiosk.credential) }, payload: { epoch: kiosk.epoch, mutations: [m1, reused] } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe(SEQ_REUSED);
    // Nothing of that batch was applied.
    const sync = syncDb(server.db.database.db);
    const cases = async () =>
      (await sync.selectFrom('sync_case_forms').select(['case_id', 'values_json']).execute()).map((c) => ({
        name: (openFormValues(server.app.hall.dataKeys, c.case_id, c.values_json) as { name?: string }).name,
      }));
    expect((await cases()).map((c) => c.name).sort()).toEqual(['one', 'two']);
    // Under a new epoch, the same mutations from seq 1: m2's id is answered from its record, the new one applied.
    const renumbered = new TestDevice(server.app, 'k-reuse', kiosk.credential);
    const again = await renumbered.push([{ ...m2, epoch: renumbered.epoch, seq: 1 }, { ...reused, epoch: renumbered.epoch, seq: 2 }]);
    expect(again.results).toEqual([
      { id: m2.id, seq: 1, status: 'applied', logSeq: first.results[1]?.status === 'applied' ? first.results[1].logSeq : -1 },
      expect.objectContaining({ id: reused.id, seq: 2, status: 'applied' }),
    ]);
    expect(again.lastSeq).toBe(2);
    // A retry of that batch is answered the same way, by pair or by id.
    expect((await renumbered.push([{ ...m2, epoch: renumbered.epoch, seq: 1 }, { ...reused, epoch: renumbered.epoch, seq: 2 }])).results).toEqual(again.results);
    expect((await cases()).map((c) => c.name).sort()).toEqual(['one', 'three', 'two']);
    expect(await sync.selectFrom('sync_mutations').select('id').where('device_id', '=', 'k-reuse').execute()).toHaveLength(3);
  });

  it('lets the first accepted call win and rejects the other counter with a reason', async () => {
    const kiosk = await enrollDevice(server.app, manager, 'k-conflict', 'kiosk');
    const c1 = await enrollDevice(server.app, manager, 'd-c1', 'counter', 't1-c1');
    const c2 = await enrollDevice(server.app, manager, 'd-c2', 'counter', 't1-c2');
    const block = await kiosk.lease('t1-qa', today(), 2);
    const ticketId = uuidV7(Date.now(), randomBytes(10));
    await kiosk.push([kiosk.mutation('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.start, at: now() })]);
    const open1 = await c1.push([c1.mutation('openCounter', { counterId: 't1-c1', at: now() })]);
    const open2 = await c2.push([c2.mutation('openCounter', { counterId: 't1-c2', at: now() })]);
    expect([open1.results[0]?.status, open2.results[0]?.status]).toEqual(['applied', 'applied']);
    // Both called the same ticket while offline; c2's push arrives first.
    const call2 = await c2.push([c2.mutation('callNext', { counterId: 't1-c2', ticketId, at: now() })]);
    const call1 = await c1.push([c1.mutation('callNext', { counterId: 't1-c1', ticketId, at: now() })]);
    expect(call2.results[0]?.status).toBe('applied');
    // A call changes two rows (ticket and counter); a page of one still carries both.
    const callSeq = call2.results[0]?.status === 'applied' ? call2.results[0].logSeq : 0;
    const page = await c2.pull(callSeq - 2, 1);
    expect(page.kind === 'page' && page.entries.map((e) => e.change.entity)).toEqual(['ticket', 'counter']);
    expect(call1.results[0]).toMatchObject({ status: 'rejected', code: 'ticket_not_callable' });
    // c1's follow-up on the ticket it never got is rejected too, and recorded.
    const finish1 = await c1.push([c1.mutation('finish', { counterId: 't1-c1', ticketId, at: now() })]);
    expect(finish1.results[0]).toMatchObject({ status: 'rejected', code: 'no_current_ticket' });
    const recorded = await server.db.database.db
      .withTables<{ sync_mutations: { device_id: string; status: string; code: string | null } }>()
      .selectFrom('sync_mutations')
      .select(['status', 'code'])
      .where('device_id', '=', 'd-c1')
      .execute();
    expect(recorded.map((r) => r.code)).toEqual([null, 'ticket_not_callable', 'no_current_ticket']);

    // The winner hands the ticket to counter 1: the projection counts the transfer for statistics.
    const transfer = await c2.push([c2.mutation('transfer', { counterId: 't1-c2', ticketId, toCounterId: 't1-c1', at: now() })]);
    expect(transfer.results[0]?.status).toBe('applied');
    const row = await server.db.database.db
      .withTables<{ tickets: { id: string; transfer_count: number; target_counter_id: string | null } }>()
      .selectFrom('tickets')
      .select(['transfer_count', 'target_counter_id'])
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(Number(row.transfer_count)).toBe(1);
    expect(row.target_counter_id).toBe('t1-c1');
  });

  it('keeps a submitted form on the server: the case row and its values', async () => {
    const kiosk = await enrollDevice(server.app, manager, 'k-form', 'kiosk');
    const caseId = uuidV7(Date.now(), randomBytes(10));
    const values = { 'f-name': 'fixture-value', 'f-count': 2 };
    const pushed = await kiosk.push([kiosk.mutation('submitForm', { caseId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, values, at: now() })]);
    expect(pushed.results[0]?.status).toBe('applied');
    const db = server.db.database.db.withTables<{ sync_case_forms: { case_id: string; values_json: string } }>();
    const form = await db.selectFrom('sync_case_forms').select('values_json').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(form.values_json).toMatch(/^hk1\./);
    expect(form.values_json).not.toContain('fixture-value');
    expect(openFormValues(server.app.hall.dataKeys, caseId, form.values_json)).toEqual(values);
    const row = await server.db.database.db.selectFrom('cases').select(['status', 'service_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', service_id: 't1-svc-1' });
    // A case for a service of another hall's catalogue is refused with a reason.
    const foreign = await kiosk.push([kiosk.mutation('submitForm', { caseId: 'c-x', serviceId: 't2-svc-1', answers: {}, values: {}, at: now() })]);
    expect(foreign.results[0]).toMatchObject({ status: 'rejected', code: 'unknown_service' });
  });

  it('sends a station behind the compaction horizon to a snapshot', async () => {
    const kiosk = await enrollDevice(server.app, manager, 'k-compact', 'kiosk');
    const block = await kiosk.lease('t1-qb', today(), 3);
    const ticketId = uuidV7(Date.now(), randomBytes(10));
    const pushed = await kiosk.push([kiosk.mutation('issueTicket', { ticketId, queueId: 't1-qb', serviceIds: ['t1-svc-2'], kind: 'walk_in', sequence: block.start, at: now() })]);
    const head = pushed.results[0]?.status === 'applied' ? pushed.results[0].logSeq : 0;
    const compact = await server.app.inject({ method: 'POST', url: '/api/v1/sync/halls/t1-hall/compact', headers: bearer(manager), payload: { upTo: head - 1 } });
    expect(compact.json()).toEqual({ horizon: head - 1 });
    expect(await kiosk.pull(0)).toMatchObject({ kind: 'snapshotRequired', horizon: head - 1 });
    const tail = await kiosk.pull(head - 1);
    expect(tail.kind === 'page' && tail.entries.map((e) => e.seq)).toEqual([head]);
    // A cursor from another server's history (ahead of this head) also needs a snapshot.
    expect((await kiosk.pull(head + 50)).kind).toBe('snapshotRequired');
    const snapshot = await server.app.inject({ method: 'GET', url: '/api/v1/sync/snapshot', headers: { ...versions, ...bearer(kiosk.credential) } });
    const body = snapshot.json();
    expect(body.cursor).toBe(head);
    expect(body.tickets.map((t: { id: string }) => t.id)).toContain(ticketId);
    expect(body.counters.length).toBeGreaterThan(0);
  });
});

describe('pull never skips an entry that commits late (two server instances on PostgreSQL)', () => {
  it('keeps the log gap-free for a reader polling while eight devices push concurrently', async () => {
    const created = await createPostgresDatabase(pgUrl);
    const databases = [openDatabase({ dialect: 'postgres', url: created.url, poolSize: 6 }), openDatabase({ dialect: 'postgres', url: created.url, poolSize: 6 })];
    try {
      await migrate(databases[0]!);
      await seedDemoHall(databases[0]!.db, fixtureHall('t1'));
      // The reader polls flat out; the per-device rate limit is not what this test is about.
      const savedRate = process.env.HALL_SYNC_DEVICE_RATE;
      process.env.HALL_SYNC_DEVICE_RATE = '0';
      const apps = await Promise.all(databases.map((database) => buildServer({ database })));
      if (savedRate === undefined) delete process.env.HALL_SYNC_DEVICE_RATE;
      else process.env.HALL_SYNC_DEVICE_RATE = savedRate;
      const login = await apps[0]!.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 't1-manager', password: 'correct-horse-7' } });
      const token = login.json().token as string;
      const devices: TestDevice[] = [];
      for (let i = 0; i < 8; i++) {
        const d = await enrollDevice(apps[0]!, token, `k-race-${i}`, 'kiosk');
        devices.push(new TestDevice(apps[i % 2]!, d.id, d.credential));
      }
      const blocks: { start: number; end: number }[] = [];
      for (const d of devices) blocks.push(await d.lease('t1-qa', today(), 12));
      const seen: number[] = [];
      let cursor = 0;
      let pushing = true;
      const reader = (async () => {
        for (;;) {
          const finalRound = !pushing;
          const page = await devices[0]!.pull(cursor, 7);
          if (page.kind !== 'page') throw new Error('unexpected snapshot');
          for (const e of page.entries) seen.push(e.seq);
          cursor = page.cursor;
          if (finalRound && !page.hasMore) break;
          if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      await Promise.all(
        devices.map(async (d, i) => {
          for (let n = 0; n < 12; n++) {
            const sequence = blocks[i]!.start + n;
            await d.push([d.mutation('issueTicket', { ticketId: uuidV7(Date.now(), randomBytes(10)), queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence, at: now() })]);
          }
        }),
      );
      pushing = false;
      await reader;
      expect(seen).toEqual(Array.from({ length: 96 }, (_, i) => i + 1));
      await Promise.all(apps.map((app) => app.close()));
    } finally {
      await Promise.all(databases.map((d) => d.close()));
      await created.drop();
    }
  }, 60_000);
});

describe('sync admission control', () => {
  const saved = { rate: process.env.HALL_SYNC_DEVICE_RATE, inflight: process.env.HALL_SYNC_MAX_INFLIGHT };
  const restore = () => {
    for (const [key, value] of [['HALL_SYNC_DEVICE_RATE', saved.rate], ['HALL_SYNC_MAX_INFLIGHT', saved.inflight]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };

  it('answers a device over its rate with 429 and Retry-After', async () => {
    process.env.HALL_SYNC_DEVICE_RATE = '1';
    const server = await startTestServer('sqlite', pgUrl);
    restore();
    try {
      const device = await enrollDevice(server.app, await server.login('t1-manager'), 'k-rate', 'kiosk');
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 3; i++) {
        const response = await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0', headers: { ...versions, ...bearer(device.credential) } });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) retryAfter = response.headers['retry-after'] as string;
      }
      // A burst of twice the rate passes; the next request is told when to come back.
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await server.dispose();
    }
  });

  it('sheds load with 503 and Retry-After when too many sync calls are in flight', async () => {
    process.env.HALL_SYNC_MAX_INFLIGHT = '0';
    const server = await startTestServer('sqlite', pgUrl);
    restore();
    try {
      const device = await enrollDevice(server.app, await server.login('t1-manager'), 'k-busy', 'kiosk');
      const response = await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0', headers: { ...versions, ...bearer(device.credential) } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json().error.code).toBe('overloaded');
    } finally {
      await server.dispose();
    }
  });
});
