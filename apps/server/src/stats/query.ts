import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connection';
import type { Database } from '../db/schema';
import { statsSql, type StatsSql } from './dialect';
import { isPeriod, periodKey, type GroupBy } from './groups';

export interface StatsFilter {
  hallIds: readonly string[];
  /** Hall-local days, inclusive. */
  from: string;
  to: string;
  /** Minutes the halls' local time is ahead of UTC (Asia/Shanghai: 480). */
  utcOffsetMinutes: number;
}

export interface DurationStats {
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface TicketStatsRow {
  key: string;
  issued: number;
  served: number;
  missed: number;
  transferred: number;
  /** Seconds from issue to first call. */
  wait: DurationStats;
  /** Seconds from start of service to finish. */
  service: DurationStats;
}

export interface SatisfactionRow {
  key: string;
  total: number;
  verySatisfied: number;
  satisfied: number;
  neutral: number;
  unsatisfied: number;
  veryUnsatisfied: number;
  defaulted: number;
  /** (very satisfied + satisfied) / total, 0..1. */
  satisfactionRate: number | null;
}

export interface AppointmentRow {
  key: string;
  booked: number;
  kept: number;
  noShow: number;
  cancelled: number;
  /** kept / (booked − cancelled): a cancelled booking was never meant to be kept. */
  keptRate: number | null;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The group key of a ticket row (alias t; services joined as s when needed). */
function ticketKey(d: StatsSql, groupBy: GroupBy): { key: RawBuilder<string>; joinService: boolean } {
  if (isPeriod(groupBy)) return { key: periodKey(d, groupBy, 't.day'), joinService: false };
  switch (groupBy) {
    case 'hall':
      return { key: sql<string>`t.hall_id`, joinService: false };
    case 'counter':
      return { key: sql<string>`t.counter_id`, joinService: false };
    case 'clerk':
      return { key: sql<string>`t.staff_id`, joinService: false };
    case 'service':
      return { key: d.firstService('t.service_ids_json'), joinService: false };
    case 'department':
      return { key: sql<string>`s.department_id`, joinService: true };
  }
}

function ticketBase(d: StatsSql, groupBy: GroupBy, f: StatsFilter): RawBuilder<unknown> {
  const { key, joinService } = ticketKey(d, groupBy);
  const join = joinService ? sql`left join services s on s.id = ${d.firstService('t.service_ids_json')}` : sql``;
  return sql`select ${key} as g, t.status as status, t.transfer_count as transfer_count,
      ${d.seconds('t.issued_at', 't.called_at')} as wait_s,
      ${d.seconds('t.serving_started_at', 't.finished_at')} as service_s
    from tickets t ${join}
    where t.hall_id in (${sql.join(f.hallIds)}) and t.day >= ${f.from} and t.day <= ${f.to}`;
}

const COUNTS = sql`count(*) as issued,
  sum(case when status = 'finished' then 1 else 0 end) as served,
  sum(case when status = 'missed' then 1 else 0 end) as missed,
  sum(case when transfer_count > 0 then 1 else 0 end) as transferred,
  avg(wait_s) as wait_mean, avg(service_s) as service_mean`;

interface RawTicketRow {
  g: string | null;
  issued: unknown;
  served: unknown;
  missed: unknown;
  transferred: unknown;
  wait_mean: unknown;
  service_mean: unknown;
}

/**
 * Tickets issued, served, missed, transferred and waiting/service time (mean, median,
 * p90) per group, computed in the database. Percentiles interpolate linearly like
 * PostgreSQL's percentile_cont, which PostgreSQL computes itself; SQLite has no
 * percentile function, so there a window pass ranks each group's durations.
 */
export async function ticketStats(db: Kysely<Database>, dialect: DialectName, f: StatsFilter, groupBy: GroupBy): Promise<TicketStatsRow[]> {
  if (f.hallIds.length === 0) return [];
  const d = statsSql(dialect);
  const base = ticketBase(d, groupBy, f);
  if (dialect === 'postgres') {
    const { rows } = await sql<RawTicketRow & { wait_p50: unknown; wait_p90: unknown; service_p50: unknown; service_p90: unknown }>`
      with base as (${base})
      select g, ${COUNTS},
        percentile_cont(0.5) within group (order by wait_s) as wait_p50,
        percentile_cont(0.9) within group (order by wait_s) as wait_p90,
        percentile_cont(0.5) within group (order by service_s) as service_p50,
        percentile_cont(0.9) within group (order by service_s) as service_p90
      from base group by g order by g nulls first`.execute(db);
    return rows.map((r) => toTicketRow(r, { wait: [r.wait_p50, r.wait_p90], service: [r.service_p50, r.service_p90] }));
  }
  const { rows: counts } = await sql<RawTicketRow>`with base as (${base}) select g, ${COUNTS} from base group by g order by g nulls first`.execute(db);
  // One window pass per duration, straight over the filtered rows: a UNION of both
  // durations made SQLite materialise and sort twice as much (measured on 500k tickets).
  const ranked = async (column: 'wait_s' | 'service_s') => {
    const { rows } = await sql<{ g: string | null; p50: unknown; p90: unknown }>`
      select g, ${interpolated(0.5)} as p50, ${interpolated(0.9)} as p90
      from (select g, v, row_number() over (partition by g order by v) as rn, count(*) over (partition by g) as n
            from (select g, ${sql.ref(column)} as v from (${base}) where ${sql.ref(column)} is not null))
      group by g`.execute(db);
    return new Map(rows.map((p) => [p.g ?? '', p]));
  };
  const wait = await ranked('wait_s');
  const service = await ranked('service_s');
  return counts.map((r) => {
    const w = wait.get(r.g ?? '');
    const s = service.get(r.g ?? '');
    return toTicketRow(r, { wait: [w?.p50, w?.p90], service: [s?.p50, s?.p90] });
  });
}

/** percentile_cont(p) over ranks rn = 1..n: the two ranks around 1 + p·(n−1), weighted by the fraction. */
function interpolated(p: number): RawBuilder<number> {
  const pos = sql`(${sql.lit(p)} * (n - 1))`;
  const lo = sql`cast(${pos} as integer)`;
  const frac = sql`(${pos} - ${lo})`;
  return sql<number>`sum(case when rn = ${lo} + 1 then v * (1 - ${frac}) when rn = ${lo} + 2 then v * ${frac} else 0 end)`;
}

function toTicketRow(r: RawTicketRow, p: { wait: unknown[]; service: unknown[] }): TicketStatsRow {
  return {
    key: r.g ?? '',
    issued: n(r.issued),
    served: n(r.served),
    missed: n(r.missed),
    transferred: n(r.transferred),
    wait: { mean: nn(r.wait_mean), median: nn(p.wait[0]), p90: nn(p.wait[1]) },
    service: { mean: nn(r.service_mean), median: nn(p.service[0]), p90: nn(p.service[1]) },
  };
}

/** UTC bounds of hall-local days [from, to], so the (hall_id, at) index serves the range. */
export function utcRange(f: StatsFilter): { fromIso: string; toIso: string } {
  const start = Date.parse(`${f.from}T00:00:00.000Z`) - f.utcOffsetMinutes * 60_000;
  const end = Date.parse(`${f.to}T00:00:00.000Z`) + 86_400_000 - f.utcOffsetMinutes * 60_000;
  return { fromIso: new Date(start).toISOString(), toIso: new Date(end).toISOString() };
}

/** The hall-local day of an ISO UTC column. */
function localDay(dialect: DialectName, column: string, offsetMinutes: number): RawBuilder<string> {
  const c = sql.ref(column);
  return dialect === 'postgres'
    ? sql<string>`to_char((${c}::timestamptz at time zone 'UTC') + ${sql.lit(offsetMinutes)} * interval '1 minute', 'YYYY-MM-DD')`
    : sql<string>`date(${c}, ${sql.lit(`${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes`)})`;
}

/** 好差评 per group: counts per level, defaulted ratings, and the share of satisfied. */
export async function satisfactionStats(db: Kysely<Database>, dialect: DialectName, f: StatsFilter, groupBy: GroupBy): Promise<SatisfactionRow[]> {
  if (f.hallIds.length === 0) return [];
  const d = statsSql(dialect);
  let key: RawBuilder<string>;
  let join = sql``;
  if (isPeriod(groupBy)) {
    // Bucket the local day; the day column of a subquery keeps the expression in one place.
    key = periodKey(d, groupBy, 'e.local_day');
  } else if (groupBy === 'hall') key = sql<string>`e.hall_id`;
  else if (groupBy === 'counter') key = sql<string>`e.counter_id`;
  else if (groupBy === 'clerk') key = sql<string>`e.staff_id`;
  else {
    join = sql`left join tickets t on t.id = e.ticket_id`;
    key = d.firstService('t.service_ids_json');
    if (groupBy === 'department') {
      join = sql`${join} left join services s on s.id = ${d.firstService('t.service_ids_json')}`;
      key = sql<string>`s.department_id`;
    }
  }
  const { fromIso, toIso } = utcRange(f);
  const { rows } = await sql<Record<string, unknown> & { g: string | null }>`
    select ${key} as g, count(*) as total,
      sum(case when e.rating = 'very_satisfied' then 1 else 0 end) as very_satisfied,
      sum(case when e.rating = 'satisfied' then 1 else 0 end) as satisfied,
      sum(case when e.rating = 'neutral' then 1 else 0 end) as neutral,
      sum(case when e.rating = 'unsatisfied' then 1 else 0 end) as unsatisfied,
      sum(case when e.rating = 'very_unsatisfied' then 1 else 0 end) as very_unsatisfied,
      sum(e.defaulted) as defaulted
    from (select ev.*, ${localDay(dialect, 'ev.at', f.utcOffsetMinutes)} as local_day from evaluations ev
          where ev.hall_id in (${sql.join(f.hallIds)}) and ev.at >= ${fromIso} and ev.at < ${toIso}) e ${join}
    group by 1 order by 1 nulls first`.execute(db);
  return rows.map((r) => {
    const total = n(r.total);
    const good = n(r.very_satisfied) + n(r.satisfied);
    return {
      key: r.g ?? '',
      total,
      verySatisfied: n(r.very_satisfied),
      satisfied: n(r.satisfied),
      neutral: n(r.neutral),
      unsatisfied: n(r.unsatisfied),
      veryUnsatisfied: n(r.very_unsatisfied),
      defaulted: n(r.defaulted),
      satisfactionRate: rate(good, total),
    };
  });
}

/** Appointments kept (checked in), missed (no-show) and cancelled per group; counters and clerks have none. */
export async function appointmentStats(db: Kysely<Database>, dialect: DialectName, f: StatsFilter, groupBy: GroupBy): Promise<AppointmentRow[]> {
  if (f.hallIds.length === 0 || groupBy === 'counter' || groupBy === 'clerk') return [];
  const d = statsSql(dialect);
  let key: RawBuilder<string>;
  let join = sql``;
  if (isPeriod(groupBy)) key = periodKey(d, groupBy, 'a.date');
  else if (groupBy === 'hall') key = sql<string>`a.hall_id`;
  else if (groupBy === 'service') key = sql<string>`a.service_id`;
  else {
    join = sql`left join services s on s.id = a.service_id`;
    key = sql<string>`s.department_id`;
  }
  const { rows } = await sql<Record<string, unknown> & { g: string | null }>`
    select ${key} as g, count(*) as booked,
      sum(case when a.status = 'checked_in' then 1 else 0 end) as kept,
      sum(case when a.status = 'no_show' then 1 else 0 end) as no_show,
      sum(case when a.status = 'cancelled' then 1 else 0 end) as cancelled
    from appointments a ${join}
    where a.hall_id in (${sql.join(f.hallIds)}) and a.date >= ${f.from} and a.date <= ${f.to}
    group by 1 order by 1 nulls first`.execute(db);
  return rows.map((r) => ({
    key: r.g ?? '',
    booked: n(r.booked),
    kept: n(r.kept),
    noShow: n(r.no_show),
    cancelled: n(r.cancelled),
    keptRate: rate(n(r.kept), n(r.booked) - n(r.cancelled)),
  }));
}
