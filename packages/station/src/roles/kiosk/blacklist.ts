import type Database from 'better-sqlite3';

/** One barred citizen as the hall's list names them: the keyed ID hash, the reason, the last barred day. */
export interface BarredCitizen {
  idHash: string;
  reason: string;
  until: string;
}

/**
 * The hall's blacklist as last fetched from the central API, kept in the kiosk's database so
 * the check holds offline and after a restart (before this, an offline kiosk let everyone
 * through). Only keyed hashes are kept: the list names nobody to whoever reads the file.
 */
export class KioskBlacklist {
  private readonly replaceAll: (entries: readonly BarredCitizen[]) => void;
  private readonly replaceOne: (idHash: string, entry: BarredCitizen | undefined) => void;
  private readonly find: Database.Statement<[string, string], { reason: string; until: string }>;

  constructor(db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS blacklist_hashes (
       id_hash TEXT NOT NULL,
       reason TEXT NOT NULL,
       until TEXT NOT NULL,
       PRIMARY KEY (id_hash, until)
     );`);
    const clear = db.prepare('DELETE FROM blacklist_hashes');
    const clearOne = db.prepare<[string]>('DELETE FROM blacklist_hashes WHERE id_hash = ?');
    const insert = db.prepare<[string, string, string]>('INSERT OR REPLACE INTO blacklist_hashes (id_hash, reason, until) VALUES (?, ?, ?)');
    this.replaceAll = db.transaction((entries: readonly BarredCitizen[]) => {
      clear.run();
      for (const e of entries) insert.run(e.idHash, e.reason, e.until);
    });
    this.replaceOne = db.transaction((idHash: string, entry: BarredCitizen | undefined) => {
      clearOne.run(idHash);
      if (entry) insert.run(entry.idHash, entry.reason, entry.until);
    });
    this.find = db.prepare('SELECT reason, until FROM blacklist_hashes WHERE id_hash = ? AND until >= ? ORDER BY until DESC LIMIT 1');
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
  barred(idHash: string, day: string): { reason: string; until: string } | undefined {
    return this.find.get(idHash, day);
  }
}
