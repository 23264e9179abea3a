import { sql, type RawBuilder } from 'kysely';

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
