import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export interface OpenedDb {
  db: Database.Database;
  /** True when the file did not exist: the station starts a new epoch. */
  fresh: boolean;
}

/**
 * WAL for readers that never block the writer; synchronous=FULL so a committed
 * transaction survives power loss, not just a process crash (NORMAL in WAL mode may lose
 * the last commits on power loss, and a ticket already printed must not vanish).
 */
export function openStationDb(file: string): OpenedDb {
  const fresh = file === ':memory:' || !existsSync(file);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return { db, fresh };
}
