import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The kiosk's own records, beside the station store (as the counter keeps counter.db): the
 * residence-code key set and replay ledger (StationCodeVerifier adds those tables) and the
 * tickets this kiosk printed (PrintRecord), so a slip can be reprinted even when the hall
 * refused it. Each owner creates its tables if missing, as ensureResidenceCodeTables does.
 */
export function openKioskDb(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}
