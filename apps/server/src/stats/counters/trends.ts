import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { localDay, shiftLocalDay, zonedInstant } from '@hall/shared';
import type { Database } from '../../db/schema';

/**
 * 统计 by theme (主题) and by half-year (半年), each period beside the one before it (环比)
 * with the direction of the whole range (趋势), as the tender's statistics list asks.
 */
export const TrendPeriodSchema = z.enum(['month', 'quarter', 'half', 'year']);
export type TrendPeriod = z.infer<typeof TrendPeriodSchema>;
export const TrendBySchema = z.enum(['hall', 'theme']);
export type TrendBy = z.infer<typeof TrendBySchema>;

/** 2026-03-05 → month 2026-03, quarter 2026-Q1, half 2026-H1, year 2026. */
export function trendKey(period: TrendPeriod, day: string): string {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  switch (period) {
    case 'month':
      return day.slice(0, 7);
    case 'quarter':
      return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
    case 'half':
      return `${year}-H${month <= 6 ? 1 : 2}`;
    case 'year':
      return year;
  }
}

const MONTHS_OF: Record<TrendPeriod, number> = { month: 1, quarter: 3, half: 6, year: 12 };

/** First day of the period containing `day`. */
export function periodStart(period: TrendPeriod, day: string): string {
  const month = Number(day.slice(5, 7));
  const size = MONTHS_OF[period];
  const first = Math.floor((month - 1) / size) * size + 1;
  return `${day.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

/** First day of the period before the one containing `day`. */
export function previousPeriodStart(period: TrendPeriod, day: string): string {
  return periodStart(period, shiftLocalDay(periodStart(period, day), -1));
}

/** The period keys from `from` to `to`, in order. */
export function periodKeys(period: TrendPeriod, from: string, to: string): string[] {
  const keys: string[] = [];
  for (let day = periodStart(period, from); day <= to; day = periodStart(period, shiftLocalDay(day, 32 * MONTHS_OF[period]))) {
    keys.push(trendKey(period, day));
    if (keys.length > 500) break;
  }
  return keys;
}

export interface Figures {
  issued: number;
  served: number;
  accepted: number;
}

export interface TrendRow extends Figures {
  period: string;
  /** The theme (or '' for the whole hall). */
  group: string;
  /** Growth over the period before, in percent (one decimal); null when the one before had none. */
  growth: { issued: number | null; served: number | null; accepted: number | null };
}

export interface TrendReport {
  period: TrendPeriod;
  by: TrendBy;
  periods: string[];
  rows: TrendRow[];
  /** Per group: served per period rising, falling or flat over the range (least-squares slope). */
  trends: { group: string; direction: 'up' | 'down' | 'flat'; slope: number }[];
}

const growth = (now: number, before: number | undefined): number | null =>
  before === undefined || before === 0 ? null : Math.round(((now - before) / before) * 1000) / 10;

/** Least-squares slope of a series over its index, per period. */
export function slope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

/**
 * Tickets issued and served (by the day the hall issued them) and cases accepted (by their
 * acceptance day), per period and theme, from the period before `from` so its first period
 * has a growth figure too. A ticket of several matters counts for its first matter's theme.
 */
export async function trendReport(
  db: Kysely<Database>,
  hall: { ids: readonly string[]; timeZone: string },
  q: { from: string; to: string; period: TrendPeriod; by: TrendBy },
): Promise<TrendReport> {
  const start = previousPeriodStart(q.period, q.from);
  const services = await db.selectFrom('services').select(['id', 'theme']).execute();
  const themeOf = new Map(services.map((s) => [s.id, s.theme]));
  const groupOf = (serviceId: string | undefined) => (q.by === 'hall' ? '' : (serviceId && themeOf.get(serviceId)) || '—');
  const figures = new Map<string, Figures>();
  const add = (period: string, group: string, f: Partial<Figures>) => {
    const key = `${period}|${group}`;
    const row = figures.get(key) ?? { issued: 0, served: 0, accepted: 0 };
    row.issued += f.issued ?? 0;
    row.served += f.served ?? 0;
    row.accepted += f.accepted ?? 0;
    figures.set(key, row);
  };
  const tickets = await db
    .selectFrom('tickets')
    .select(['day', 'service_ids_json'])
    .select((eb) => [eb.fn.countAll<number | string>().as('issued'), sql<number | string>`sum(case when ${eb.ref('status')} = 'finished' then 1 else 0 end)`.as('served')])
    .where('hall_id', 'in', [...hall.ids])
    .where('day', '>=', start)
    .where('day', '<=', q.to)
    .groupBy(['day', 'service_ids_json'])
    .execute();
  for (const t of tickets) {
    const first = (JSON.parse(t.service_ids_json) as string[])[0];
    add(trendKey(q.period, t.day), groupOf(first), { issued: Number(t.issued), served: Number(t.served) });
  }
  const cases = await db
    .selectFrom('cases')
    .select(['service_id', 'accepted_at'])
    .where('hall_id', 'in', [...hall.ids])
    .where('accepted_at', '>=', new Date(zonedInstant(start, '00:00', hall.timeZone)).toISOString())
    .where('accepted_at', '<', new Date(zonedInstant(shiftLocalDay(q.to, 1), '00:00', hall.timeZone)).toISOString())
    .execute();
  for (const c of cases) if (c.accepted_at) add(trendKey(q.period, localDay(c.accepted_at, hall.timeZone)), groupOf(c.service_id), { accepted: 1 });

  const periods = periodKeys(q.period, q.from, q.to);
  const before = trendKey(q.period, start);
  const groups = [...new Set([...figures.keys()].map((k) => k.slice(k.indexOf('|') + 1)))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const rows: TrendRow[] = [];
  const trends: TrendReport['trends'] = [];
  for (const group of groups) {
    const served: number[] = [];
    periods.forEach((period, i) => {
      const f = figures.get(`${period}|${group}`) ?? { issued: 0, served: 0, accepted: 0 };
      const prev = figures.get(`${i === 0 ? before : periods[i - 1]}|${group}`);
      rows.push({ period, group, ...f, growth: { issued: growth(f.issued, prev?.issued), served: growth(f.served, prev?.served), accepted: growth(f.accepted, prev?.accepted) } });
      served.push(f.served);
    });
    const s = slope(served);
    // A slope under 2% of the mean per period reads as flat.
    const mean = served.reduce((a, b) => a + b, 0) / Math.max(1, served.length);
    trends.push({ group, slope: Math.round(s * 100) / 100, direction: Math.abs(s) <= 0.02 * mean ? 'flat' : s > 0 ? 'up' : 'down' });
  }
  return { period: q.period, by: q.by, periods, rows, trends };
}
