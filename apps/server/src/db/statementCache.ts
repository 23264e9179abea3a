import type SqliteDatabase from 'better-sqlite3';

/** What Kysely's SQLite dialect asks of its database: `prepare` and `close`. */
export interface PreparingDatabase {
  prepare(sql: string): SqliteDatabase.Statement;
  close(): void;
}

/**
 * Kysely prepares every query anew, and SQLite compiles it each time: on a push that is a
 * sizable share of the server's work (the same dozen statements, batch after batch). This
 * keeps the most recently used compiled statements by their SQL text. A statement still
 * being iterated is never handed out twice: a fresh one is prepared beside it.
 *
 * Long statements are not kept: multi-row inserts come in a shape per row count, each
 * compiled program large (a year of pushes would hold tens of megabytes of them), and their
 * compile cost is small beside the rows they write.
 */
export function cachingStatements(raw: SqliteDatabase.Database, capacity = 256, longestSql = 1000): PreparingDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string) {
      if (sql.length > longestSql) return raw.prepare(sql);
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is insertion order: moving the hit to the end keeps the oldest first to evict.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}
