import type Database from 'better-sqlite3';

/**
 * The tables a station needs to verify signed codes offline: the cached key set and the
 * nonces already seen. Any station database may hold them (the locker's, the counter's).
 */
export const RESIDENCE_CODE_TABLES = [
  `CREATE TABLE IF NOT EXISTS key_set (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`,
] as const;

/** Every statement of offline code verification: the cached key set and the replay ledger. */
export class ResidenceCodeRepository {
  constructor(private readonly db: Database.Database) {}

  /** Creates the tables where the database does not hold them yet. */
  ensureTables(): void {
    this.db.transaction(() => {
      for (const statement of RESIDENCE_CODE_TABLES) this.db.exec(statement);
    })();
  }

  /** The cached key set as it was stored (JSON text), if any. */
  storedKeySet(): string | undefined {
    const row = this.db.prepare('SELECT json FROM key_set WHERE id = 1').get() as { json: string } | undefined;
    return row?.json;
  }

  storeKeySet(json: string): void {
    this.db.prepare('INSERT INTO key_set (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json').run(json);
  }

  /** Forgets nonces expired by now, then records this one; false when it was seen already (a replay). */
  claimNonce(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    this.db.prepare('DELETE FROM nonces WHERE expires_at < ?').run(nowMs);
    return this.db.prepare('INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (?, ?)').run(nonce, expiresAtMs).changes === 1;
  }
}
