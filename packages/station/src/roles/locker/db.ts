import type Database from 'better-sqlite3';
import { openStationDb, unversionedFirstStep, type StationDbMigration } from '../../store/open';

/**
 * The locker's own database, beside the station store: parcels, door operations, the
 * cached key set, seen nonces, the audit log and the locker outbox. synchronous=FULL,
 * because "intent recorded" must be on disk before a door is told to open.
 */
const FIRST_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS key_set (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS parcels (
     id TEXT PRIMARY KEY,
     case_number TEXT NOT NULL,
     size TEXT NOT NULL,
     compartment_id TEXT NOT NULL,
     subject TEXT NOT NULL,
     id_check_salt TEXT NOT NULL,
     id_check_hash TEXT NOT NULL,
     masked_name TEXT NOT NULL,
     pickup_code_hash TEXT,
     status TEXT NOT NULL,
     deposited_at TEXT,
     updated_at TEXT NOT NULL,
     delegated_code TEXT
   )`,
  `CREATE INDEX IF NOT EXISTS parcels_subject ON parcels (subject, status)`,
  `CREATE TABLE IF NOT EXISTS door_ops (
     id TEXT PRIMARY KEY,
     parcel_id TEXT NOT NULL REFERENCES parcels (id),
     compartment_id TEXT NOT NULL,
     purpose TEXT NOT NULL,
     state TEXT NOT NULL,
     actor TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     left_open_reported INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE TABLE IF NOT EXISTS out_of_service (compartment_id TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     compartment_id TEXT NOT NULL,
     parcel_id TEXT,
     action TEXT NOT NULL,
     actor TEXT NOT NULL,
     reason TEXT NOT NULL,
     hash TEXT NOT NULL
   )`,
  // The audit log is append-only in the database itself, not just by convention.
  `CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  `CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL, sent_at TEXT)`,
  `CREATE TABLE IF NOT EXISTS attempts (at INTEGER NOT NULL, what TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at)`,
];

/**
 * Lockers installed before the schema was versioned hold these tables already (at
 * user_version 0): every statement is IF NOT EXISTS, and the column added for delegated
 * deposit codes is added only where it is missing.
 */
const LOCKER_MIGRATIONS: readonly StationDbMigration[] = [
  // parcels.delegated_code came with delegated deposit codes; lockers installed before lack it.
  unversionedFirstStep(FIRST_SCHEMA, [{ table: 'parcels', column: 'delegated_code', type: 'TEXT' }]),
];

export function openLockerDb(file: string): Database.Database {
  return openStationDb(file, LOCKER_MIGRATIONS);
}
