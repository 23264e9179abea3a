import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { StatsSql } from './dialect';

export const PeriodSchema = z.enum(['day', 'week', 'month', 'quarter', 'year']);
export type Period = z.infer<typeof PeriodSchema>;
export const DimensionSchema = z.enum(['hall', 'department', 'service', 'counter', 'clerk']);
export type Dimension = z.infer<typeof DimensionSchema>;
export const GroupBySchema = z.union([PeriodSchema, DimensionSchema]);
export type GroupBy = z.infer<typeof GroupBySchema>;

export const isPeriod = (groupBy: GroupBy): groupBy is Period => PeriodSchema.safeParse(groupBy).success;

/** The bucket of a YYYY-MM-DD column: 2026-03-05 → week 2026-03-02, month 2026-03, quarter 2026-Q1, year 2026. */
export function periodKey(d: StatsSql, period: Period, column: string): RawBuilder<string> {
  const c = sql.ref(column);
  switch (period) {
    case 'day':
      return sql<string>`${c}`;
    case 'week':
      return d.weekStart(column);
    case 'month':
      return sql<string>`substr(${c}, 1, 7)`;
    case 'quarter':
      return sql<string>`(substr(${c}, 1, 4) || '-Q' || cast((cast(substr(${c}, 6, 2) as integer) + 2) / 3 as text))`;
    case 'year':
      return sql<string>`substr(${c}, 1, 4)`;
  }
}
