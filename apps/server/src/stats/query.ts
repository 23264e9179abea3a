import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connection';
import type { Database } from '../db/schema';
import { statsSql, type StatsSql } from './dialect';
import { isPeriod, periodKey, type GroupBy } from './groups';
import { percentilesFromBuckets } from './buckets';
import { addDays, MONTHS, WEEKS, wholeSpans } from './periods';
import type { RollupDimension } from './rollup';

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
  /** 咨询号 among the issued. */
  consultation: number;
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

/** The rollup dimension a grouping reads, and its key expression over rollup alias r (services joined as s for departments). */
function rollupKey(d: StatsSql, groupBy: GroupBy, day: string): { dim: RollupDimension; key: RawBuilder<string>; join: RawBuilder<unknown> } {
  const none = sql``;
  if (isPeriod(groupBy)) return { dim: 'hall', key: periodKey(d, groupBy, day), join: none };
  if (groupBy === 'department') {
    return { dim: 'service', key: sql<string>`coalesce(s.department_id, '')`, join: sql`left join services s on s.id = r.key` };
  }
  return { dim: groupBy, key: sql<string>`r.key`, join: none };
}

interface PercentileRow {
  g: string;
  measure: string;
  p50: unknown;
  p90: unknown;
}

interface RawTicketRow {
  g: string | null;
  issued: unknown;
  consultation: unknown;
  served: unknown;
  missed: unknown;
  transferred: unknown;
  wait_mean: unknown;
  service_mean: unknown;
}

/**
 * Tickets issued, served, missed, transferred and waiting/service time (mean, median,
 * p90) per group, summed in the database from the per-day rollups (rollup.ts; call
 * refreshRollups first). Means are exact; medians and p90s come from the duration
 * histograms and are within one bucket width of percentile_cont's (buckets.ts).
 */
export async function ticketStats(db: Kysely<Database>, dialect: DialectName, f: StatsFilter, groupBy: GroupBy): Promise<TicketStatsRow[]> {
  if (f.hallIds.length === 0) return [];
  const d = statsSql(dialect);
  const { dim, key, join } = rollupKey(d, groupBy, 'r.day');
  const where = sql`r.hall_id in (${sql.join(f.hallIds)}) and r.dim = ${dim} and r.day >= ${f.from} and r.day <= ${f.to}`;
  const counts = sql<RawTicketRow>`
    select ${key} as g, sum(r.issued) as issued, sum(r.consultation) as consultation, sum(r.served) as served, sum(r.missed) as missed, sum(r.transferred) as transferred,
      sum(r.wait_sum) / nullif(sum(r.wait_n), 0) as wait_mean, sum(r.service_sum) / nullif(sum(r.service_n), 0) as service_mean
    from stats_ticket_days r ${join} where ${where} group by 1 order by 1`.execute(db);
  // A day of one hall is one rollup row: its percentiles were worked out when the day was rebuilt.
  const percentiles =
    groupBy === 'day' && f.hallIds.length === 1
      ? sql<PercentileRow>`select day as g, measure, p50, p90 from stats_day_percentiles
          where hall_id = ${f.hallIds[0]!} and dim = 'hall' and day >= ${f.from} and day <= ${f.to}`.execute(db)
      : sql<PercentileRow>`${percentilesFromBuckets(
          d,
          sql`select ${key} as g, r.measure, r.lo, sum(r.n) as n, min(r.min_v) as min_v, max(r.max_v) as max_v
            from ${durationBuckets(f, dim, groupBy)} r ${join} group by 1, 2, 3`,
          ['g', 'measure'],
        )}`.execute(db);
  const [{ rows }, { rows: p }] = await Promise.all([counts, percentiles]);
  const of = new Map(p.map((r) => [`${r.measure}\u0000${r.g}`, r]));
  return rows.map((r) => {
    const w = of.get(`wait\u0000${r.g ?? ''}`);
    const s = of.get(`service\u0000${r.g ?? ''}`);
    return toTicketRow(r, { wait: [w?.p50, w?.p90], service: [s?.p50, s?.p90] });
  });
}

/**
 * The histogram rows of a range: whole weeks (grouping by week) or whole calendar months
 * (any other grouping but day) from their tables, the days around them from the day
 * table. Week and month rows carry their Monday or YYYY-MM in the day column, which the
 * period keys read the same way as a day.
 */
function durationBuckets(f: StatsFilter, dim: RollupDimension, groupBy: GroupBy): RawBuilder<unknown> {
  const halls = sql`hall_id in (${sql.join(f.hallIds)}) and dim = ${dim}`;
  const columns = sql`hall_id, key, measure, lo, n, min_v, max_v`;
  const days = (from: string, to: string) => sql`select ${columns}, day from stats_duration_days where ${halls} and day >= ${from} and day <= ${to}`;
  const span = groupBy === 'day' ? undefined : groupBy === 'week' ? WEEKS : MONTHS;
  const whole = span && wholeSpans(span, f.from, f.to);
  if (!span || !whole) return sql`(${days(f.from, f.to)})`;
  const col = sql.ref(span.column);
  const parts = [sql`select ${columns}, ${col} as day from ${sql.table(span.table)} where ${halls} and ${col} >= ${whole.first} and ${col} <= ${whole.last}`];
  if (f.from < whole.startDay) parts.push(days(f.from, addDays(whole.startDay, -1)));
  if (f.to > whole.endDay) parts.push(days(addDays(whole.endDay, 1), f.to));
  return sql`(${sql.join(parts, sql` union all `)})`;
}

function toTicketRow(r: RawTicketRow, p: { wait: unknown[]; service: unknown[] }): TicketStatsRow {
  return {
    key: r.g ?? '',
    issued: n(r.issued),
    consultation: n(r.consultation),
    served: n(r.served),
    missed: n(r.missed),
    transferred: n(r.transferred),
    wait: { mean: nn(r.wait_mean), median: nn(p.wait[0]), p90: nn(p.wait[1]) },
    service: { mean: nn(r.service_mean), median: nn(p.service[0]), p90: nn(p.service[1]) },
  };
}

/** UTC bounds of hall-local days [from, to]. */
export function utcRange(f: StatsFilter): { fromIso: string; toIso: string } {
  const start = Date.parse(`${f.from}T00:00:00.000Z`) - f.utcOffsetMinutes * 60_000;
  const end = Date.parse(`${f.to}T00:00:00.000Z`) + 86_400_000 - f.utcOffsetMinutes * 60_000;
  return { fromIso: new Date(start).toISOString(), toIso: new Date(end).toISOString() };
}

/** 好差评 per group, by the hall-local day of the rating: counts per level, defaulted ratings, and the share of satisfied. */
export async function satisfactionStats(db: Kysely<Database>, dialect: DialectName, f: StatsFilter, groupBy: GroupBy): Promise<SatisfactionRow[]> {
  if (f.hallIds.length === 0) return [];
  const d = statsSql(dialect);
  // Quarter-hour slots (YYYY-MM-DDTHH:MM) bound the local days exactly for any real offset.
  const { fromIso, toIso } = utcRange(f);
  const { dim, key, join } = rollupKey(d, groupBy, 'r.local_day');
  const { rows } = await sql<Record<string, unknown> & { g: string | null }>`
    select ${key} as g, sum(r.total) as total, sum(r.very_satisfied) as very_satisfied, sum(r.satisfied) as satisfied,
      sum(r.neutral) as neutral, sum(r.unsatisfied) as unsatisfied, sum(r.very_unsatisfied) as very_unsatisfied, sum(r.defaulted) as defaulted
    from (select ev.*, ${d.localDayOfQuarterHour('ev.slot', f.utcOffsetMinutes)} as local_day from stats_evaluation_slots ev
          where ev.hall_id in (${sql.join(f.hallIds)}) and ev.dim = ${dim} and ev.slot >= ${fromIso.slice(0, 16)} and ev.slot < ${toIso.slice(0, 16)}) r ${join}
    group by 1 order by 1`.execute(db);
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
  if (isPeriod(groupBy)) key = periodKey(d, groupBy, 'r.day');
  else if (groupBy === 'hall') key = sql<string>`r.hall_id`;
  else if (groupBy === 'service') key = sql<string>`r.service_id`;
  else {
    join = sql`left join services s on s.id = r.service_id`;
    key = sql<string>`coalesce(s.department_id, '')`;
  }
  const { rows } = await sql<Record<string, unknown> & { g: string | null }>`
    select ${key} as g, sum(r.booked) as booked, sum(r.kept) as kept, sum(r.no_show) as no_show, sum(r.cancelled) as cancelled
    from stats_appointment_days r ${join}
    where r.hall_id in (${sql.join(f.hallIds)}) and r.day >= ${f.from} and r.day <= ${f.to}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({
    key: r.g ?? '',
    booked: n(r.booked),
    kept: n(r.kept),
    noShow: n(r.no_show),
    cancelled: n(r.cancelled),
    keptRate: rate(n(r.kept), n(r.booked) - n(r.cancelled)),
  }));
}
