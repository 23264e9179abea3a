import type { Kysely } from 'kysely';
import { CaseSchema } from '@hall/shared';
import type { Database } from '../db/schema';
import { getHall } from '../store/halls';
import { notFound } from '../http/errors';
import { emptyActivity, type ClerkActivity } from './indicators';
import type { PeriodRange } from './periods';
import { punctuality } from './punctuality';

/** tickets.staff_id came with the statistics migration (stats/migration.ts). */
type TicketStaff = { tickets: { staff_id: string | null } };

export interface Clerk {
  id: string;
  name: string;
  staffNumber: string;
}

/** The hall's clerks (active staff with the clerk role): the people an appraisal covers. */
export async function hallClerks(db: Kysely<Database>, hallId: string): Promise<Clerk[]> {
  const rows = await db.selectFrom('staff').select(['id', 'display_name', 'staff_number', 'roles_json']).where('hall_id', '=', hallId).where('active', '=', 1).orderBy('staff_number').execute();
  return rows.filter((r) => (JSON.parse(r.roles_json) as string[]).includes('clerk')).map((r) => ({ id: r.id, name: r.display_name, staffNumber: r.staff_number }));
}

/**
 * 考评数据采集: each clerk's activity in the period, read from what the counters already
 * synced — tickets called and finished, cases accepted / refused / handed over, ratings, and
 * the audit log's counter sign-ins — so nobody types figures in.
 */
export async function collectActivity(db: Kysely<Database>, hallId: string, range: PeriodRange, clerks: readonly Clerk[]): Promise<ClerkActivity[]> {
  const hall = await getHall(db, hallId);
  if (!hall) throw notFound('hall', hallId);
  const byId = new Map(clerks.map((c) => [c.id, emptyActivity(c.id)]));
  const inPeriod = (at: string | null | undefined) => typeof at === 'string' && at >= range.from && at < range.to;
  const of = (staffId: string | null | undefined) => (staffId ? byId.get(staffId) : undefined);

  const tickets = await db
    .withTables<TicketStaff>()
    .selectFrom('tickets')
    .select(['staff_id', 'called_at', 'finished_at', 'status'])
    .where('hall_id', '=', hallId)
    .where('called_at', '>=', range.from)
    .where('called_at', '<', range.to)
    .execute();
  for (const t of tickets) {
    const a = of(t.staff_id);
    if (!a) continue;
    a.calls += 1;
    if (t.status === 'finished' && inPeriod(t.finished_at)) a.served += 1;
  }

  // Cases touched in the period: accepted in it, or any step in it (refusals, hand-overs).
  const cases = await db
    .selectFrom('cases')
    .select(['accepted_by_staff_id', 'accepted_at', 'refused_by_staff_id', 'status', 'completed_at', 'submitted_at', 'data_json'])
    .where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb.and([eb('accepted_at', '>=', range.from), eb('accepted_at', '<', range.to)]), eb.and([eb('submitted_at', '>=', range.from), eb('submitted_at', '<', range.to)]), eb('delivered_at', '>=', range.from)]))
    .execute();
  for (const c of cases) {
    const accepter = of(c.accepted_by_staff_id);
    if (accepter && inPeriod(c.accepted_at)) {
      accepter.casesAccepted += 1;
      // Turned down by the back office after the counter accepted it: the acceptance was wrong.
      if (c.status === 'refused') accepter.acceptedDenied += 1;
      if (c.completed_at !== null) accepter.acceptedCompleted += 1;
    }
    // 不予受理 at the counter: refused without ever being accepted.
    const refuser = c.accepted_at === null ? of(c.refused_by_staff_id) : undefined;
    if (refuser && inPeriod(c.submitted_at)) refuser.casesRefused += 1;
    if (c.data_json !== null) {
      const timeline = CaseSchema.shape.timeline.safeParse((JSON.parse(c.data_json) as { timeline?: unknown }).timeline);
      for (const step of timeline.success ? timeline.data : []) {
        const issuer = step.kind === 'delivered' ? of(step.staffId) : undefined;
        if (issuer && inPeriod(step.at)) issuer.resultsIssued += 1;
      }
    }
  }

  const ratings = await db.selectFrom('evaluations').select(['staff_id', 'rating']).where('hall_id', '=', hallId).where('at', '>=', range.from).where('at', '<', range.to).execute();
  for (const r of ratings) {
    const a = of(r.staff_id);
    if (!a) continue;
    if (r.rating === 'very_satisfied' || r.rating === 'satisfied') a.ratingsGood += 1;
    else if (r.rating === 'neutral') a.ratingsNeutral += 1;
    else a.ratingsBad += 1;
  }

  // A clerk's sign-in at a counter station is audited with the counter (sync/index.ts).
  const signIns = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'at', 'detail_json'])
    .where('hall_id', '=', hallId)
    .where('action', '=', 'login')
    .where('entity', '=', 'staff')
    .where('at', '>=', range.from)
    .where('at', '<', range.to)
    .execute();
  const signInsOf = new Map<string, string[]>();
  for (const s of signIns) {
    if (!s.detail_json || !('counterId' in (JSON.parse(s.detail_json) as object))) continue;
    signInsOf.set(s.entity_id, [...(signInsOf.get(s.entity_id) ?? []), s.at]);
  }
  for (const [staffId, ats] of signInsOf) {
    const a = of(staffId);
    if (a) Object.assign(a, punctuality(ats, hall.openingHours));
  }
  return clerks.map((c) => byId.get(c.id)!);
}
