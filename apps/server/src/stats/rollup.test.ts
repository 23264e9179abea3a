import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { seededRandom } from '@hall/station/testing';
import type { DialectName, HallDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations/index';
import type { Database } from '../db/schema';
import { seedDemoHall } from '../demo/seed';
import { listHalls } from '../store/halls';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../testing/databases';
import { fixtureHall } from '../testing/fixture';
import { bucketLow, bucketLowSql, bucketWidth } from './buckets';
import type { GroupBy } from './groups';
import { statsPage } from './index';
import { MONTHS, WEEKS, wholeSpans } from './periods';
import { refreshDirtyHalls } from './rollup';
import { statsRollupTables } from './rollupMigration';

const pgUrl = inject('postgresUrl');

const HALL = 'r1-hall';
const OFFSET_MS = 8 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const SERVICE_DEPARTMENT: Record<string, string> = { 'r1-svc-1': 'r1-dept', 'r1-svc-2': 'r1-dept' };

/**
 * Tickets, ratings and appointments over six weeks around a month end, dense enough that
 * histogram buckets hold many durations (so medians and p90s are estimates), with ratings
 * late in the evening that fall on the next local day.
 */
async function generate(db: Kysely<Database>, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const statuses = ['finished', 'finished', 'finished', 'finished', 'missed', 'cancelled', 'waiting'];
  const ratings = ['very_satisfied', 'satisfied', 'satisfied', 'neutral', 'unsatisfied', 'very_unsatisfied'];
  const tickets: unknown[][] = [];
  const evaluations: unknown[][] = [];
  const appointments: unknown[][] = [];
  for (let d = 0; d < 42; d += 1 + Math.floor(random() * 3)) {
    const day = iso(Date.parse('2026-01-20T00:00:00Z') + d * 86_400_000).slice(0, 10);
    const open = Date.parse(`${day}T01:00:00Z`);
    for (let k = 0; k < 40; k++) {
      const id = `g${seed}-${day}-${k}`;
      const svc = random() < 0.6 ? 'r1-svc-1' : 'r1-svc-2';
      const status = statuses[Math.floor(random() * statuses.length)]!;
      const issued = open + Math.floor(random() * 12 * 3600_000);
      const called = status === 'waiting' || status === 'cancelled' ? null : issued + Math.floor(random() * 3000_000);
      const start = status === 'finished' && called !== null ? called + Math.floor(random() * 60_000) : null;
      const end = start !== null ? start + Math.floor(random() * 1500_000) : null;
      const counter = called === null ? null : random() < 0.5 ? 'r1-c1' : 'r1-c2';
      const staff = counter === null ? null : random() < 0.8 ? (counter === 'r1-c1' ? 'r1-clerk' : 'r1-mgr') : null;
      tickets.push([
        id, HALL, svc === 'r1-svc-1' ? 'r1-qa' : 'r1-qb', day, `A${k}`, 'walk_in', JSON.stringify([svc]), iso(issued), iso(issued), status, counter,
        called === null ? null : iso(called), called === null ? 0 : 1, start === null ? null : iso(start), end === null ? null : iso(end), staff,
        random() < 0.1 ? 1 : 0,
      ]);
      if (end !== null && counter !== null) {
        evaluations.push([`e-${id}`, HALL, id, counter, staff ?? 'r1-clerk', ratings[Math.floor(random() * ratings.length)]!, random() < 0.2 ? 1 : 0, iso(end + 10_000)]);
      }
    }
    for (let k = 0; k < 4; k++) {
      const status = ['checked_in', 'checked_in', 'no_show', 'cancelled', 'booked'][Math.floor(random() * 5)]!;
      appointments.push([`a${seed}-${day}-${k}`, HALL, k % 2 ? 'r1-svc-2' : 'r1-svc-1', day, '09:00', '09:30', '李*明', '0'.repeat(64), status, `${day}T00:00:00.000Z`]);
    }
  }
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(chunk.map((r) => sql`(${sql.join(r)})`))}`.execute(db);
    }
  };
  await insert('tickets', [
    'id', 'hall_id', 'queue_id', 'day', 'number', 'kind', 'service_ids_json', 'issued_at', 'queued_at', 'status', 'counter_id',
    'called_at', 'call_count', 'serving_started_at', 'finished_at', 'staff_id', 'transfer_count',
  ], tickets);
  await insert('evaluations', ['id', 'hall_id', 'ticket_id', 'counter_id', 'staff_id', 'rating', 'defaulted', 'at'], evaluations);
  await insert('appointments', [
    'id', 'hall_id', 'service_id', 'date', 'slot_from', 'slot_to', 'citizen_masked_name', 'citizen_id_hash', 'status', 'booked_at',
  ], appointments);
}

// ---- The oracle: every statistic computed in plain TypeScript from the raw rows. ----

interface RawTicket {
  id: string;
  hall_id: string;
  day: string;
  service_ids_json: string;
  status: string;
  counter_id: string | null;
  staff_id: string | null;
  transfer_count: number | string;
  issued_at: string;
  called_at: string | null;
  serving_started_at: string | null;
  finished_at: string | null;
}

const seconds = (a: string | null, b: string | null) => (a === null || b === null ? null : (Date.parse(b) - Date.parse(a)) / 1000);
const mondayOf = (day: string) => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return iso(t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000).slice(0, 10);
};
function periodOf(groupBy: GroupBy, day: string): string | undefined {
  switch (groupBy) {
    case 'day':
      return day;
    case 'week':
      return mondayOf(day);
    case 'month':
      return day.slice(0, 7);
    case 'quarter':
      return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) + 2) / 3)}`;
    case 'year':
      return day.slice(0, 4);
    default:
      return undefined;
  }
}

/** percentile_cont over a sorted list, and the widest bucket of the two ranks it reads (the stated tolerance). */
function exactPercentile(sorted: number[], p: number): { value: number; tolerance: number } | null {
  if (sorted.length === 0) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return { value: a + (pos - lo) * (b - a), tolerance: Math.max(bucketWidth(a), bucketWidth(b)) };
}

async function oracle(db: Kysely<Database>, groupBy: GroupBy, from: string, to: string) {
  const { rows: tickets } = await sql<RawTicket>`select * from tickets where hall_id = ${HALL} and day >= ${from} and day <= ${to}`.execute(db);
  const { rows: allTickets } = await sql<RawTicket>`select * from tickets where hall_id = ${HALL}`.execute(db);
  const serviceOf = (t: RawTicket | undefined) => (t ? ((JSON.parse(t.service_ids_json) as string[])[0] ?? '') : '');
  const dimension = (dim: 'service' | 'counter' | 'clerk', t: { service: string; counter: string; clerk: string }) => t[dim];
  const keyOf = (day: string, hall: string, parts: { service: string; counter: string; clerk: string }): string => {
    const period = periodOf(groupBy, day);
    if (period !== undefined) return period;
    if (groupBy === 'hall') return hall;
    if (groupBy === 'department') return SERVICE_DEPARTMENT[parts.service] ?? '';
    return dimension(groupBy as 'service' | 'counter' | 'clerk', parts);
  };
  const groups = new Map<string, { issued: number; served: number; missed: number; transferred: number; wait: number[]; service: number[] }>();
  for (const t of tickets) {
    const key = keyOf(t.day, t.hall_id, { service: serviceOf(t), counter: t.counter_id ?? '', clerk: t.staff_id ?? '' });
    const g = groups.get(key) ?? { issued: 0, served: 0, missed: 0, transferred: 0, wait: [], service: [] };
    g.issued++;
    if (t.status === 'finished') g.served++;
    if (t.status === 'missed') g.missed++;
    if (Number(t.transfer_count) > 0) g.transferred++;
    const w = seconds(t.issued_at, t.called_at);
    const s = seconds(t.serving_started_at, t.finished_at);
    if (w !== null) g.wait.push(w);
    if (s !== null) g.service.push(s);
    groups.set(key, g);
  }
  const durations = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
      median: exactPercentile(sorted, 0.5),
      p90: exactPercentile(sorted, 0.9),
    };
  };
  const ticketRows = [...groups].map(([key, g]) => ({ key, ...g, wait: durations(g.wait), service: durations(g.service) }));

  const fromMs = Date.parse(`${from}T00:00:00Z`) - OFFSET_MS;
  const toMs = Date.parse(`${to}T00:00:00Z`) + 86_400_000 - OFFSET_MS;
  const { rows: evaluations } = await sql<{ hall_id: string; ticket_id: string; counter_id: string; staff_id: string; rating: string; defaulted: number; at: string }>`
    select * from evaluations where hall_id = ${HALL}`.execute(db);
  const byId = new Map(allTickets.map((t) => [t.id, t]));
  const ratings = new Map<string, Record<string, number>>();
  for (const e of evaluations) {
    const at = Date.parse(e.at);
    if (at < fromMs || at >= toMs) continue;
    const ticket = byId.get(e.ticket_id);
    const key = keyOf(iso(at + OFFSET_MS).slice(0, 10), e.hall_id, { service: serviceOf(ticket?.hall_id === e.hall_id ? ticket : undefined), counter: e.counter_id, clerk: e.staff_id });
    const r = ratings.get(key) ?? { total: 0, defaulted: 0 };
    r.total = (r.total ?? 0) + 1;
    r[e.rating] = (r[e.rating] ?? 0) + 1;
    r.defaulted = (r.defaulted ?? 0) + Number(e.defaulted);
    ratings.set(key, r);
  }

  const { rows: appointments } = await sql<{ hall_id: string; service_id: string; date: string; status: string }>`
    select * from appointments where hall_id = ${HALL} and date >= ${from} and date <= ${to}`.execute(db);
  const booked = new Map<string, { booked: number; kept: number; noShow: number; cancelled: number }>();
  if (groupBy !== 'counter' && groupBy !== 'clerk') {
    for (const a of appointments) {
      const key = keyOf(a.date, a.hall_id, { service: a.service_id, counter: '', clerk: '' });
      const b = booked.get(key) ?? { booked: 0, kept: 0, noShow: 0, cancelled: 0 };
      b.booked++;
      if (a.status === 'checked_in') b.kept++;
      if (a.status === 'no_show') b.noShow++;
      if (a.status === 'cancelled') b.cancelled++;
      booked.set(key, b);
    }
  }
  return { tickets: ticketRows, ratings, booked };
}

const byKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

async function expectMatchesOracle(database: HallDatabase, groupBy: GroupBy, from: string, to: string): Promise<number> {
  const halls = (await listHalls(database.db)).filter((h) => h.id === HALL);
  const page = await statsPage(database, halls, { from, to, groupBy });
  const want = await oracle(database.db, groupBy, from, to);
  const label = `${groupBy} ${from}..${to}`;
  const got = byKey(page.tickets);
  const expected = byKey(want.tickets);
  expect(got.map((r) => [r.key, r.issued, r.served, r.missed, r.transferred]), label).toEqual(
    expected.map((r) => [r.key, r.issued, r.served, r.missed, r.transferred]),
  );
  let estimated = 0;
  got.forEach((row, i) => {
    const exp = expected[i]!;
    for (const measure of ['wait', 'service'] as const) {
      const g = row[measure];
      const e = exp[measure];
      if (e.mean === null) expect(g.mean, label).toBeNull();
      else expect(g.mean!, `${label} ${row.key} ${measure} mean`).toBeCloseTo(e.mean, 6);
      for (const p of ['median', 'p90'] as const) {
        const want = e[p];
        if (want === null) {
          expect(g[p], label).toBeNull();
          continue;
        }
        expect(Math.abs(g[p]! - want.value), `${label} ${row.key} ${measure} ${p}: ${g[p]} vs exact ${want.value}`).toBeLessThanOrEqual(want.tolerance);
        if (Math.abs(g[p]! - want.value) > 1e-6) estimated++;
      }
    }
  });
  expect(
    byKey(page.satisfaction).map((r) => [r.key, r.total, r.verySatisfied, r.satisfied, r.neutral, r.unsatisfied, r.veryUnsatisfied, r.defaulted]),
    label,
  ).toEqual(
    byKey([...want.ratings].map(([key, counts]) => ({ key, counts }))).map(({ key, counts: r }) => [
      key, r.total, r.very_satisfied ?? 0, r.satisfied ?? 0, r.neutral ?? 0, r.unsatisfied ?? 0, r.very_unsatisfied ?? 0, r.defaulted,
    ]),
  );
  expect(byKey(page.appointments).map((r) => [r.key, r.booked, r.kept, r.noShow, r.cancelled]), label).toEqual(
    byKey([...want.booked].map(([key, b]) => ({ key, ...b }))).map((r) => [r.key, r.booked, r.kept, r.noShow, r.cancelled]),
  );
  return estimated;
}

const GROUPINGS: GroupBy[] = ['day', 'week', 'month', 'quarter', 'year', 'hall', 'department', 'service', 'counter', 'clerk'];
/** A range of whole months, one with partial months and weeks at both ends, and one inside a week. */
const RANGES: [string, string][] = [
  ['2026-01-01', '2026-02-28'],
  ['2026-01-24', '2026-02-17'],
  ['2026-02-03', '2026-02-07'],
];

describe('statistics rollup helpers', () => {
  it('splits a range into whole months or weeks and the days around them', () => {
    expect(wholeSpans(MONTHS, '2026-01-01', '2026-12-31')).toEqual({ first: '2026-01', last: '2026-12', startDay: '2026-01-01', endDay: '2026-12-31' });
    expect(wholeSpans(MONTHS, '2026-01-25', '2026-04-17')).toEqual({ first: '2026-02', last: '2026-03', startDay: '2026-02-01', endDay: '2026-03-31' });
    expect(wholeSpans(MONTHS, '2024-02-01', '2024-02-29')).toEqual({ first: '2024-02', last: '2024-02', startDay: '2024-02-01', endDay: '2024-02-29' });
    expect(wholeSpans(MONTHS, '2026-02-03', '2026-02-09')).toBeUndefined();
    expect(wholeSpans(MONTHS, '2026-01-02', '2026-02-27')).toBeUndefined();
    // 2026-01-01 is a Thursday: the first whole week starts Monday 2026-01-05; 2026-02-27 is a Friday.
    expect(wholeSpans(WEEKS, '2026-01-01', '2026-02-27')).toEqual({ first: '2026-01-05', last: '2026-02-16', startDay: '2026-01-05', endDay: '2026-02-22' });
    expect(wholeSpans(WEEKS, '2026-02-03', '2026-02-07')).toBeUndefined();
  });

  it('states its resolution: 5 s below 10 min, 30 s below 1 h, 5 min below 8 h, 1 h beyond', () => {
    expect([0, 599.9, 600, 3599, 3600, 28_799, 28_800].map(bucketWidth)).toEqual([5, 5, 30, 30, 300, 300, 3600]);
    expect([0, 4.999, 5, 612.5, 3725, -3].map(bucketLow)).toEqual([0, 0, 5, 600, 3600, -5]);
  });
});

describe.each(BACKENDS)('statistics rollups on %s', (dialect: DialectName) => {
  let test: TestDatabase;
  let database: HallDatabase;
  const run = (q: ReturnType<typeof sql>) => q.execute(database.db);

  beforeAll(async () => {
    test = await openTestDatabase(dialect, pgUrl);
    database = test.database;
    await seedDemoHall(database.db, fixtureHall('r1'));
    await generate(database.db, 1);
  });
  afterAll(async () => test.dispose());

  it('puts durations in the same buckets in SQL as buckets.ts states', async () => {
    const values = [0, 4.999, 5, 599.999, 600, 612.5, 3599.5, 3725, 28_800.25, -3];
    const { rows } = await sql<{ lo: number | string }>`select ${bucketLowSql(sql`v`)} as lo from (${sql.join(
      values.map((v) => sql`select cast(${String(v)} as double precision) as v`),
      sql` union all `,
    )}) x`.execute(database.db);
    expect(rows.map((r) => Number(r.lo)).sort((a, b) => a - b)).toEqual(values.map(bucketLow).sort((a, b) => a - b));
  });

  it('matches every statistic computed from the raw rows, by every grouping and range', async () => {
    let estimated = 0;
    for (const [from, to] of RANGES) for (const groupBy of GROUPINGS) estimated += await expectMatchesOracle(database, groupBy, from, to);
    // The data is dense enough that many percentiles are estimates, not exact: the tolerance is exercised.
    expect(estimated).toBeGreaterThan(20);
  });

  it('reflects late changes to old days made straight in SQL (a station syncing a day late, clerks filled in later)', async () => {
    await expectMatchesOracle(database, 'clerk', '2026-01-01', '2026-02-28');
    // Each day below sees one kind of change only, so each trigger is needed on its own.
    const { rows } = await sql<{ id: string }>`select id from tickets where hall_id = ${HALL} and day = '2026-01-20' and status = 'finished' order by id limit 3`.execute(database.db);
    const [a, b, c] = rows.map((r) => r.id);
    const rated = await sql<{ ticket_id: string }>`select e.ticket_id from evaluations e join tickets t on t.id = e.ticket_id
      where t.day = '2026-02-09' order by e.ticket_id limit 1`.execute(database.db);
    const { rows: dates } = await sql<{ date: string }>`select distinct date from appointments where hall_id = ${HALL} and date > '2026-02-10' order by date limit 1`.execute(database.db);
    await run(sql`update tickets set staff_id = 'r1-mgr', transfer_count = 2 where id = ${a!}`);
    await run(sql`update tickets set status = 'missed', serving_started_at = null, finished_at = null where id = ${b!}`);
    await run(sql`update tickets set called_at = '2026-01-20T09:00:00.000Z', counter_id = 'r1-c2' where id = ${c!}`);
    await run(sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, counter_id, called_at,
        call_count, serving_started_at, finished_at, staff_id, transfer_count)
      values ('late-1', ${HALL}, 'r1-qb', '2026-01-21', 'B900', 'walk_in', '["r1-svc-2"]', '2026-01-21T02:00:00.000Z', '2026-01-21T02:00:00.000Z',
        'finished', 'r1-c1', '2026-01-21T02:07:00.000Z', 1, '2026-01-21T02:08:00.000Z', '2026-01-21T02:31:00.000Z', 'r1-clerk', 0)`);
    await run(sql`insert into evaluations (id, hall_id, ticket_id, counter_id, staff_id, rating, defaulted, at)
      values ('late-e1', ${HALL}, 'late-1', 'r1-c1', 'r1-clerk', 'very_unsatisfied', 0, '2026-01-21T15:59:00.000Z')`);
    await run(sql`update evaluations set rating = 'neutral', staff_id = 'r1-mgr' where ticket_id = ${rated.rows[0]!.ticket_id}`);
    await run(sql`update appointments set status = 'no_show' where hall_id = ${HALL} and date = ${dates[0]!.date}`);
    await run(sql`delete from tickets where hall_id = ${HALL} and day = '2026-01-22' and status = 'waiting'`);
    // Three pages at once find the same dirty days: one rebuilds them, none counts a day twice.
    const halls = (await listHalls(database.db)).filter((h) => h.id === HALL);
    await Promise.all([1, 2, 3].map(() => statsPage(database, halls, { from: '2026-01-01', to: '2026-02-28', groupBy: 'month' })));
    for (const [from, to] of RANGES) for (const groupBy of GROUPINGS) await expectMatchesOracle(database, groupBy, from, to);
  });

  it('counts a rating that arrives before its ticket once, under its service once the ticket arrives', async () => {
    const service = async () => {
      const halls = (await listHalls(database.db)).filter((h) => h.id === HALL);
      const page = await statsPage(database, halls, { from: '2026-02-25', to: '2026-02-25', groupBy: 'service' });
      return page.satisfaction.map((r) => [r.key, r.total]);
    };
    const before = await service();
    await run(sql`insert into evaluations (id, hall_id, ticket_id, counter_id, staff_id, rating, defaulted, at)
      values ('orphan-e1', ${HALL}, 'orphan-t1', 'r1-c2', 'r1-mgr', 'satisfied', 0, '2026-02-25T03:00:00.000Z')`);
    await expectMatchesOracle(database, 'service', '2026-02-25', '2026-02-25');
    expect(await service()).toContainEqual(['', 1]);
    await run(sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, call_count)
      values ('orphan-t1', ${HALL}, 'r1-qb', '2026-02-25', 'B901', 'walk_in', '["r1-svc-2"]', '2026-02-25T02:00:00.000Z', '2026-02-25T02:00:00.000Z', 'finished', 1)`);
    await expectMatchesOracle(database, 'service', '2026-02-25', '2026-02-25');
    const after = new Map((await service()) as [string, number][]);
    expect(after.has('')).toBe(false);
    expect(after.get('r1-svc-2')).toBe((new Map(before as [string, number][]).get('r1-svc-2') ?? 0) + 1);
    await expectMatchesOracle(database, 'month', '2026-01-01', '2026-02-28');
  });

  it('leaves nothing dirty once a page has been read, and rebuilds only what a write touched', async () => {
    const halls = (await listHalls(database.db)).filter((h) => h.id === HALL);
    await statsPage(database, halls, { from: '2026-01-01', to: '2026-01-31', groupBy: 'month' });
    const dirty = async () => (await sql<{ day: string }>`select distinct day from stats_dirty where hall_id = ${HALL} order by day`.execute(database.db)).rows.map((r) => r.day);
    expect(await dirty()).toEqual([]);
    const { rows } = await sql<{ day: string }>`select distinct day from tickets where hall_id = ${HALL} and day > '2026-02-01' order by day limit 2`.execute(database.db);
    const [ticketDay, appointmentDay] = rows.map((r) => r.day);
    await run(sql`update tickets set status = 'missed' where hall_id = ${HALL} and day = ${ticketDay!}`);
    await run(sql`update appointments set status = 'cancelled' where hall_id = ${HALL} and date = ${appointmentDay!}`);
    expect(await dirty()).toEqual([ticketDay, appointmentDay]);
    // The background refresher leaves nothing for the next page to rebuild.
    expect(await refreshDirtyHalls(database.db as unknown as Kysely<unknown>, database.dialect)).toBe(2);
    expect(await dirty()).toEqual([]);
    await expectMatchesOracle(database, 'day', '2026-02-01', '2026-02-28');
  });
});

describe.each(BACKENDS)('statistics rollup migration on %s', (dialect: DialectName) => {
  it('backfills the rollups of rows written before it ran', async () => {
    const test = await openTestDatabase(dialect, pgUrl, { migrated: false });
    try {
      const database = test.database;
      const before = migrations.slice(0, migrations.indexOf(statsRollupTables));
      await migrate(database, before);
      await seedDemoHall(database.db, fixtureHall('r1'));
      await generate(database.db, 2);
      expect((await migrate(database)).applied).toContain(statsRollupTables.name);
      // The migration marks the old days; they are rebuilt after every migration ran (the periodic refresh or the first read).
      const dirty = async () => Number((await sql<{ n: number | string }>`select count(*) as n from stats_dirty`.execute(database.db)).rows[0]!.n);
      expect(await dirty()).toBeGreaterThan(0);
      await refreshDirtyHalls(database.db as unknown as Kysely<unknown>, dialect);
      expect(await dirty()).toBe(0);
      for (const groupBy of ['month', 'service', 'clerk'] as const) await expectMatchesOracle(database, groupBy, '2026-01-01', '2026-02-28');
    } finally {
      await test.dispose();
    }
  });
});
