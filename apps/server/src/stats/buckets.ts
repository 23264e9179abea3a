import { sql, type RawBuilder } from 'kysely';
import type { StatsSql } from './dialect';

/**
 * Histogram buckets for waiting and service seconds, so medians and p90s of any range
 * come from summed per-day bucket counts instead of sorting every ticket.
 *
 * Resolution (the bucket width at a duration): 5 s below 10 min, 30 s below 1 h, 5 min
 * below 8 h, 1 h beyond. Each bucket also keeps its smallest and largest duration, and a
 * percentile is read between them, so a reported median or p90 is never further from
 * percentile_cont's exact value than the width of the bucket(s) holding its two
 * neighbouring ranks — and is exact where a bucket holds one or two durations.
 */
export const BUCKET_BANDS: readonly { below: number; width: number }[] = [
  { below: 600, width: 5 },
  { below: 3600, width: 30 },
  { below: 8 * 3600, width: 300 },
  { below: Number.POSITIVE_INFINITY, width: 3600 },
];

/** Width in seconds of the bucket holding `seconds`; the tolerance a percentile keeps there. */
export function bucketWidth(seconds: number): number {
  return BUCKET_BANDS.find((b) => seconds < b.below)!.width;
}

/** Lower bound of the bucket holding `seconds` (negative durations from skewed clocks get buckets below 0). */
export function bucketLow(seconds: number): number {
  const width = bucketWidth(seconds);
  return Math.floor(seconds / width) * width;
}

/** bucketLow in SQL, for a seconds expression that is not null. */
export function bucketLowSql(seconds: RawBuilder<unknown>): RawBuilder<number> {
  const arms = BUCKET_BANDS.map((b) => {
    // A real divisor: SQLite divides two integers as integers.
    const low = sql`cast(floor(${seconds} / ${sql.raw(`${b.width}.0`)}) * ${sql.lit(b.width)} as integer)`;
    return Number.isFinite(b.below) ? sql`when ${seconds} < ${sql.lit(b.below)} then ${low}` : sql`else ${low}`;
  });
  return sql<number>`(case ${sql.join(arms, sql` `)} end)`;
}

/**
 * Medians and p90s per group from histogram rows (columns: the group columns, lo, n,
 * min_v, max_v; one row per group and bucket). Like percentile_cont: the ranks around
 * 1 + p·(total − 1), each read inside its bucket by spreading the bucket's n durations
 * evenly from its smallest to its largest (exact for one or two), weighted by the fraction.
 */
export function percentilesFromBuckets(d: StatsSql, buckets: RawBuilder<unknown>, groupColumns: readonly string[]): RawBuilder<unknown> {
  const group = sql.join(groupColumns.map((c) => sql.ref(c)));
  return sql`select ${group}, ${percentile(d, 0.5)} as p50, ${percentile(d, 0.9)} as p90
    from (select ${group}, n, min_v, max_v,
            sum(n) over (partition by ${group} order by lo rows between unbounded preceding and current row) - n as below,
            sum(n) over (partition by ${group}) as total
          from (${buckets}) b) ranked
    group by ${group}`;
}

function percentile(d: StatsSql, p: number): RawBuilder<number> {
  const pos = sql`(1 + ${sql.lit(p)} * (total - 1))`;
  const lo = d.floor(pos);
  const frac = sql`(${pos} - ${lo})`;
  const at = (rank: RawBuilder<unknown>) => sql`case when n = 1 then min_v else min_v + (max_v - min_v) * (${rank} - below - 1) / (n - 1) end`;
  const term = (rank: RawBuilder<unknown>, weight: RawBuilder<unknown>) =>
    sql`sum(case when ${rank} > below and ${rank} <= below + n then ${weight} * (${at(rank)}) else 0 end)`;
  return sql<number>`(${term(lo, sql`(1 - ${frac})`)} + ${term(sql`(${lo} + 1)`, frac)})`;
}
