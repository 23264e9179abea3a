import type Database from 'better-sqlite3';
import { KeySetSchema, liveKeys, mergeKeySets, type KeySet } from '@hall/shared';

/**
 * The tables a station needs to verify signed codes offline: the cached key set and the
 * nonces already seen. Any station database may hold them (the locker's, the counter's).
 */
export const RESIDENCE_CODE_TABLES = [
  `CREATE TABLE IF NOT EXISTS key_set (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`,
] as const;

export function ensureResidenceCodeTables(db: Database.Database): void {
  db.transaction(() => {
    for (const statement of RESIDENCE_CODE_TABLES) db.exec(statement);
  })();
}

/** The cached, rotating key set: survives restarts so verification works offline. */
export class KeyCache {
  #current: KeySet | undefined;

  constructor(private readonly db: Database.Database) {
    const row = db.prepare('SELECT json FROM key_set WHERE id = 1').get() as { json: string } | undefined;
    const parsed = row ? KeySetSchema.safeParse(JSON.parse(row.json)) : undefined;
    this.#current = parsed?.success ? parsed.data : undefined;
  }

  current(nowMs: number): KeySet | undefined {
    return this.#current && { ...this.#current, keys: liveKeys(this.#current, nowMs) };
  }

  /** Until when the cached keys can verify anything (shown so staff see an aging cache). */
  usableUntil(nowMs: number): string | undefined {
    const keys = this.current(nowMs)?.keys ?? [];
    return keys.map((k) => k.verifyUntil).sort().at(-1);
  }

  update(fetched: unknown, nowMs: number): { ok: true } | { ok: false; reason: string } {
    const parsed = KeySetSchema.safeParse(fetched);
    if (!parsed.success) return { ok: false, reason: 'the key set does not match its schema' };
    const merged = mergeKeySets(this.#current, parsed.data, nowMs);
    if (!merged.ok) return merged;
    this.db
      .prepare('INSERT INTO key_set (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json')
      .run(JSON.stringify(merged.set));
    this.#current = merged.set;
    return { ok: true };
  }
}

/** Seen nonces, kept until their code expires: replay refusal in bounded space. */
export class NonceLedger {
  constructor(private readonly db: Database.Database) {}

  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    this.db.prepare('DELETE FROM nonces WHERE expires_at < ?').run(nowMs);
    return this.db.prepare('INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (?, ?)').run(nonce, expiresAtMs).changes === 1;
  }
}
