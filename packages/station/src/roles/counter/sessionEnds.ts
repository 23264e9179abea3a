import type Database from 'better-sqlite3';
import { CentralApiError } from '../../central/client';
import { log } from '../../log';

export interface SessionEnd {
  keyId: string;
  session: string;
  endedAt: string;
}

/**
 * Clerk sign-outs the central API must hear (`POST /sync/clerk-sign-out`: the session then
 * proves nothing made after it). Kept in counter.db until the API took each one, so a clerk
 * who signs out while the API is away still ends the session there once it is back, rather
 * than leave it proving work for the rest of its 12 hours. The API keeps the first end of a
 * session, so sending one twice is harmless; one it refuses (a key this device does not
 * hold) is dropped, since sending it again would be refused again.
 */
export class SessionEndQueue {
  private readonly stmts;
  private flushing: Promise<void> | undefined;

  constructor(
    db: Database.Database,
    private readonly send: (end: SessionEnd) => Promise<void>,
  ) {
    this.stmts = {
      add: db.prepare<SessionEnd>('INSERT OR IGNORE INTO clerk_session_ends (session, key_id, ended_at) VALUES (@session, @keyId, @endedAt)'),
      all: db.prepare<[], { session: string; key_id: string; ended_at: string }>('SELECT session, key_id, ended_at FROM clerk_session_ends ORDER BY ended_at'),
      done: db.prepare<[string]>('DELETE FROM clerk_session_ends WHERE session = ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM clerk_session_ends'),
    };
  }

  /** Records the sign-out, then tries to tell the API at once. */
  add(end: SessionEnd): Promise<void> {
    this.stmts.add.run(end);
    return this.flush();
  }

  pending(): number {
    return this.stmts.count.get()?.n ?? 0;
  }

  /** Sends what is waiting, oldest first; stops at the first the API cannot take now (tried again later). */
  flush(): Promise<void> {
    this.flushing ??= this.sendAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    for (const row of this.stmts.all.all()) {
      try {
        await this.send({ keyId: row.key_id, session: row.session, endedAt: row.ended_at });
      } catch (error) {
        if (!(error instanceof CentralApiError) || error.failure.kind === 'unavailable') return;
        log.warn(`the central API refused a clerk sign-out (${error.failure.code}); dropped`);
      }
      this.stmts.done.run(row.session);
    }
  }
}
