import type { Kysely } from 'kysely';
import { CaseSchema, type AppraisalSubject, type CaseStep } from '@hall/shared';
import type { Database } from '../db/schema';
import { getHall } from '../store/halls';
import { notFound } from '../http/errors';
import { emptyActivity, type ClerkActivity } from './indicators';
import type { PeriodRange } from './periods';
import { punctuality } from './punctuality';

/** tickets.staff_id came with the statistics migration (stats/migration.ts). */
type TicketStaff = { tickets: { staff_id: string | null } };

export interface Appraised {
  id: string;
  name: string;
  /** The clerk's 工号, or the counter's number. */
  staffNumber: string;
}

/** The hall's clerks (active staff with the clerk role): the people an appraisal covers. */
export async function hallClerks(db: Kysely<Database>, hallId: string): Promise<Appraised[]> {
  const rows = await db.selectFrom('staff').select(['id', 'display_name', 'staff_number', 'roles_json']).where('hall_id', '=', hallId).where('active', '=', 1).orderBy('staff_number').execute();
  return rows.filter((r) => (JSON.parse(r.roles_json) as string[]).includes('clerk')).map((r) => ({ id: r.id, name: r.display_name, staffNumber: r.staff_number }));
}

export async function hallCounters(db: Kysely<Database>, hallId: string): Promise<Appraised[]> {
  const rows = await db.selectFrom('counters').select(['id', 'number', 'name_zh']).where('hall_id', '=', hallId).execute();
  return rows.map((r) => ({ id: r.id, name: r.name_zh, staffNumber: r.number })).sort((a, b) => a.staffNumber.localeCompare(b.staffNumber, 'en', { numeric: true }));
}

export const appraisedOf = (db: Kysely<Database>, hallId: string, subject: AppraisalSubject) => (subject === 'clerk' ? hallClerks(db, hallId) : hallCounters(db, hallId));

const lastStep = (timeline: readonly CaseStep[], kind: CaseStep['kind']) => timeline.filter((s) => s.kind === kind).at(-1);

/**
 * 考评数据采集: each clerk's (or counter's) activity in the period, read from what the
 * counters already synced — tickets called and finished, cases accepted / refused / handed
 * over, ratings, and the audit log's counter sign-ins — so nobody types figures in.
 */
export async function collectActivity(db: Kysely<Database>, hallId: string, range: PeriodRange, appraised: readonly Appraised[], subject: AppraisalSubject = 'clerk'): Promise<ClerkActivity[]> {
  const hall = await getHall(db, hallId);
  if (!hall) throw notFound('hall', hallId);
  const byId = new Map(appraised.map((c) => [c.id, emptyActivity(c.id)]));
  const inPeriod = (at: string | null | undefined) => typeof at === 'string' && at >= range.from && at < range.to;
  const of = (id: string | null | undefined) => (id ? byId.get(id) : undefined);
  const pick = (who: { staffId?: string | null | undefined; counterId?: string | null | undefined }) => of(subject === 'clerk' ? who.staffId : who.counterId);

  const tickets = await db
    .withTables<TicketStaff>()
    .selectFrom('tickets')
    .select(['staff_id', 'counter_id', 'called_at', 'finished_at', 'status'])
    .where('hall_id', '=', hallId)
    .where('called_at', '>=', range.from)
    .where('called_at', '<', range.to)
    .execute();
  for (const t of tickets) {
    const a = pick({ staffId: t.staff_id, counterId: t.counter_id });
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
    const parsed = c.data_json === null ? undefined : CaseSchema.shape.timeline.safeParse((JSON.parse(c.data_json) as { timeline?: unknown }).timeline);
    const timeline = parsed?.success ? parsed.data : [];
    const accepter = inPeriod(c.accepted_at) ? pick({ staffId: c.accepted_by_staff_id, counterId: lastStep(timeline, 'accepted')?.counterId }) : undefined;
    if (accepter) {
      accepter.casesAccepted += 1;
      // Turned down by the back office after the counter accepted it: the acceptance was wrong.
      if (c.status === 'refused') accepter.acceptedDenied += 1;
      if (c.completed_at !== null) accepter.acceptedCompleted += 1;
    }
    // 不予受理 at the counter: refused without ever being accepted.
    const refuser = c.accepted_at === null && inPeriod(c.submitted_at) ? pick({ staffId: c.refused_by_staff_id, counterId: lastStep(timeline, 'refused')?.counterId }) : undefined;
    if (refuser) refuser.casesRefused += 1;
    for (const step of timeline) {
      const issuer = step.kind === 'delivered' && inPeriod(step.at) ? pick(step) : undefined;
      if (issuer) issuer.resultsIssued += 1;
    }
  }

  const ratings = await db.selectFrom('evaluations').select(['staff_id', 'counter_id', 'rating']).where('hall_id', '=', hallId).where('at', '>=', range.from).where('at', '<', range.to).execute();
  for (const r of ratings) {
    const a = pick({ staffId: r.staff_id, counterId: r.counter_id });
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
    const counterId = s.detail_json === null ? undefined : (JSON.parse(s.detail_json) as { counterId?: string }).counterId;
    if (!counterId) continue;
    const key = subject === 'clerk' ? s.entity_id : counterId;
    signInsOf.set(key, [...(signInsOf.get(key) ?? []), s.at]);
  }
  for (const [id, ats] of signInsOf) {
    const a = of(id);
    if (a) Object.assign(a, punctuality(ats, hall.openingHours));
  }
  return appraised.map((c) => byId.get(c.id)!);
}
