import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One step of a station database's schema: SQL, or a function for a step that must look at
 * the file first (a column older files may already have).
 */
export type StationDbMigration = string | ((db: Database.Database) => void);

/**
 * The one way a station opens any of its SQLite files (station.db, kiosk.db, counter.db,
 * display-calls.sqlite, locker.sqlite), with the strongest settings any of them needs:
 * WAL so readers never block the writer; synchronous=FULL so a committed transaction
 * survives power loss, not just a process crash (NORMAL in WAL mode may lose the last
 * commits, and a printed ticket or a door's recorded intent must not vanish); foreign keys
 * enforced; a busy timeout so a second connection (a backup, a test reading the file)
 * waits instead of failing.
 *
 * `migrations` are tracked with PRAGMA user_version: each runs in one transaction with its
 * version bump, so a crash mid-migration leaves the old schema. A file newer than this
 * software is refused rather than misread.
 */
export function openStationDb(file: string, migrations: readonly StationDbMigration[]): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, file, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, file: string, migrations: readonly StationDbMigration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`database ${file} has schema ${current}, newer than this software (${migrations.length}); refusing to open it`);
  }
  for (let version = current; version < migrations.length; version++) {
    const step = migrations[version] ?? '';
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** A column added to a table after files holding the table were already in use. */
export interface LateColumn {
  table: string;
  column: string;
  type: string;
}

/**
 * The first step of a file that existed before its schema was versioned (found at
 * user_version 0 with its tables in place): every statement must be IF NOT EXISTS, and
 * each late column is added only where the file lacks it.
 */
export function unversionedFirstStep(statements: readonly string[], lateColumns: readonly LateColumn[]): StationDbMigration {
  return (db) => {
    for (const statement of statements) db.exec(statement);
    for (const { table, column, type } of lateColumns) {
      const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  };
}
