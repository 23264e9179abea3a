import type Database from 'better-sqlite3';
import { shiftLocalDay, zonedInstant, type Case, type CentralRejection, type PrintRecord, type Rating } from '@hall/shared';
import type { RetentionPolicy } from '../../store/retention';
import type { CounterRetentionResult } from './rules/retention';
import type { CaseWorkData } from './rules/workData';

export type PageMime = 'image/png' | 'image/jpeg';

/** A captured page without its bytes: what lists and checklists need. */
export interface CapturedPage {
  id: string;
  caseId: string;
  materialId: string;
  position: number;
  mime: PageMime;
  width: number;
  height: number;
  source: 'camera' | 'scanner';
}

/** A printed slip as kept for the history and for reprints (the exact ESC/POS bytes). */
export interface StoredPrint {
  id: string;
  kind: PrintRecord['kind'];
  ticketId: string | null;
  caseId: string | null;
  at: string;
  preview: string;
  escpos: Buffer;
  printed: boolean;
  printerError: string | null;
}

/** A clerk's cached sign-in: staff record (JSON), password verifier and the wrapped clerk key, when one was issued. */
export interface CachedClerk {
  staff: string;
  verifier: string;
  wrappedClerkKey: string | null;
}

interface PageRow {
  id: string;
  case_id: string;
  material_id: string;
  position: number;
  mime: PageMime;
  width: number;
  height: number;
  source: 'camera' | 'scanner';
}

interface PrintRow {
  id: string;
  kind: PrintRecord['kind'];
  ticket_id: string | null;
  case_id: string | null;
  at: string;
  preview: string;
  escpos: Buffer;
  printed: number;
  printer_error: string | null;
}

const pageOf = (row: PageRow): CapturedPage => ({
  id: row.id,
  caseId: row.case_id,
  materialId: row.material_id,
  position: row.position,
  mime: row.mime,
  width: row.width,
  height: row.height,
  source: row.source,
});

const printOf = (row: PrintRow): StoredPrint => ({
  id: row.id,
  kind: row.kind,
  ticketId: row.ticket_id,
  caseId: row.case_id,
  at: row.at,
  preview: row.preview,
  escpos: row.escpos,
  printed: row.printed === 1,
  printerError: row.printer_error,
});

/**
 * Every statement the counter role runs on counter.db (counterDb.ts opens and migrates it):
 * the role's logic calls these typed methods and never writes SQL of its own.
 */
export class CounterRepository {
  constructor(private readonly db: Database.Database) {}

  /* ---------- meta: small JSON values by key ---------- */

  readMeta<T>(key: string): T | undefined {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  writeMeta(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  /* ---------- clerk sign-in: cached verifiers and local lockout ---------- */

  /** What the clerk's last online sign-in here left for an offline one (clerkAuth.ts). */
  cachedClerk(login: string): CachedClerk | undefined {
    const row = this.db
      .prepare<[string], { staff: string; verifier: string; clerk_key: string | null }>('SELECT staff, verifier, clerk_key FROM clerk_cache WHERE login = ?')
      .get(login);
    return row ? { staff: row.staff, verifier: row.verifier, wrappedClerkKey: row.clerk_key } : undefined;
  }

  cacheClerk(login: string, cached: CachedClerk, at: string): void {
    this.db
      .prepare(
        `INSERT INTO clerk_cache (login, staff, verifier, clerk_key, updated_at) VALUES (@login, @staff, @verifier, @clerkKey, @at)
         ON CONFLICT (login) DO UPDATE SET staff = excluded.staff, verifier = excluded.verifier, clerk_key = excluded.clerk_key, updated_at = excluded.updated_at`,
      )
      .run({ login, staff: cached.staff, verifier: cached.verifier, clerkKey: cached.wrappedClerkKey, at });
  }

  forgetCachedClerk(login: string): void {
    this.db.prepare<[string]>('DELETE FROM clerk_cache WHERE login = ?').run(login);
  }

  loginFailures(login: string): { failures: number; lockedUntil: string | null } | undefined {
    const row = this.db.prepare<[string], { failures: number; locked_until: string | null }>('SELECT failures, locked_until FROM login_failures WHERE login = ?').get(login);
    return row ? { failures: row.failures, lockedUntil: row.locked_until } : undefined;
  }

  /** Counts one more failure; `lock` (an instant) locks the login until then, null leaves it open. */
  recordLoginFailure(login: string, lock: string | null): void {
    this.db
      .prepare<[{ login: string; lock: string | null }]>(
        `INSERT INTO login_failures (login, failures, locked_until) VALUES (@login, 1, @lock)
         ON CONFLICT (login) DO UPDATE SET failures = failures + 1, locked_until = @lock`,
      )
      .run({ login, lock });
  }

  clearLoginFailures(login: string): void {
    this.db.prepare<[string]>('DELETE FROM login_failures WHERE login = ?').run(login);
  }

  /* ---------- served tickets and ratings ---------- */

  /** The first clerk to start or finish a ticket keeps it in their history. */
  recordServed(served: { ticketId: string; staffId: string; day: string; at: string }): void {
    this.db
      .prepare('INSERT INTO served (ticket_id, staff_id, day, at) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING')
      .run(served.ticketId, served.staffId, served.day, served.at);
  }

  /** The clerk's tickets of a hall-day, latest first. */
  servedTicketIds(staffId: string, day: string): string[] {
    return this.db
      .prepare<[string, string], { ticket_id: string }>('SELECT ticket_id FROM served WHERE staff_id = ? AND day = ? ORDER BY at DESC')
      .all(staffId, day)
      .map((row) => row.ticket_id);
  }

  /** A ticket is rated once: a later rating of the same ticket is ignored. */
  recordRating(rated: { ticketId: string; staffId: string; counterId: string; rating: Rating; defaulted: boolean; at: string }): void {
    this.db
      .prepare('INSERT INTO ratings (ticket_id, staff_id, counter_id, rating, defaulted, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING')
      .run(rated.ticketId, rated.staffId, rated.counterId, rated.rating, rated.defaulted ? 1 : 0, rated.at);
  }

  rating(ticketId: string): { rating: Rating; defaulted: boolean } | undefined {
    const row = this.db.prepare<[string], { rating: Rating; defaulted: number }>('SELECT rating, defaulted FROM ratings WHERE ticket_id = ?').get(ticketId);
    return row ? { rating: row.rating, defaulted: row.defaulted === 1 } : undefined;
  }

  /* ---------- case work ---------- */

  /** The counter's working data of a case; empty for a case not worked on here. */
  work(caseId: string): CaseWorkData {
    const row = this.db.prepare<[string], { data: string }>('SELECT data FROM case_work WHERE case_id = ?').get(caseId);
    return row ? (JSON.parse(row.data) as CaseWorkData) : { received: [], values: {} };
  }

  /** The ticket a case was worked on for, when this counter worked on it at all. */
  workedCase(caseId: string): { ticketId: string | null } | undefined {
    const row = this.db.prepare<[string], { ticket_id: string | null }>('SELECT ticket_id FROM case_work WHERE case_id = ?').get(caseId);
    return row ? { ticketId: row.ticket_id } : undefined;
  }

  saveWork(kase: Pick<Case, 'id' | 'ticketId' | 'serviceId'>, work: CaseWorkData, at: string): void {
    this.db
      .prepare(
        `INSERT INTO case_work (case_id, ticket_id, service_id, data, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (case_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      )
      .run(kase.id, kase.ticketId ?? null, kase.serviceId, JSON.stringify(work), at);
  }

  /** Rewrites the working data of a case already worked on here (and only then). */
  replaceWork(caseId: string, work: CaseWorkData, at: string): void {
    this.db.prepare('UPDATE case_work SET data = ?, updated_at = ? WHERE case_id = ?').run(JSON.stringify(work), at, caseId);
  }

  /* ---------- captured pages ---------- */

  /** A case's pages by material, each material's in order. */
  pages(caseId: string): CapturedPage[] {
    return this.db
      .prepare<[string], PageRow>('SELECT id, case_id, material_id, position, mime, width, height, source FROM pages WHERE case_id = ? ORDER BY material_id, position')
      .all(caseId)
      .map(pageOf);
  }

  addPage(page: CapturedPage & { bytes: Uint8Array; dpi: number | null }): void {
    this.db
      .prepare('INSERT INTO pages (id, case_id, material_id, position, mime, width, height, source, bytes, dpi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(page.id, page.caseId, page.materialId, page.position, page.mime, page.width, page.height, page.source, Buffer.from(page.bytes), page.dpi);
  }

  /** Positions the pages in the order given, in one transaction. */
  reorderPages(pageIds: readonly string[]): void {
    const update = this.db.prepare('UPDATE pages SET position = ? WHERE id = ?');
    this.db.transaction(() => pageIds.forEach((id, i) => update.run(i, id)))();
  }

  /** Deletes a page and closes the gap in its material's order, in one transaction. */
  removePage(page: Pick<CapturedPage, 'id' | 'caseId' | 'materialId'>): void {
    const update = this.db.prepare('UPDATE pages SET position = ? WHERE id = ?');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM pages WHERE id = ?').run(page.id);
      this.pages(page.caseId)
        .filter((p) => p.materialId === page.materialId)
        .forEach((p, i) => update.run(i, p.id));
    })();
  }

  pageImage(pageId: string): { mime: PageMime; bytes: Buffer } | undefined {
    return this.db.prepare<[string], { mime: PageMime; bytes: Buffer }>('SELECT mime, bytes FROM pages WHERE id = ?').get(pageId);
  }

  /** A material's page images in order, with the scan resolution where a scanner gave one. */
  materialPageImages(caseId: string, materialId: string): { bytes: Buffer; dpi: number | null }[] {
    return this.db
      .prepare<[string, string], { bytes: Buffer; dpi: number | null }>('SELECT bytes, dpi FROM pages WHERE case_id = ? AND material_id = ? ORDER BY position')
      .all(caseId, materialId);
  }

  /** How many pages this counter captured for each material of a case. */
  pageCountsByMaterial(caseId: string): Map<string, number> {
    const rows = this.db.prepare<[string], { material_id: string; n: number }>('SELECT material_id, COUNT(*) AS n FROM pages WHERE case_id = ? GROUP BY material_id').all(caseId);
    return new Map(rows.map((row) => [row.material_id, row.n]));
  }

  /** 领取登记: the collector's photo stays on this station. */
  keepCollectorPhoto(photo: { id: string; caseId: string; mime: PageMime; bytes: Buffer; at: string }): void {
    this.db.prepare('INSERT INTO collector_photos (id, case_id, mime, bytes, at) VALUES (?, ?, ?, ?, ?)').run(photo.id, photo.caseId, photo.mime, photo.bytes, photo.at);
  }

  /* ---------- printed slips ---------- */

  addPrint(print: Omit<StoredPrint, 'escpos'> & { escpos: Uint8Array; staffId: string | null }): void {
    this.db
      .prepare(
        `INSERT INTO prints (id, kind, ticket_id, case_id, staff_id, at, preview, escpos, printed, printer_error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(print.id, print.kind, print.ticketId, print.caseId, print.staffId, print.at, print.preview, Buffer.from(print.escpos), print.printed ? 1 : 0, print.printerError);
  }

  print(id: string): StoredPrint | undefined {
    const row = this.db.prepare<[string], PrintRow>('SELECT * FROM prints WHERE id = ?').get(id);
    return row ? printOf(row) : undefined;
  }

  /** A ticket's slips in the order they were printed. */
  printsForTicket(ticketId: string): StoredPrint[] {
    return this.db.prepare<[string], PrintRow>('SELECT * FROM prints WHERE ticket_id = ? ORDER BY at').all(ticketId).map(printOf);
  }

  markPrinted(id: string, printed: boolean, printerError: string | null): void {
    this.db.prepare('UPDATE prints SET printed = ?, printer_error = ? WHERE id = ?').run(printed ? 1 : 0, printerError, id);
  }

  /** How many acceptance receipts this counter has printed (the case number's running part). */
  acceptanceReceiptCount(): number {
    return this.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM prints WHERE kind = 'acceptance_receipt'").get()?.n ?? 0;
  }

  /* ---------- the central API's rejections ---------- */

  /** Keeps a rejection once per mutation; answers whether it was new. */
  recordCentralRejection(rejection: CentralRejection & { mutationId: string; caseId: string | null; ticketId: string | null }): boolean {
    return (
      this.db
        .prepare('INSERT INTO central_rejections (mutation_id, type, case_id, ticket_id, code, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mutation_id) DO NOTHING')
        .run(rejection.mutationId, rejection.type, rejection.caseId, rejection.ticketId, rejection.code, rejection.reason, rejection.at).changes > 0
    );
  }

  /** The latest rejection of a ticket's rating, if the central API refused one. */
  ratingRejection(ticketId: string): CentralRejection | undefined {
    return this.db
      .prepare<[string], CentralRejection>("SELECT type, code, reason, at FROM central_rejections WHERE ticket_id = ? AND type = 'recordEvaluation' ORDER BY at DESC LIMIT 1")
      .get(ticketId);
  }

  /* ---------- retention ---------- */

  /** Deletes counter.db's rows of days before the policy's first kept day (rules/retention.ts says what stays), in one transaction. */
  forgetPastDays(policy: Pick<RetentionPolicy, 'liveDay' | 'pastDays' | 'timeZone'>, needed: ReadonlySet<string>): CounterRetentionResult {
    const db = this.db;
    const firstKept = shiftLocalDay(policy.liveDay, -policy.pastDays);
    // Rows carry UTC instants (toISOString): the first kept day starts at this one.
    const cutoff = new Date(zonedInstant(firstKept, '00:00', policy.timeZone)).toISOString();
    const keep = JSON.stringify([...needed]);
    const kept = 'SELECT value FROM json_each(@keep)';
    return db.transaction((): CounterRetentionResult => {
      const served = db.prepare(`DELETE FROM served WHERE day < @firstKept AND ticket_id NOT IN (${kept})`).run({ firstKept, keep }).changes;
      const ratings = db.prepare(`DELETE FROM ratings WHERE at < @cutoff AND ticket_id NOT IN (${kept})`).run({ cutoff, keep }).changes;
      const prints = db
        .prepare(`DELETE FROM prints WHERE at < @cutoff AND COALESCE(ticket_id, '') NOT IN (${kept}) AND COALESCE(case_id, '') NOT IN (${kept})`)
        .run({ cutoff, keep }).changes;
      const gone = db
        .prepare<{ cutoff: string; keep: string }, { case_id: string }>(
          `SELECT case_id FROM case_work WHERE updated_at < @cutoff AND case_id NOT IN (${kept}) AND COALESCE(ticket_id, '') NOT IN (${kept})`,
        )
        .all({ cutoff, keep })
        .map((row) => row.case_id);
      const goneJson = JSON.stringify(gone);
      const caseWork = db.prepare('DELETE FROM case_work WHERE case_id IN (SELECT value FROM json_each(?))').run(goneJson).changes;
      // Pages have no time of their own: they go with their case's work.
      const pages = db.prepare('DELETE FROM pages WHERE case_id IN (SELECT value FROM json_each(?))').run(goneJson).changes;
      const photos = db
        .prepare(`DELETE FROM collector_photos WHERE at < @cutoff AND id NOT IN (${kept}) AND case_id NOT IN (${kept})`)
        .run({ cutoff, keep }).changes;
      return { served, ratings, prints, caseWork, pages, photos };
    })();
  }
}
