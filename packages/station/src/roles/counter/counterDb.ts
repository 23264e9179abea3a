import type Database from 'better-sqlite3';
import { openStationDb } from '../../store/open';

/**
 * The counter's own working data (cached clerk verifiers, checklists, captured pages,
 * printed slips, ratings). Kept in a file beside the station store rather than inside
 * it, so the core's migrations and this role's evolve independently.
 */
export const COUNTER_MIGRATIONS: readonly string[] = [
  `CREATE TABLE clerk_cache (
     login TEXT PRIMARY KEY,
     staff TEXT NOT NULL,
     verifier TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE login_failures (
     login TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     locked_until TEXT
   );
   CREATE TABLE case_work (
     case_id TEXT PRIMARY KEY,
     ticket_id TEXT,
     service_id TEXT NOT NULL,
     data TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX case_work_ticket ON case_work (ticket_id);
   CREATE TABLE pages (
     id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL,
     material_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     mime TEXT NOT NULL,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     source TEXT NOT NULL,
     bytes BLOB NOT NULL
   );
   CREATE INDEX pages_material ON pages (case_id, material_id, position);
   CREATE TABLE prints (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     ticket_id TEXT,
     case_id TEXT,
     staff_id TEXT,
     at TEXT NOT NULL,
     preview TEXT NOT NULL,
     escpos BLOB NOT NULL,
     printed INTEGER NOT NULL,
     printer_error TEXT
   );
   CREATE TABLE ratings (
     ticket_id TEXT PRIMARY KEY,
     staff_id TEXT NOT NULL,
     counter_id TEXT NOT NULL,
     rating TEXT NOT NULL,
     defaulted INTEGER NOT NULL,
     at TEXT NOT NULL
   );
   CREATE TABLE served (
     ticket_id TEXT PRIMARY KEY,
     staff_id TEXT NOT NULL,
     day TEXT NOT NULL,
     at TEXT NOT NULL
   );`,
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  `ALTER TABLE pages ADD COLUMN dpi INTEGER;`,
  // Decisions of this counter the central API rejected on sync, one row per mutation.
  `CREATE TABLE central_rejections (
     mutation_id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     case_id TEXT,
     ticket_id TEXT,
     code TEXT NOT NULL,
     reason TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX central_rejections_ticket ON central_rejections (ticket_id);`,
  // The clerk key (clerk/session.ts) wrapped under the clerk's password: opened at an offline sign-in.
  `ALTER TABLE clerk_cache ADD COLUMN clerk_key TEXT;`,
  // 领取登记: the document camera's photo of whoever collected a result; the case names it by photoRef only.
  `CREATE TABLE collector_photos (
     id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL,
     mime TEXT NOT NULL,
     bytes BLOB NOT NULL,
     at TEXT NOT NULL
   );`,
  // Clerk sign-outs the central API has not taken yet (sessionEnds.ts).
  `CREATE TABLE clerk_session_ends (
     session TEXT PRIMARY KEY,
     key_id TEXT NOT NULL,
     ended_at TEXT NOT NULL
   );`,
];

export function openCounterDb(file: string): Database.Database {
  return openStationDb(file, COUNTER_MIGRATIONS);
}
