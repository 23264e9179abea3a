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
}

const ref = (column: string) => sql.ref(column);

export function statsSql(dialect: DialectName): StatsSql {
  if (dialect === 'postgres') {
    return {
      seconds: (a, b) => sql<number | null>`extract(epoch from (${ref(b)}::timestamptz - ${ref(a)}::timestamptz))::float8`,
      firstService: (c) => sql<string>`(${ref(c)}::json->>0)`,
      weekStart: (c) => sql<string>`to_char(date_trunc('week', ${ref(c)}::date), 'YYYY-MM-DD')`,
    };
  }
  return {
    // unixepoch(…, 'subsec') is exact to the millisecond; julianday's float loses microseconds.
    seconds: (a, b) => sql<number | null>`(unixepoch(${ref(b)}, 'subsec') - unixepoch(${ref(a)}, 'subsec'))`,
    firstService: (c) => sql<string>`json_extract(${ref(c)}, '$[0]')`,
    // 'weekday 0' moves to the coming Sunday (or stays on one); six days back is its Monday.
    weekStart: (c) => sql<string>`date(${ref(c)}, 'weekday 0', '-6 days')`,
  };
}
