import type Database from 'better-sqlite3';
import type { DisplayCall } from '@hall/shared';
import { openStationDb } from '../../store/open';

export type AnnouncementStatus = 'pending' | 'played' | 'failed' | 'none';

export interface StoredCall {
  call: DisplayCall;
  announcement: AnnouncementStatus;
  /** Display clock when the first path delivered it. */
  receivedAt: number;
}

/**
 * The calls table. IF NOT EXISTS: files made before the table was versioned hold it already
 * (at user_version 0), and take this step as a no-op.
 */
const CALL_STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS calls (
     key TEXT PRIMARY KEY,
     called_at_ms INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     data TEXT NOT NULL,
     announcement TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS calls_called_at ON calls (called_at_ms);`,
];

/**
 * The display's own memory of calls and whether each was announced, in a file beside the
 * station store: after a restart (even mid-announcement) the wall shows the same recent
 * calls, finishes what was still to be said, and never says an announced call again.
 */
export class CallStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    this.db = openStationDb(file, CALL_STORE_MIGRATIONS);
    this.stmts = {
      insert: this.db.prepare<[string, number, number, string, string]>(
        'INSERT OR IGNORE INTO calls (key, called_at_ms, received_at, data, announcement) VALUES (?, ?, ?, ?, ?)',
      ),
      setStatus: this.db.prepare<[string, string]>('UPDATE calls SET announcement = ? WHERE key = ?'),
      since: this.db.prepare<[number], { data: string; announcement: string; received_at: number }>(
        'SELECT data, announcement, received_at FROM calls WHERE called_at_ms >= ? ORDER BY called_at_ms, received_at',
      ),
      prune: this.db.prepare<[number]>('DELETE FROM calls WHERE called_at_ms < ?'),
    };
  }

  /** Stores a call seen for the first time; false when the key is known (the other path was first). */
  insert(stored: StoredCall): boolean {
    const result = this.stmts.insert.run(
      stored.call.key,
      Date.parse(stored.call.calledAt),
      stored.receivedAt,
      JSON.stringify(stored.call),
      stored.announcement,
    );
    return result.changes === 1;
  }

  setAnnouncement(key: string, status: AnnouncementStatus): void {
    this.stmts.setStatus.run(status, key);
  }

  loadSince(ms: number): StoredCall[] {
    return this.stmts.since.all(ms).map((row) => ({
      call: JSON.parse(row.data) as DisplayCall,
      announcement: row.announcement as AnnouncementStatus,
      receivedAt: row.received_at,
    }));
  }

  prune(beforeMs: number): void {
    this.stmts.prune.run(beforeMs);
  }

  close(): void {
    this.db.close();
  }
}
