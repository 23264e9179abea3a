import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

interface T {
  id: string;
  day: string;
  svc: 1 | 2;
  counter: string | null;
  staff: string | null;
  status: string;
  issued: string;
  called?: string;
  start?: string;
  end?: string;
  transfers?: number;
  kind?: 'consultation';
}

// Five tickets of hall t1 whose statistics are worked out by hand in the expectations below.
// Medians and p90s come from duration histograms (buckets.ts): exact here, since no bucket
// holds more than two durations; rollup.test.ts checks the stated tolerance on dense data.
const TICKETS: T[] = [
  { id: 'k1', day: '2026-03-02', svc: 1, counter: 't1-c1', staff: 't1-clerk', status: 'finished', issued: '2026-03-02T01:00:00.000Z', called: '2026-03-02T01:00:30.000Z', start: '2026-03-02T01:01:00.000Z', end: '2026-03-02T01:03:00.000Z' },
  { id: 'k2', day: '2026-03-02', svc: 1, counter: 't1-c1', staff: 't1-clerk', status: 'finished', issued: '2026-03-02T01:00:00.000Z', called: '2026-03-02T01:01:30.000Z', start: '2026-03-02T01:02:00.000Z', end: '2026-03-02T01:03:00.000Z', transfers: 1 },
  { id: 'k3', day: '2026-03-03', svc: 2, counter: 't1-c2', staff: 't1-mgr', status: 'missed', issued: '2026-03-03T02:00:00.000Z', called: '2026-03-03T02:05:00.000Z', kind: 'consultation' },
  { id: 'k4', day: '2026-03-03', svc: 1, counter: 't1-c2', staff: null, status: 'finished', issued: '2026-03-03T02:00:00.000Z', called: '2026-03-03T02:10:00.000Z', start: '2026-03-03T02:10:00.000Z', end: '2026-03-03T02:20:00.000Z' },
  { id: 'k5', day: '2026-04-10', svc: 2, counter: null, staff: null, status: 'waiting', issued: '2026-04-10T02:00:00.000Z', kind: 'consultation' },
];

describe.each(BACKENDS)('statistics on %s', (dialect) => {
  let server: TestServer;
  const tokens = { manager1: '', manager2: '', clerk1: '', admin: '' };
  const get = (url: string, who: keyof typeof tokens) => server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(tokens[who]) });
  const stats = async (groupBy: string, from = '2026-01-01', to = '2026-12-31') => {
    const r = await get(`/stats?hallId=t1-hall&from=${from}&to=${to}&groupBy=${groupBy}`, 'manager1');
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    const db = server.db.database.db;
    for (const t of TICKETS) {
      await sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, counter_id,
          called_at, call_count, serving_started_at, finished_at, missed_at, staff_id, transfer_count)
        values (${t.id}, 't1-hall', ${t.svc === 1 ? 't1-qa' : 't1-qb'}, ${t.day}, ${`A${t.id.slice(1).padStart(3, '0')}`}, ${t.kind ?? 'walk_in'},
          ${JSON.stringify([`t1-svc-${t.svc}`])}, ${t.issued}, ${t.issued}, ${t.status}, ${t.counter}, ${t.called ?? null}, ${t.called ? 1 : 0},
          ${t.start ?? null}, ${t.end ?? null}, ${t.status === 'missed' ? t.called! : null}, ${t.staff}, ${t.transfers ?? 0})`.execute(db);
    }
    // A ticket of the other hall must never count for t1.
    await sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, call_count)
      values ('x1', 't2-hall', 't2-qa', '2026-03-02', 'A001', 'walk_in', '["t2-svc-1"]', '2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z', 'waiting', 0)`.execute(db);
    const evaluation = (id: string, ticket: string, rating: string, defaulted: 0 | 1, at: string) =>
      sql`insert into evaluations (id, hall_id, ticket_id, counter_id, staff_id, rating, defaulted, at)
        values (${id}, 't1-hall', ${ticket}, 't1-c1', 't1-clerk', ${rating}, ${defaulted}, ${at})`.execute(db);
    await evaluation('e1', 'k1', 'very_satisfied', 0, '2026-03-02T01:04:00.000Z');
    await evaluation('e2', 'k2', 'unsatisfied', 0, '2026-03-02T01:04:00.000Z');
    // 16:30 UTC is 00:30 the next morning in the hall: a local day of 2026-03-04.
    await evaluation('e3', 'k4', 'satisfied', 1, '2026-03-03T16:30:00.000Z');
    const appointment = (id: string, date: string, svc: number, status: string) =>
      sql`insert into appointments (id, hall_id, service_id, date, slot_from, slot_to, citizen_masked_name, citizen_id_hash, status, booked_at)
        values (${id}, 't1-hall', ${`t1-svc-${svc}`}, ${date}, '09:00', '09:30', '李*明', ${'0'.repeat(64)}, ${status}, '2026-02-01T00:00:00.000Z')`.execute(db);
    await appointment('a1', '2026-03-02', 1, 'checked_in');
    await appointment('a2', '2026-03-02', 1, 'no_show');
    await appointment('a3', '2026-03-03', 2, 'cancelled');
    await appointment('a4', '2026-04-10', 2, 'booked');
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk1 = await server.login('t1-clerk');
    tokens.admin = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  it('counts and times tickets by month: mean, median and p90 interpolated like percentile_cont', async () => {
    const page = await stats('month');
    expect(page.tickets).toHaveLength(2);
    const [march, april] = page.tickets;
    expect(march).toMatchObject({ key: '2026-03', issued: 4, consultation: 1, served: 3, missed: 1, transferred: 1 });
    // waits 30, 90, 300, 600 s: median between 90 and 300; p90 at rank 3.7 → 300 + 0.7·300.
    expect(march.wait.mean).toBeCloseTo(255, 6);
    expect(march.wait.median).toBeCloseTo(195, 6);
    expect(march.wait.p90).toBeCloseTo(510, 6);
    // services 120, 60, 600 s: sorted 60, 120, 600; p90 at rank 2.8 → 120 + 0.8·480.
    expect(march.service.mean).toBeCloseTo(260, 6);
    expect(march.service.median).toBeCloseTo(120, 6);
    expect(march.service.p90).toBeCloseTo(504, 6);
    expect(april).toMatchObject({ key: '2026-04', issued: 1, consultation: 1, served: 0, missed: 0, transferred: 0, wait: { mean: null, median: null, p90: null } });
  });

  it('buckets by day, ISO week, quarter and year', async () => {
    const day = (await stats('day')).tickets;
    expect(day.map((r: { key: string }) => r.key)).toEqual(['2026-03-02', '2026-03-03', '2026-04-10']);
    expect(day[0].wait.median).toBeCloseTo(60, 6);
    expect(day[0].wait.p90).toBeCloseTo(84, 6);
    expect((await stats('week')).tickets.map((r: { key: string; issued: number }) => [r.key, r.issued])).toEqual([['2026-03-02', 4], ['2026-04-06', 1]]);
    expect((await stats('quarter')).tickets.map((r: { key: string; issued: number }) => [r.key, r.issued])).toEqual([['2026-Q1', 4], ['2026-Q2', 1]]);
    expect((await stats('year')).tickets.map((r: { key: string; issued: number }) => [r.key, r.issued])).toEqual([['2026', 5]]);
    expect((await stats('day', '2026-03-03', '2026-03-31')).tickets.map((r: { key: string }) => r.key)).toEqual(['2026-03-03']);
  });

  it('groups by counter, clerk, service and department with labels', async () => {
    const byCounter = await stats('counter');
    expect(byCounter.tickets.map((r: { key: string; issued: number; served: number }) => [r.key, r.issued, r.served])).toEqual([
      ['', 1, 0],
      ['t1-c1', 2, 2],
      ['t1-c2', 2, 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(byCounter.labels['t1-c1']).toBe('1号窗口');
    const byClerk = await stats('clerk');
    const clerk = byClerk.tickets.find((r: { key: string }) => r.key === 't1-clerk');
    expect(clerk).toMatchObject({ issued: 2, served: 2, transferred: 1 });
    expect(clerk.service.median).toBeCloseTo(90, 6);
    expect(byClerk.labels['t1-clerk']).toBe('t1002 赵*');
    const byService = await stats('service');
    expect(byService.tickets.map((r: { key: string; issued: number; missed: number }) => [r.key, r.issued, r.missed])).toEqual([
      ['t1-svc-1', 3, 0],
      ['t1-svc-2', 2, 1],
    ]);
    // 咨询号 counted apart in every grouping: both consultation tickets were for service 2.
    expect(byService.tickets.map((r: { key: string; consultation: number }) => [r.key, r.consultation])).toEqual([
      ['t1-svc-1', 0],
      ['t1-svc-2', 2],
    ]);
    const byDept = await stats('department');
    expect(byDept.tickets).toMatchObject([{ key: 't1-dept', issued: 5, served: 3, missed: 1, transferred: 1 }]);
    expect(byDept.labels['t1-dept']).toBe('户政');
  });

  it('reports satisfaction by the hall-local day and appointments kept', async () => {
    const day = await stats('day');
    expect(day.satisfaction).toEqual([
      { key: '2026-03-02', total: 2, verySatisfied: 1, satisfied: 0, neutral: 0, unsatisfied: 1, veryUnsatisfied: 0, defaulted: 0, satisfactionRate: 0.5 },
      { key: '2026-03-04', total: 1, verySatisfied: 0, satisfied: 1, neutral: 0, unsatisfied: 0, veryUnsatisfied: 0, defaulted: 1, satisfactionRate: 1 },
    ]);
    const month = await stats('month');
    expect(month.appointments).toEqual([
      { key: '2026-03', booked: 3, kept: 1, noShow: 1, cancelled: 1, keptRate: 0.5 },
      { key: '2026-04', booked: 1, kept: 0, noShow: 0, cancelled: 0, keptRate: 0 },
    ]);
    const byService = await stats('service');
    expect(byService.satisfaction.map((r: { key: string; total: number }) => [r.key, r.total])).toEqual([['t1-svc-1', 3]]);
    expect(byService.appointments.map((r: { key: string; booked: number }) => [r.key, r.booked])).toEqual([['t1-svc-1', 2], ['t1-svc-2', 2]]);
  });

  it('limits a manager to their hall and lets the city administrator see all', async () => {
    expect((await get('/stats?hallId=t1-hall&from=2026-01-01&to=2026-12-31', 'manager2')).statusCode).toBe(403);
    expect((await get('/stats?hallId=t1-hall&from=2026-01-01&to=2026-12-31', 'clerk1')).statusCode).toBe(403);
    const own = (await get('/stats?from=2026-01-01&to=2026-12-31&groupBy=hall', 'manager2')).json();
    expect(own.hallIds).toEqual(['t2-hall']);
    expect(own.tickets).toMatchObject([{ key: 't2-hall', issued: 1 }]);
    const all = (await get('/stats?from=2026-01-01&to=2026-12-31&groupBy=hall', 'admin')).json();
    expect(all.tickets.map((r: { key: string; issued: number }) => [r.key, r.issued])).toEqual([['t1-hall', 5], ['t2-hall', 1]]);
  });

  it('refuses bad ranges and groupings with a 400 naming the field', async () => {
    const reversed = await get('/stats?from=2026-05-01&to=2026-01-01', 'manager1');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.message).toContain('from');
    expect((await get('/stats?from=2024-01-01&to=2026-01-01', 'manager1')).statusCode).toBe(400);
    expect((await get('/stats?from=2026-01-01&to=2026-02-01&groupBy=planet', 'manager1')).json().error.code).toBe('invalid_request');
  });

  it('exports CSV and audits the export', async () => {
    const r = await get('/stats/export?hallId=t1-hall&from=2026-01-01&to=2026-12-31&groupBy=counter', 'manager1');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const lines = r.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'group,label,issued,consultation,served,missed,transferred,wait_mean_s,wait_median_s,wait_p90_s,service_mean_s,service_median_s,service_p90_s,ratings,satisfaction_rate,appointments_booked,appointments_kept,appointments_kept_rate',
    );
    expect(lines.find((l) => l.startsWith('t1-c1,'))).toBe('t1-c1,1号窗口,2,0,2,0,1,60,60,84,90,90,114,3,0.67,0,0,');
    expect(lines.find((l) => l.startsWith('t1-c2,'))).toMatch(/^t1-c2,2号窗口,2,1,/);
    const audit = await listAudit(server.db.database.db, { entity: 'stats' });
    expect(audit).toMatchObject([{ action: 'export', actor: { id: 't1-mgr' }, hallId: 't1-hall', entityId: 'counter:2026-01-01..2026-12-31' }]);
  });

  // Last: it changes the data. The statistics above were read, so March is in the rollups already.
  it('shows a day changed after it was read: a ticket synced late and a clerk filled in later', async () => {
    const db = server.db.database.db;
    await sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, counter_id,
        called_at, call_count, serving_started_at, finished_at, staff_id, transfer_count)
      values ('k6', 't1-hall', 't1-qb', '2026-03-02', 'B006', 'walk_in', '["t1-svc-2"]', '2026-03-02T02:00:00.000Z', '2026-03-02T02:00:00.000Z',
        'finished', 't1-c2', '2026-03-02T02:02:00.000Z', 1, '2026-03-02T02:03:00.000Z', '2026-03-02T02:04:00.000Z', 't1-mgr', 0)`.execute(db);
    // The only change to 2026-03-03: an update, not an insert.
    await sql`update tickets set staff_id = 't1-clerk' where id = 'k4'`.execute(db);
    const march = (await stats('month')).tickets[0];
    expect(march).toMatchObject({ key: '2026-03', issued: 5, served: 4, missed: 1, transferred: 1 });
    // waits 30, 90, 120, 300, 600 s: p90 at rank 4.6 → 300 + 0.6·300.
    expect(march.wait.mean).toBeCloseTo(228, 6);
    expect(march.wait.median).toBeCloseTo(120, 6);
    expect(march.wait.p90).toBeCloseTo(480, 6);
    // services 60, 60, 120, 600 s: median between 60 and 120; p90 at rank 3.7 → 120 + 0.7·480.
    expect(march.service.mean).toBeCloseTo(210, 6);
    expect(march.service.median).toBeCloseTo(90, 6);
    expect(march.service.p90).toBeCloseTo(456, 6);
    const clerk = (await stats('clerk')).tickets.find((r: { key: string }) => r.key === 't1-clerk');
    // k1, k2 and now k4: services 120, 60, 600 s.
    expect(clerk).toMatchObject({ issued: 3, served: 3, transferred: 1 });
    expect(clerk.service.median).toBeCloseTo(120, 6);
  });
});
