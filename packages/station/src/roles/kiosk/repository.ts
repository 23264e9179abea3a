import type Database from 'better-sqlite3';
import { AppointmentSchema, TicketSchema, type Appointment, type Ticket } from '@hall/shared';

// The kiosk's SQL, all of it: the rest of the role works with these typed tables. The tables
// of kiosk.db (openKioskDb) are created by their owners here, if missing; appointments lives
// in the station database (its migrations create it).

/** Tickets whose slip this kiosk handed out; yesterday's go (a reprint is for today only). */
export class PrintRecord {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS printed_tickets (
       ticket_id TEXT PRIMARY KEY,
       day TEXT NOT NULL,
       number TEXT NOT NULL,
       ticket TEXT NOT NULL,
       printed_at TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS printed_tickets_number ON printed_tickets (day, number);`);
  }

  record(ticket: Ticket, at: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM printed_tickets WHERE day < ?').run(ticket.day);
      this.db
        .prepare('INSERT OR REPLACE INTO printed_tickets (ticket_id, day, number, ticket, printed_at) VALUES (?, ?, ?, ?, ?)')
        .run(ticket.id, ticket.day, ticket.number, JSON.stringify(ticket), at);
    })();
  }

  /** The latest ticket printed here today under that number (a number is unique per day and queue prefix). */
  find(day: string, number: string): Ticket | undefined {
    const row = this.db
      .prepare('SELECT ticket FROM printed_tickets WHERE day = ? AND number = ? ORDER BY printed_at DESC LIMIT 1')
      .get(day, number) as { ticket: string } | undefined;
    if (!row) return undefined;
    const parsed = TicketSchema.safeParse(JSON.parse(row.ticket));
    return parsed.success ? parsed.data : undefined;
  }
}

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

/**
 * Today's appointments of the hall as last fetched from the central API, kept in the
 * station's database so check-in works offline and after a restart. Each row holds only
 * what check-in needs: the keyed ID hash and the masked name, never a number or a name.
 */
export class AppointmentBook {
  private readonly replace: (date: string, appointments: readonly Appointment[]) => void;
  private readonly byDate: Database.Statement<[string], { data: string }>;

  constructor(db: Database.Database) {
    const remove = db.prepare<[string]>('DELETE FROM appointments WHERE date = ?');
    const removeOld = db.prepare<[string]>('DELETE FROM appointments WHERE date < ?');
    const insert = db.prepare<[string, string, string]>('INSERT OR REPLACE INTO appointments (id, date, data) VALUES (?, ?, ?)');
    this.replace = db.transaction((date: string, appointments: readonly Appointment[]) => {
      remove.run(date);
      // Yesterday's bookings are of no use to a kiosk and are personal data: gone.
      removeOld.run(date);
      for (const a of appointments) insert.run(a.id, a.date, JSON.stringify(a));
    });
    this.byDate = db.prepare<[string], { data: string }>('SELECT data FROM appointments WHERE date = ?');
  }

  /** Replaces the day's list with a fresh one from the central API. */
  replaceDay(date: string, appointments: readonly Appointment[]): void {
    this.replace(
      date,
      appointments.filter((a) => a.date === date),
    );
  }

  day(date: string): Appointment[] {
    const out: Appointment[] = [];
    for (const row of this.byDate.all(date)) {
      const parsed = AppointmentSchema.safeParse(JSON.parse(row.data));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  forCitizen(idHash: string, date: string): Appointment[] {
    return this.day(date)
      .filter((a) => a.citizen.idHash === idHash && (a.status === 'booked' || a.status === 'checked_in'))
      .sort((a, b) => a.slot.from.localeCompare(b.slot.from));
  }
}
