import type { Kysely } from 'kysely';
import type { DialectName } from '../connection';

/**
 * A forward-only schema step. It runs inside the migration transaction and must use only
 * portable DDL, branching on `dialect` where SQLite and PostgreSQL truly differ.
 */
export interface Migration {
  name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}
