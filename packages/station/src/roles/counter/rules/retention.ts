import { FINAL_CASE_STATUSES, type HallState } from '@hall/shared';
import { collectStrings } from '../../../store/rules/retention';

/**
 * counter.db's share of retention by hall-day (issue 22; the deletes are
 * CounterRepository.forgetPastDays): the served list, ratings, printed
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
