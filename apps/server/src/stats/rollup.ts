import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connection';
import { bucketLowSql, percentilesFromBuckets } from './buckets';
import { statsSql } from './dialect';
import { MONTHS, WEEKS } from './periods';

/**
 * Per-day rollups behind the statistics page (issue 9): counts, duration sums and
 * duration histograms per (hall, day, dimension, key), so a year's page sums a few
 * thousand rollup rows instead of reading half a million tickets.
 *
 * Every write to tickets, evaluations or appointments marks its (hall, day) in
 * stats_dirty (database triggers, see rollupMigration.ts), whoever writes it: sync
 * pushes, a station syncing a day late, a hand-made fix in SQL. Before a read the dirty
 * days of the halls in scope are rebuilt from the raw rows, in SQL. Today is dirty while
 * tickets are being issued, so today always comes fresh from its raw rows.
 *
 * A "day" is the hall-local day of a ticket, the date of an appointment, and for an
 * evaluation the day of its ticket (the UTC date of the rating when its ticket is not
 * on the server, yet: that ticket's arrival marks the date dirty again).
 */

/** The dimensions the rollups are kept by; departments are read through services. */
export const ROLLUP_DIMENSIONS = ['hall', 'service', 'counter', 'clerk'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export interface HallDay {
  hallId: string;
  day: string;
}

/** Arbitrary constant naming PostgreSQL advisory locks of rollup rebuilds (second key: the hall). */
const PG_ROLLUP_LOCK = 90_917;
/** Days per rebuild statement: keeps parameter lists short on both backends. */
const DAYS_PER_STATEMENT = 100;

const DAY_TABLES = ['stats_ticket_days', 'stats_duration_days', 'stats_day_percentiles'] as const;

/**
 * Every dimension, spelled out: the rollup keys start (hall_id, dim, day), so naming the
 * dims lets both databases seek each (dim, day) instead of scanning a hall's whole year.
 */
const everyDim = (column = 'dim') => sql`${sql.ref(column)} in (${sql.join(ROLLUP_DIMENSIONS.map((d) => sql.lit(d)))})`;

/**
 * Rebuilds the dirty days of these halls. Returns how many (hall, day) pairs were rebuilt.
 * PostgreSQL: a transaction-scoped advisory lock per hall serialises rebuilders, and a
 * dirty mark committed while a rebuild runs survives it (the rebuild deletes only the
 * marks it saw), so the next read rebuilds that day again.
 */
export async function refreshRollups(db: Kysely<unknown>, dialect: DialectName, hallIds: readonly string[]): Promise<number> {
  if (hallIds.length === 0) return 0;
  const halls = [...new Set(hallIds)].sort();
  // A clean read stays out of a write transaction (no lock, no fsync).
  const { rows: pending } = await sql`select 1 as x from stats_dirty where hall_id in (${sql.join(halls)}) limit 1`.execute(db);
  if (pending.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      for (const hallId of halls) await sql`select pg_advisory_xact_lock(${sql.lit(PG_ROLLUP_LOCK)}, hashtext(${hallId}))`.execute(trx);
    }
    const { rows } = await sql<{ hall_id: string; day: string }>`
      delete from stats_dirty where hall_id in (${sql.join(halls)}) returning hall_id, day`.execute(trx);
    const pairs = uniquePairs(rows.map((r) => ({ hallId: r.hall_id, day: r.day })));
    await rebuildDays(trx, dialect, pairs);
    return pairs.length;
  });
}

/**
 * Rebuilds the dirty days of every hall that has any, one hall per transaction so no lock
 * is held long. Run in the background so marks cannot pile up between statistics reads
 * (PostgreSQL adds one per write statement) and a page finds little or nothing to rebuild.
 */
export async function refreshDirtyHalls(db: Kysely<unknown>, dialect: DialectName): Promise<number> {
  const { rows } = await sql<{ hall_id: string }>`select distinct hall_id from stats_dirty`.execute(db);
  let rebuilt = 0;
  for (const { hall_id: hallId } of rows) rebuilt += await refreshRollups(db, dialect, [hallId]);
  return rebuilt;
}

function uniquePairs(pairs: readonly HallDay[]): HallDay[] {
  return [...byHall(pairs, (p) => p.day)].flatMap(([hallId, days]) => days.map((day) => ({ hallId, day })));
}

/** Replaces the rollup rows of these (hall, day) pairs with ones computed from the raw rows. Run inside a transaction. */
export async function rebuildDays(db: Kysely<unknown>, dialect: DialectName, pairs: readonly HallDay[]): Promise<void> {
  for (let i = 0; i < pairs.length; i += DAYS_PER_STATEMENT) {
    const chunk = pairs.slice(i, i + DAYS_PER_STATEMENT);
    const halls = byHall(chunk, (p) => p.day);
    for (const [hallId, days] of halls) {
      await addToSpans(db, dialect, hallId, days, 'subtract');
      for (const table of DAY_TABLES) {
        await sql`delete from ${sql.table(table)} where hall_id = ${hallId} and ${everyDim()} and day in (${sql.join(days)})`.execute(db);
      }
      // These two find a hall's days through their (hall_id, day) keys.
      await sql`delete from stats_evaluation_slots where hall_id = ${hallId} and day in (${sql.join(days)})`.execute(db);
      await sql`delete from stats_appointment_days where hall_id = ${hallId} and day in (${sql.join(days)})`.execute(db);
    }
    const dd = sql`dd(hall_id, day) as (values ${sql.join(chunk.map((p) => sql`(cast(${p.hallId} as text), cast(${p.day} as text))`))})`;
    for (const statement of rebuildStatements(dialect, dd)) await statement.execute(db);
    for (const [hallId, days] of halls) await addToSpans(db, dialect, hallId, days, 'add');
  }
}

/**
 * Week and month histograms are sums of the day ones (a year's page reads 12 months or 52
 * weeks of buckets, not 250 days), kept by taking a day's old buckets out before it is
 * rebuilt and adding its new ones after: the cost of a day, not of a month. Counts are
 * exact; a bucket's smallest and largest duration can only widen, so after a change they
 * may be loose, but never outside the bucket: percentiles stay within its width.
 */
async function addToSpans(db: Kysely<unknown>, dialect: DialectName, hallId: string, days: readonly string[], how: 'add' | 'subtract'): Promise<void> {
  const d = statsSql(dialect);
  for (const span of [WEEKS, MONTHS]) {
    const table = sql.table(span.table);
    const col = sql.ref(span.column);
    const key = span.column === 'week' ? d.weekStart('day') : sql`substr(day, 1, 7)`;
    const sign = how === 'add' ? sql`` : sql`-`;
    const widen =
      how === 'add'
        ? sql`, min_v = ${d.least(sql`${table}.min_v`, sql`excluded.min_v`)}, max_v = ${d.greatest(sql`${table}.max_v`, sql`excluded.max_v`)}`
        : sql``;
    await sql`insert into ${table} (hall_id, dim, ${col}, key, measure, lo, n, min_v, max_v)
      select hall_id, dim, ${key}, key, measure, lo, ${sign}sum(n), min(min_v), max(max_v) from stats_duration_days
      where hall_id = ${hallId} and ${everyDim()} and day in (${sql.join(days)}) group by 1, 2, 3, 4, 5, 6
      on conflict (hall_id, dim, ${col}, key, measure, lo) do update set n = ${table}.n + excluded.n ${widen}`.execute(db);
    if (how === 'add') {
      const keys = [...new Set(days.map((day) => span.of(day)))];
      await sql`delete from ${table} where hall_id = ${hallId} and ${everyDim()} and ${col} in (${sql.join(keys)}) and n <= 0`.execute(db);
    }
  }
}

function byHall(pairs: readonly HallDay[], value: (p: HallDay) => string): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const p of pairs) out.set(p.hallId, (out.get(p.hallId) ?? new Set()).add(value(p)));
  return new Map([...out].map(([hall, values]) => [hall, [...values]]));
}

/** The column holding each dimension's key in the rebuild queries below. */
const KEY_COLUMNS: Record<RollupDimension, string> = { hall: 'hall_id', service: 'service_key', counter: 'counter_key', clerk: 'clerk_key' };

/**
 * One grouped select per dimension, glued with union all: SQLite sorts four small groups
 * far faster than one cross join of every row with every dimension (measured 4×).
 */
function perDimension(select: (dim: RawBuilder<string>, key: RawBuilder<string>) => RawBuilder<unknown>): RawBuilder<unknown> {
  return sql.join(
    ROLLUP_DIMENSIONS.map((dim) => select(sql<string>`${sql.lit(dim)}`, sql<string>`${sql.ref(KEY_COLUMNS[dim])}`)),
    sql` union all `,
  );
}

function rebuildStatements(dialect: DialectName, dd: RawBuilder<unknown>): RawBuilder<unknown>[] {
  const d = statsSql(dialect);
  // One ticket per row with every dimension's key and both durations (null until known),
  // materialised once: every dimension and measure below reads it.
  const tickets = sql`tickets_of_day as materialized (
    select t.hall_id, t.day, coalesce(${d.firstService('t.service_ids_json')}, '') as service_key,
      coalesce(t.counter_id, '') as counter_key, coalesce(t.staff_id, '') as clerk_key, t.status, t.kind, t.transfer_count,
      ${d.seconds('t.issued_at', 't.called_at')} as wait_s, ${d.seconds('t.serving_started_at', 't.finished_at')} as service_s
    from dd join tickets t on t.hall_id = dd.hall_id and t.day = dd.day)`;
  const ticketDays = sql`with ${dd}, ${tickets}
    insert into stats_ticket_days (hall_id, dim, day, key, issued, consultation, served, missed, transferred, wait_n, wait_sum, service_n, service_sum)
    ${perDimension(
      (dim, key) => sql`select hall_id, ${dim}, day, ${key}, count(*),
        sum(case when kind = 'consultation' then 1 else 0 end),
        sum(case when status = 'finished' then 1 else 0 end),
        sum(case when status = 'missed' then 1 else 0 end),
        sum(case when transfer_count > 0 then 1 else 0 end),
        count(wait_s), coalesce(sum(wait_s), 0), count(service_s), coalesce(sum(service_s), 0)
      from tickets_of_day group by hall_id, day, ${key}`,
    )}`;
  const durations = sql`with ${dd}, ${tickets},
      valued as materialized (
        select hall_id, day, service_key, counter_key, clerk_key, 'wait' as measure, wait_s as v from tickets_of_day where wait_s is not null
        union all
        select hall_id, day, service_key, counter_key, clerk_key, 'service', service_s from tickets_of_day where service_s is not null),
      bucketed as materialized (select valued.*, ${bucketLowSql(sql`v`)} as lo from valued)
    insert into stats_duration_days (hall_id, dim, day, key, measure, lo, n, min_v, max_v)
    ${perDimension(
      (dim, key) => sql`select hall_id, ${dim}, day, ${key}, measure, lo, count(*), min(v), max(v)
      from bucketed group by hall_id, day, ${key}, measure, lo`,
    )}`;
  // A day's medians and p90s, read straight when a page groups one hall by day.
  const dayPercentiles = sql`with ${dd}
    insert into stats_day_percentiles (hall_id, dim, day, key, measure, p50, p90)
    ${percentilesFromBuckets(
      d,
      sql`select r.hall_id, r.dim, r.day, r.key, r.measure, r.lo, r.n, r.min_v, r.max_v from dd join stats_duration_days r on r.hall_id = dd.hall_id and ${everyDim('r.dim')} and r.day = dd.day`,
      ['hall_id', 'dim', 'day', 'key', 'measure'],
    )}`;
  // Evaluations of the day's tickets, plus those whose ticket the server has not got (by the rating's UTC date).
  // The range on at lets the (hall_id, at) index find them (SQLite: cross join keeps dd the outer loop, not a
  // scan of every evaluation); the substr makes the date exact.
  const evaluations = sql`with ${dd},
    rated as materialized (
      select e.hall_id, dd.day, ${d.quarterHour('e.at')} as slot, coalesce(${d.firstService('t.service_ids_json')}, '') as service_key,
        e.counter_id as counter_key, e.staff_id as clerk_key, e.rating, e.defaulted
      from dd join tickets t on t.hall_id = dd.hall_id and t.day = dd.day join evaluations e on e.ticket_id = t.id and e.hall_id = t.hall_id
      union all
      select e.hall_id, dd.day, ${d.quarterHour('e.at')}, '', e.counter_id, e.staff_id, e.rating, e.defaulted
      from dd cross join evaluations e
      where e.hall_id = dd.hall_id and e.at >= dd.day and e.at < dd.day || 'U' and substr(e.at, 1, 10) = dd.day
        and not exists (select 1 from tickets t where t.id = e.ticket_id and t.hall_id = e.hall_id))
    insert into stats_evaluation_slots (hall_id, dim, slot, key, day, total, very_satisfied, satisfied, neutral, unsatisfied, very_unsatisfied, defaulted)
    ${perDimension(
      (dim, key) => sql`select hall_id, ${dim}, slot, ${key}, day, count(*),
        sum(case when rating = 'very_satisfied' then 1 else 0 end),
        sum(case when rating = 'satisfied' then 1 else 0 end),
        sum(case when rating = 'neutral' then 1 else 0 end),
        sum(case when rating = 'unsatisfied' then 1 else 0 end),
        sum(case when rating = 'very_unsatisfied' then 1 else 0 end),
        sum(defaulted)
      from rated group by hall_id, slot, ${key}, day`,
    )}`;
  const appointments = sql`with ${dd}
    insert into stats_appointment_days (hall_id, day, service_id, booked, kept, no_show, cancelled)
    select a.hall_id, a.date, a.service_id, count(*),
      sum(case when a.status = 'checked_in' then 1 else 0 end),
      sum(case when a.status = 'no_show' then 1 else 0 end),
      sum(case when a.status = 'cancelled' then 1 else 0 end)
    from dd join appointments a on a.hall_id = dd.hall_id and a.date = dd.day group by 1, 2, 3`;
  return [ticketDays, durations, dayPercentiles, evaluations, appointments];
}
