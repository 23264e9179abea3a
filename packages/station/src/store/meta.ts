import type Database from 'better-sqlite3';

/** The station's key/value settings (device, epoch, cursor, clock, server identity …). */
export class Meta {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  get(key: string): string | undefined {
    return this.stmts.get.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.stmts.set.run(key, value);
  }
}
