import type { Kysely } from 'kysely';
import type { Case } from '@hall/shared';
import type { Database } from '../db/schema';
import { caseOfRow } from './store';

export const LIFECYCLE_COUNTS = ['accepted', 'approved', 'refused', 'supplemented', 'completed', 'withdrawn', 'returned', 'closed', 'overdue'] as const;
type CountName = (typeof LIFECYCLE_COUNTS)[number];
type Counts = Record<CountName, number>;

const empty = (): Counts => Object.fromEntries(LIFECYCLE_COUNTS.map((c) => [c, 0])) as Counts;
const within = (at: string | undefined, from: string, to: string) => at !== undefined && at >= from && at < to;

/** What a case did in [from, to): each step counted on the day it happened, from the case's timeline. */
function countsOf(kase: Case, from: string, to: string, stageDueAt: string | null, now: string): Partial<Counts> {
  const counts: Partial<Counts> = {};
  const add = (name: CountName) => (counts[name] = (counts[name] ?? 0) + 1);
  for (const step of kase.timeline) {
    if (!within(step.at, from, to)) continue;
    if (step.kind === 'accepted') add('accepted');
    if (step.kind === 'approved') add('approved');
    if (step.kind === 'refused') add('refused');
    if (step.kind === 'supplement_requested') add('supplemented');
    if (step.kind === 'completed') add('completed');
    if (step.kind === 'withdrawn') add('withdrawn');
    if (step.kind === 'returned') add('returned');
    if (step.kind === 'closed') add('closed');
  }
  // Overdue: completed after its promised date within the period, or open and past its step's limit now.
  const lateCompletion = within(kase.completedAt, from, to) && kase.dueAt !== undefined && kase.completedAt !== undefined && kase.completedAt > kase.dueAt;
  const openLate = stageDueAt !== null && stageDueAt < now && ['submitted', 'accepted', 'supplement_requested', 'approved'].includes(kase.status);
  if (lateCompletion || openLate) add('overdue');
  return counts;
}

/**
 * 办件生命周期统计: accepted, approved, refused, supplemented, completed, withdrawn, returned,
 * closed and overdue, by service, department, counter (where it was accepted) and clerk
 * (who accepted it), for one hall and period.
 */
export async function caseLifecycleCounts(db: Kysely<Database>, hallId: string, from: string, to: string, now: Date) {
  const rows = await db
    .selectFrom('cases')
    .select(['data_json', 'stage_due_at'])
    .where('hall_id', '=', hallId)
    .where('data_json', 'is not', null)
    .where('submitted_at', '<', to)
    .where((eb) => eb.or([eb('stage', '!=', 'done'), eb('closed_at', '>=', from), eb('delivered_at', '>=', from), eb('completed_at', '>=', from)]))
    .execute();
  const groups = { total: empty(), byService: new Map<string, Counts>(), byDepartment: new Map<string, Counts>(), byCounter: new Map<string, Counts>(), byClerk: new Map<string, Counts>() };
  const bump = (map: Map<string, Counts>, key: string | undefined, counts: Partial<Counts>) => {
    if (key === undefined) return;
    const into = map.get(key) ?? empty();
    for (const [name, n] of Object.entries(counts) as [CountName, number][]) into[name] += n;
    map.set(key, into);
  };
  for (const row of rows) {
    const kase = caseOfRow(row);
    if (!kase) continue;
    const counts = countsOf(kase, from, to, row.stage_due_at, now.toISOString());
    if (Object.keys(counts).length === 0) continue;
    for (const [name, n] of Object.entries(counts) as [CountName, number][]) groups.total[name] += n;
    const accepted = kase.timeline.find((s) => s.kind === 'accepted');
    bump(groups.byService, kase.serviceId, counts);
    bump(groups.byDepartment, kase.departmentId, counts);
    bump(groups.byCounter, accepted?.counterId, counts);
    bump(groups.byClerk, kase.acceptedByStaffId, counts);
  }
  const list = (map: Map<string, Counts>) => [...map].map(([id, counts]) => ({ id, ...counts }));
  return { from, to, total: groups.total, byService: list(groups.byService), byDepartment: list(groups.byDepartment), byCounter: list(groups.byCounter), byClerk: list(groups.byClerk) };
}
