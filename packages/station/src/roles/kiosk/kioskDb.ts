import type Database from 'better-sqlite3';
import { TicketSchema, type Ticket } from '@hall/shared';
import { openStationDb } from '../../store/open';

/**
 * The kiosk's own records, beside the station store (as the counter keeps counter.db): the
 * residence-code key set and replay ledger (StationCodeVerifier adds those tables) and the
 * tickets this kiosk printed (PrintRecord), so a slip can be reprinted even when the hall
 * refused it. Each owner creates its tables if missing, as ensureResidenceCodeTables does.
 */
export function openKioskDb(file: string): Database.Database {
  return openStationDb(file, []);
}

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
