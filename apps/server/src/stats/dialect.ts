import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connection';

/** Where SQLite and PostgreSQL spell the same statistic differently. */
export interface StatsSql {
  /** Seconds from timestamp column `a` to `b` (ISO text columns), null when either is null. */
  seconds(a: string, b: string): RawBuilder<number | null>;
  /** The first service id of a ticket's service_ids_json. */
  firstService(column: string): RawBuilder<string>;
  /** Monday of the ISO week of a YYYY-MM-DD text column, as YYYY-MM-DD. */
  weekStart(column: string): RawBuilder<string>;
  /** The UTC quarter hour of an ISO timestamp column, as YYYY-MM-DDTHH:MM (every real time zone offset is whole quarter hours). */
  quarterHour(column: string): RawBuilder<string>;
  /** The local day of a YYYY-MM-DDTHH:MM UTC column at an offset in minutes. */
  localDayOfQuarterHour(column: string, offsetMinutes: number): RawBuilder<string>;
  /** The smaller and the larger of two values. */
  least(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<number>;
  greatest(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<number>;
  /** The largest integer not above a positive expression. */
  floor(value: RawBuilder<unknown>): RawBuilder<number>;
}

const ref = (column: string) => sql.ref(column);

export function statsSql(dialect: DialectName): StatsSql {
  if (dialect === 'postgres') {
    return {
      seconds: (a, b) => sql<number | null>`extract(epoch from (${ref(b)}::timestamptz - ${ref(a)}::timestamptz))::float8`,
      firstService: (c) => sql<string>`(${ref(c)}::json->>0)`,
      weekStart: (c) => sql<string>`to_char(date_trunc('week', ${ref(c)}::date), 'YYYY-MM-DD')`,
      quarterHour: (c) => sql<string>`(substr(${ref(c)}, 1, 14) || lpad((substr(${ref(c)}, 15, 2)::int / 15 * 15)::text, 2, '0'))`,
      localDayOfQuarterHour: (c, m) => sql<string>`to_char(${ref(c)}::timestamp + ${sql.lit(m)} * interval '1 minute', 'YYYY-MM-DD')`,
      least: (a, b) => sql<number>`least(${a}, ${b})`,
      greatest: (a, b) => sql<number>`greatest(${a}, ${b})`,
      floor: (v) => sql<number>`floor(${v})::bigint`,
    };
  }
  return {
    // unixepoch(…, 'subsec') is exact to the millisecond; julianday's float loses microseconds.
    seconds: (a, b) => sql<number | null>`(unixepoch(${ref(b)}, 'subsec') - unixepoch(${ref(a)}, 'subsec'))`,
    firstService: (c) => sql<string>`json_extract(${ref(c)}, '$[0]')`,
    // 'weekday 0' moves to the coming Sunday (or stays on one); six days back is its Monday.
    weekStart: (c) => sql<string>`date(${ref(c)}, 'weekday 0', '-6 days')`,
    quarterHour: (c) => sql<string>`(substr(${ref(c)}, 1, 14) || printf('%02d', cast(substr(${ref(c)}, 15, 2) as integer) / 15 * 15))`,
    localDayOfQuarterHour: (c, m) => sql<string>`date(${ref(c)}, ${sql.lit(`${m >= 0 ? '+' : ''}${m} minutes`)})`,
    least: (a, b) => sql<number>`min(${a}, ${b})`,
    greatest: (a, b) => sql<number>`max(${a}, ${b})`,
    // Truncation is the floor for the positive ranks this is used on.
    floor: (v) => sql<number>`cast(${v} as integer)`,
  };
}
