import type Database from 'better-sqlite3';

/** One barred citizen as the hall's list names them: the keyed ID hash, the reason, the last barred day. */
export interface BarredCitizen {
  idHash: string;
  reason: string;
  until: string;
  /** What put them there (no_show, manual, case_overdue …); absent from older central APIs. */
  source?: string | undefined;
}

/**
 * The hall's blacklist as last fetched from the central API, kept in the kiosk's database so
 * the check holds offline and after a restart (before this, an offline kiosk let everyone
 * through). Only keyed hashes are kept: the list names nobody to whoever reads the file.
 */
export class KioskBlacklist {
  private readonly replaceAll: (entries: readonly BarredCitizen[]) => void;
  private readonly replaceOne: (idHash: string, entry: BarredCitizen | undefined) => void;
  private readonly find: Database.Statement<[string, string], { reason: string; until: string; source: string | null }>;

  constructor(db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS blacklist_hashes (
       id_hash TEXT NOT NULL,
       reason TEXT NOT NULL,
       until TEXT NOT NULL,
       PRIMARY KEY (id_hash, until)
     );`);
    // Kiosks installed before the source was kept: the column is added, earlier rows stay without one.
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('blacklist_hashes')").all();
    if (!columns.some((c) => c.name === 'source')) db.exec('ALTER TABLE blacklist_hashes ADD COLUMN source TEXT');
    const clear = db.prepare('DELETE FROM blacklist_hashes');
    const clearOne = db.prepare<[string]>('DELETE FROM blacklist_hashes WHERE id_hash = ?');
    const insert = db.prepare<[string, string, string, string | null]>('INSERT OR REPLACE INTO blacklist_hashes (id_hash, reason, until, source) VALUES (?, ?, ?, ?)');
    this.replaceAll = db.transaction((entries: readonly BarredCitizen[]) => {
      clear.run();
      for (const e of entries) insert.run(e.idHash, e.reason, e.until, e.source ?? null);
    });
    this.replaceOne = db.transaction((idHash: string, entry: BarredCitizen | undefined) => {
      clearOne.run(idHash);
      if (entry) insert.run(entry.idHash, entry.reason, entry.until, entry.source ?? null);
    });
    this.find = db.prepare('SELECT reason, until, source FROM blacklist_hashes WHERE id_hash = ? AND until >= ? ORDER BY until DESC LIMIT 1');
  }

  /** The hall's whole list, fresh from the central API. */
  replace(entries: readonly BarredCitizen[]): void {
    this.replaceAll(entries);
  }

  /** What the central API just answered for one citizen (barred, or no longer: lifted). */
  learn(idHash: string, entry: Omit<BarredCitizen, 'idHash'> | undefined): void {
    this.replaceOne(idHash, entry && { idHash, ...entry });
  }

  /** The bar on this citizen on `day`, from the list held here. */
  barred(idHash: string, day: string): Omit<BarredCitizen, 'idHash'> | undefined {
    const row = this.find.get(idHash, day);
    return row && { reason: row.reason, until: row.until, ...(row.source ? { source: row.source } : {}) };
  }
}
