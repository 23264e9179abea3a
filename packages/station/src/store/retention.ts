import type Database from 'better-sqlite3';
import { FINAL_CASE_STATUSES, type Case, localDay, shiftLocalDay } from '@hall/shared';
import { collectStrings } from './rules/retention';

/**
 * What a station keeps of past hall-days (issue 22): a hall that runs for a year must be as
 * fast on its last day as on its first, so the ticket tables hold the live day and what is
 * still needed; the central API keeps the history (its tickets and cases tables, which
 * statistics read).
 */
export interface RetentionPolicy {
  /** The hall's live day (YYYY-MM-DD, hall-local). */
  liveDay: string;
  /** Past hall-days kept besides the live day (0: only the live day). */
  pastDays: number;
  /** Acknowledged outbox rows older than this (ISO time) go: past the restore horizon no restored central database needs them again. */
  ackedBefore: string;
  /** The hall's time zone, to tell on which hall-day a closed case's last step happened. */
  timeZone: string;
}

export interface RetentionResult {
  tickets: number;
  cases: number;
  outbox: number;
  numberBlocks: number;
}

const FINAL = new Set<string>(FINAL_CASE_STATUSES);

/**
 * Deletes past hall-days' rows in one transaction (the caller holds it and reloads its
 * in-memory layers after). Kept whatever their day: tickets and cases named by a mutation
 * the live state still replays (`replayed`: their payloads, own or a hall peer's, pending
 * or not yet reflected), tickets an open case names, and every case not in a final status;
 * a final case goes once its last step is older than the kept days.
 */
export function forgetPastDays(db: Database.Database, policy: RetentionPolicy, cursor: number, replayed: readonly string[]): RetentionResult {
  const firstKept = shiftLocalDay(policy.liveDay, -policy.pastDays);
  const needed = new Set<string>();
  for (const payload of replayed) collectStrings(JSON.parse(payload), needed);

  const dropCases: string[] = [];
  for (const row of db.prepare<[], { id: string; data: string }>('SELECT DISTINCT id, data FROM cases').all()) {
    const kase = JSON.parse(row.data) as Case;
    if (!FINAL.has(kase.status)) {
      if (kase.ticketId !== undefined) needed.add(kase.ticketId);
      continue;
    }
    const lastAt = kase.timeline.at(-1)?.at;
    const lastDay = lastAt === undefined ? policy.liveDay : localDay(Date.parse(lastAt), policy.timeZone);
    if (lastDay < firstKept && !needed.has(row.id)) dropCases.push(row.id);
  }
  const keep = JSON.stringify([...needed]);
  const tickets = db.prepare<[string, string]>(`DELETE FROM tickets WHERE day < ? AND id NOT IN (SELECT value FROM json_each(?))`).run(firstKept, keep).changes;
  const cases = db.prepare<[string]>(`DELETE FROM cases WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(dropCases)).changes;
  // A leased block is for one day: yesterday's unused numbers are never issued.
  const numberBlocks = db.prepare<[string]>('DELETE FROM number_blocks WHERE day < ?').run(policy.liveDay).changes;
  // Rejected rows stay: a refusal is shown until someone reads it. Applied rows go once past
  // the restore horizon and reflected by the pulled state (their log position is below the cursor).
  const outbox = db
    .prepare<[string, number]>(`DELETE FROM outbox WHERE status = 'applied' AND acked_at < ? AND log_seq <= ?`)
    .run(policy.ackedBefore, cursor).changes;
  return { tickets, cases, outbox, numberBlocks };
}
