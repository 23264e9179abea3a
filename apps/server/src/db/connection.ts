import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { cachingStatements } from './statementCache';

export type DialectName = 'sqlite' | 'postgres';

/** One open database: the typed query builder plus what differs per backend. */
export interface HallDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where it lives, without credentials, for logs and the start banner. */
  description: string;
  /** PostgreSQL only: for the extra LISTEN connection that shares pokes between instances. */
  connectionUrl?: string;
  close(): Promise<void>;
}

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; poolSize?: number };

export const DEFAULT_SQLITE_FILE = '.data/hall.sqlite';

/** DATABASE_URL=postgres://… selects PostgreSQL; otherwise the SQLite file HALL_DB_FILE. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite)');
    }
    return { dialect: 'postgres', url };
  }
  return { dialect: 'sqlite', file: env.HALL_DB_FILE?.trim() || DEFAULT_SQLITE_FILE };
}

export function openDatabase(config: DatabaseConfig): HallDatabase {
  return config.dialect === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url, config.poolSize);
}

function openSqlite(file: string): HallDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  // FULL: a commit acknowledged to a station must survive a power cut.
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(raw) }) });
  return {
    db,
    dialect: 'sqlite',
    description: `SQLite ${file === ':memory:' ? file : path.resolve(file)}`,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, poolSize = 10): HallDatabase {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', description: `PostgreSQL ${redactUrl(url)}`, connectionUrl: url, close: () => db.destroy() };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** Cheap round trip used by /health and /ready. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
