import { randomUUID } from 'node:crypto';
import type { AppealView, AppraisalSubject, AppraisalView, ClerkScore, EventView, ResultRow, SchemeItem, SchemeView } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { ApiError, conflict, notFound } from '../http/errors';
import { sealContext } from '../secrets/atRest';
import { enqueueSms } from '../sms/outbox';
import { recordAudit, type AuditActor } from '../store/audit';
import { appraisedOf, collectActivity, hallClerks, type Appraised } from './collect';
import { periodRange } from './periods';
import { SchemeItemsSchema, scoreClerks } from './scoring';
import { CONTACT_PHONE, performanceDb, type PerformanceTables } from './tables';

type Ctx = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'>;
const DAY_MS = 86_400_000;

export interface SchemeInput {
  name: string;
  items: SchemeItem[];
  /** Days after publication a clerk may appeal, and days the manager has to answer. */
  appealDays: number;
  answerDays: number;
}

const schemeView = (r: PerformanceTables['performance_schemes']): SchemeView => ({
  id: r.id,
  name: r.name,
  items: SchemeItemsSchema.parse(JSON.parse(r.items_json)),
  appealDays: r.appeal_days,
  answerDays: r.answer_days,
  updatedAt: r.updated_at,
});

export async function listSchemes(db: Kysely<Database>, hallId: string): Promise<SchemeView[]> {
  const rows = await performanceDb(db).selectFrom('performance_schemes').selectAll().where('hall_id', '=', hallId).orderBy('name').execute();
  return rows.map(schemeView);
}

async function scheme(db: Kysely<Database>, hallId: string, id: string): Promise<SchemeView> {
  const row = await performanceDb(db).selectFrom('performance_schemes').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('appraisal scheme', id);
  return schemeView(row);
}

/** Creates a scheme, or replaces one (a scheme is reused month after month; results keep their own copy). */
export async function saveScheme(ctx: Ctx, actor: AuditActor, hallId: string, input: SchemeInput, id?: string): Promise<SchemeView> {
  const now = ctx.clock().toISOString();
  const values = { name: input.name, items_json: JSON.stringify(input.items), appeal_days: input.appealDays, answer_days: input.answerDays, updated_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    if (id) {
      const done = await performanceDb(trx).updateTable('performance_schemes').set(values).where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw notFound('appraisal scheme', id);
    } else {
      id = randomUUID();
      await performanceDb(trx).insertInto('performance_schemes').values({ id, hall_id: hallId, created_by: actor.id, ...values }).execute();
    }
    await recordAudit(trx, { actor, action: 'save', entity: 'performance_scheme', entityId: id, hallId, detail: { name: input.name } }, ctx.clock());
  });
  return scheme(ctx.db, hallId, id!);
}

export interface EventInput {
  staffIds: string[];
  day: string;
  kind: 'bonus' | 'penalty';
  points: number;
  reason: string;
  counts: boolean;
}

/** 事件记录: one event may concern several clerks; each gets a row of their own. */
export async function recordEvents(ctx: Ctx, actor: AuditActor, hallId: string, events: readonly EventInput[], source: 'manual' | 'import'): Promise<number> {
  const clerks = new Set((await hallClerks(ctx.db, hallId)).map((c) => c.id));
  const unknown = events.flatMap((e) => e.staffIds).filter((id) => !clerks.has(id));
  if (unknown.length > 0) throw new ApiError(400, 'unknown_clerk', `not a clerk of this hall: ${[...new Set(unknown)].join(', ')}`);
  const now = ctx.clock();
  let n = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const e of events) {
      for (const staffId of e.staffIds) {
        const id = randomUUID();
        await performanceDb(trx)
          .insertInto('performance_events')
          .values({ id, hall_id: hallId, staff_id: staffId, day: e.day, kind: e.kind, points: e.points, reason: e.reason, counts: e.counts ? 1 : 0, source, created_by: actor.id, created_at: now.toISOString() })
          .execute();
        n += 1;
      }
    }
    await recordAudit(trx, { actor, action: 'record', entity: 'performance_event', entityId: hallId, hallId, detail: { events: n, source } }, now);
  });
  return n;
}

export async function listEvents(db: Kysely<Database>, hallId: string, period: string): Promise<EventView[]> {
  const { from, to } = periodRange(period);
  // Event days are hall-local dates; the period's local first and last day bound them.
  const first = new Date(Date.parse(from) + 8 * 3_600_000).toISOString().slice(0, 10);
  const after = new Date(Date.parse(to) + 8 * 3_600_000).toISOString().slice(0, 10);
  const rows = await performanceDb(db).selectFrom('performance_events').selectAll().where('hall_id', '=', hallId).where('day', '>=', first).where('day', '<', after).orderBy('day').orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, staffId: r.staff_id, day: r.day, kind: r.kind, points: r.points, reason: r.reason, counts: r.counts === 1, source: r.source }));
}

export async function deleteEvent(ctx: Ctx, actor: AuditActor, hallId: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const done = await performanceDb(trx).deleteFrom('performance_events').where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
    if (Number(done.numDeletedRows) === 0) throw notFound('performance event', id);
    await recordAudit(trx, { actor, action: 'delete', entity: 'performance_event', entityId: id, hallId }, ctx.clock());
  });
}

export interface AppraisalResults {
  scheme: SchemeView;
  rows: ResultRow[];
}

const appraisalView = (r: PerformanceTables['performance_appraisals']): AppraisalView => {
  const results = JSON.parse(r.results_json) as AppraisalResults;
  return {
    id: r.id,
    schemeId: r.scheme_id,
    schemeName: results.scheme.name,
    period: r.period,
    subject: r.subject,
    status: r.status,
    version: r.version,
    computedAt: r.computed_at,
    publishedAt: r.published_at,
    appealUntil: r.appeal_until,
    results: results.rows,
    items: results.scheme.items,
  };
};

export async function listAppraisals(db: Kysely<Database>, hallId: string): Promise<AppraisalView[]> {
  const rows = await performanceDb(db).selectFrom('performance_appraisals').selectAll().where('hall_id', '=', hallId).orderBy('period', 'desc').orderBy('computed_at', 'desc').execute();
  return rows.map(appraisalView);
}

export async function getAppraisal(db: Kysely<Database>, hallId: string, id: string): Promise<AppraisalView> {
  const row = await performanceDb(db).selectFrom('performance_appraisals').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('appraisal', id);
  return appraisalView(row);
}

/** The score inputs of a period: collected activity and, for clerks, the events that count. */
async function scorePeriod(db: Kysely<Database>, hallId: string, items: readonly SchemeItem[], period: string, appraised: readonly Appraised[], subject: AppraisalSubject): Promise<ClerkScore[]> {
  const activity = await collectActivity(db, hallId, periodRange(period), appraised, subject);
  // Events concern people (事件与窗口业务人员关联); a counter's score is its activity alone.
  const events = subject === 'clerk' ? (await listEvents(db, hallId, period)).filter((e) => e.counts).map((e) => ({ staffId: e.staffId, points: e.kind === 'bonus' ? e.points : -e.points })) : [];
  return scoreClerks(items, activity, events);
}

/**
 * 考评数据处理: scores every clerk of the hall for the period under the scheme. Running it
 * again (an upheld appeal, a late event) makes a new version, which must be published again.
 */
export async function computeAppraisal(ctx: Ctx, actor: AuditActor, hallId: string, schemeId: string, period: string, subject: AppraisalSubject = 'clerk'): Promise<AppraisalView> {
  const s = await scheme(ctx.db, hallId, schemeId);
  const appraised = await appraisedOf(ctx.db, hallId, subject);
  const scores = await scorePeriod(ctx.db, hallId, s.items, period, appraised, subject);
  const byId = new Map(appraised.map((c) => [c.id, c]));
  const results: AppraisalResults = { scheme: s, rows: scores.map((r) => ({ ...r, name: byId.get(r.staffId)!.name, staffNumber: byId.get(r.staffId)!.staffNumber })) };
  const now = ctx.clock().toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const t = performanceDb(trx);
    const existing = await t.selectFrom('performance_appraisals').select(['id', 'version']).where('hall_id', '=', hallId).where('scheme_id', '=', schemeId).where('period', '=', period).where('subject', '=', subject).executeTakeFirst();
    const values = { status: 'draft' as const, results_json: JSON.stringify(results), computed_at: now, published_at: null, appeal_until: null };
    const appraisalId = existing?.id ?? randomUUID();
    if (existing) await t.updateTable('performance_appraisals').set({ ...values, version: existing.version + 1 }).where('id', '=', existing.id).execute();
    else await t.insertInto('performance_appraisals').values({ id: appraisalId, hall_id: hallId, scheme_id: schemeId, period, subject, version: 1, ...values }).execute();
    await recordAudit(trx, { actor, action: 'compute', entity: 'performance_appraisal', entityId: appraisalId, hallId, detail: { period, schemeId, subject } }, ctx.clock());
    return appraisalId;
  });
  return getAppraisal(ctx.db, hallId, id);
}

async function phoneOf(ctx: Ctx, staffId: string): Promise<string | null> {
  const row = await performanceDb(ctx.db).selectFrom('performance_contacts').select('phone').where('staff_id', '=', staffId).executeTakeFirst();
  return row ? ctx.dataKeys.open(row.phone, sealContext(CONTACT_PHONE, staffId)) : null;
}

const localDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** 考评结果发布: the result reaches each clerk, by SMS when the hall has their mobile; appeals open until the deadline. */
export async function publishAppraisal(ctx: Ctx, actor: AuditActor, hallId: string, id: string): Promise<AppraisalView> {
  const a = await getAppraisal(ctx.db, hallId, id);
  if (a.status === 'published') return a;
  const s = await scheme(ctx.db, hallId, a.schemeId).catch(() => undefined);
  const now = ctx.clock();
  const appealUntil = new Date(now.getTime() + (s?.appealDays ?? 3) * DAY_MS).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await performanceDb(trx).updateTable('performance_appraisals').set({ status: 'published', published_at: now.toISOString(), appeal_until: appealUntil }).where('id', '=', id).execute();
    // A counter's result is the hall's to read; only clerks are told and may appeal.
    for (const r of a.subject === 'clerk' ? a.results : []) {
      const phone = await phoneOf({ ...ctx, db: trx }, r.staffId);
      if (!phone) continue;
      await enqueueSms(
        trx,
        ctx.dataKeys,
        {
          idempotencyKey: `appraisal:${id}:v${a.version}:${r.staffId}`,
          hallId,
          phone,
          template: 'appraisal_published',
          params: { period: a.period, score: String(r.total), rank: `${r.rank}/${a.results.length}`, appealUntil: localDate(appealUntil) },
        },
        now,
      );
    }
    await recordAudit(trx, { actor, action: 'publish', entity: 'performance_appraisal', entityId: id, hallId, detail: { version: a.version } }, now);
  });
  return getAppraisal(ctx.db, hallId, id);
}

export async function listAppeals(db: Kysely<Database>, hallId: string, now: Date, staffId?: string): Promise<AppealView[]> {
  let q = performanceDb(db)
    .selectFrom('performance_appeals as p')
    .innerJoin('performance_appraisals as a', 'a.id', 'p.appraisal_id')
    .innerJoin('staff as s', 's.id', 'p.staff_id')
    .select(['p.id', 'p.appraisal_id', 'a.period', 'p.staff_id', 's.display_name', 's.staff_number', 'p.version', 'p.reason', 'p.filed_at', 'p.answer_due_at', 'p.answered_at', 'p.outcome', 'p.answer'])
    .where('p.hall_id', '=', hallId)
    .orderBy('p.filed_at', 'desc');
  if (staffId) q = q.where('p.staff_id', '=', staffId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    appraisalId: r.appraisal_id,
    period: r.period,
    staffId: r.staff_id,
    name: r.display_name,
    staffNumber: r.staff_number,
    version: r.version,
    reason: r.reason,
    filedAt: r.filed_at,
    answerDueAt: r.answer_due_at,
    overdue: r.answered_at === null && r.answer_due_at < now.toISOString(),
    answeredAt: r.answered_at,
    outcome: r.outcome,
    answer: r.answer,
  }));
}

/** 考评结果申诉: once per clerk and appraisal, only on a published result, only before its deadline. */
export async function fileAppeal(ctx: Ctx, hallId: string, staffId: string, appraisalId: string, reason: string): Promise<AppealView> {
  const a = await getAppraisal(ctx.db, hallId, appraisalId);
  const now = ctx.clock();
  if (a.status !== 'published' || a.subject !== 'clerk' || !a.results.some((r) => r.staffId === staffId)) throw notFound('published result', appraisalId);
  if (a.appealUntil !== null && now.toISOString() > a.appealUntil) throw new ApiError(409, 'appeal_closed', `appeals for this result closed at ${a.appealUntil}`);
  const s = await scheme(ctx.db, hallId, a.schemeId).catch(() => undefined);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await performanceDb(trx)
      .insertInto('performance_appeals')
      .values({
        id,
        appraisal_id: appraisalId,
        hall_id: hallId,
        staff_id: staffId,
        version: a.version,
        reason,
        filed_at: now.toISOString(),
        answer_due_at: new Date(now.getTime() + (s?.answerDays ?? 3) * DAY_MS).toISOString(),
        answered_at: null,
        answered_by: null,
        outcome: null,
        answer: null,
      })
      .onConflict((oc) => oc.columns(['appraisal_id', 'staff_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw conflict('you have already appealed this result');
    await recordAudit(trx, { actor: { kind: 'staff', id: staffId }, action: 'appeal', entity: 'performance_appraisal', entityId: appraisalId, hallId }, now);
  });
  return (await listAppeals(ctx.db, hallId, now, staffId)).find((p) => p.id === id)!;
}

/** The hall manager's answer, once; the clerk is told by SMS. */
export async function answerAppeal(ctx: Ctx, actor: AuditActor, hallId: string, appealId: string, answer: { outcome: 'upheld' | 'rejected'; text: string }): Promise<AppealView> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const t = performanceDb(trx);
    const appeal = await t.selectFrom('performance_appeals').selectAll().where('hall_id', '=', hallId).where('id', '=', appealId).executeTakeFirst();
    if (!appeal) throw notFound('appeal', appealId);
    const done = await t
      .updateTable('performance_appeals')
      .set({ answered_at: now.toISOString(), answered_by: actor.id, outcome: answer.outcome, answer: answer.text })
      .where('id', '=', appealId)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw conflict('this appeal was already answered');
    const appraisal = await t.selectFrom('performance_appraisals').select('period').where('id', '=', appeal.appraisal_id).executeTakeFirstOrThrow();
    const phone = await phoneOf({ ...ctx, db: trx }, appeal.staff_id);
    if (phone) {
      await enqueueSms(
        trx,
        ctx.dataKeys,
        { idempotencyKey: `appeal:${appealId}`, hallId, phone, template: 'appeal_answered', params: { period: appraisal.period, outcome: answer.outcome === 'upheld' ? '申诉成立，结果将重新核算' : '申诉不成立，维持原结果' } },
        now,
      );
    }
    await recordAudit(trx, { actor, action: 'answer', entity: 'performance_appeal', entityId: appealId, hallId, detail: { outcome: answer.outcome } }, now);
  });
  return (await listAppeals(ctx.db, hallId, now)).find((p) => p.id === appealId)!;
}

/** The mobile a clerk is told on; null removes it. Sealed at rest like every phone number. */
export async function setContact(ctx: Ctx, actor: AuditActor, hallId: string, staffId: string, phone: string | null): Promise<void> {
  if (!(await hallClerks(ctx.db, hallId)).some((c) => c.id === staffId)) throw notFound('clerk', staffId);
  await ctx.db.transaction().execute(async (trx) => {
    const t = performanceDb(trx);
    await t.deleteFrom('performance_contacts').where('staff_id', '=', staffId).execute();
    if (phone !== null) {
      await t.insertInto('performance_contacts').values({ staff_id: staffId, hall_id: hallId, phone: ctx.dataKeys.seal(phone, sealContext(CONTACT_PHONE, staffId)), updated_at: ctx.clock().toISOString() }).execute();
    }
    await recordAudit(trx, { actor, action: phone === null ? 'delete' : 'save', entity: 'performance_contact', entityId: staffId, hallId }, ctx.clock());
  });
}

export async function contactStaffIds(db: Kysely<Database>, hallId: string): Promise<Set<string>> {
  const rows = await performanceDb(db).selectFrom('performance_contacts').select('staff_id').where('hall_id', '=', hallId).execute();
  return new Set(rows.map((r) => r.staff_id));
}
