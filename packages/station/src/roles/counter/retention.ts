import type Database from 'better-sqlite3';
import { FINAL_CASE_STATUSES, type HallState, shiftLocalDay, zonedInstant } from '@hall/shared';
import { collectStrings, type RetentionPolicy } from '../../store/retention';

/**
 * counter.db's share of retention by hall-day (issue 22): the served list, ratings, printed
 * slips (with their ESC/POS bytes), case work, captured pages and collector photos of past
 * days go once the station store forgot those days. Kept whatever their age: anything a
 * mutation still to be decided names, and anything of a case that is not closed (its
 * receipt is reprinted, its pages are still to be sent or read). Clerk verifiers, login
 * lockouts and the refusals the central API sent (shown until read) are not by day and stay.
 */
export interface CounterRetentionResult {
  served: number;
  ratings: number;
  prints: number;
  caseWork: number;
  pages: number;
  photos: number;
}

/** Ids counter.db must keep: named by a pending or unreflected mutation, or of a case not closed (and its ticket). */
export function counterKeeps(live: HallState, replayedPayloads: readonly string[]): Set<string> {
  const needed = new Set<string>();
  for (const payload of replayedPayloads) collectStrings(JSON.parse(payload), needed);
  const final = new Set<string>(FINAL_CASE_STATUSES);
  for (const kase of Object.values(live.cases)) {
    if (final.has(kase.status)) continue;
    needed.add(kase.id);
    if (kase.ticketId !== undefined) needed.add(kase.ticketId);
  }
  return needed;
}

/** Deletes counter.db's rows of days before the policy's first kept day, in one transaction. */
export function forgetCounterPastDays(db: Database.Database, policy: Pick<RetentionPolicy, 'liveDay' | 'pastDays' | 'timeZone'>, needed: ReadonlySet<string>): CounterRetentionResult {
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
