import { z } from 'zod';
import {
  DEFAULT_CASE_RULES,
  HandoverSchema,
  IdSchema,
  SpecialProcedureSchema,
  SupplementItemSchema,
  TimestampSchema,
  type Case,
  type CaseRules,
  type CaseStatus,
  type CaseStep,
  type Service,
} from '../domain/index';
import { localDay } from '../queue/clock';
import { caseMaterials, isHallWorkingDay, promisedDueAt, type HallCalendarDays } from './caseRules';

/**
 * The life of a case after the counter (issue 16): every step is an intent decided by the
 * same code on the station and the server. Counter steps travel as sync mutations (offline
 * like everything else); the back office's and the system's steps are decided by the
 * central API on its authoritative state and reach stations as log changes.
 */

const ReceivedPagesSchema = z.object({ materialId: IdSchema, pageCount: z.number().int().min(0).max(1000).default(0) });

/** 受理业务咨询审批: the clerk asks the department before accepting. */
export const RequestConsultPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  counterId: IdSchema,
  question: z.string().trim().min(1).max(500),
  at: TimestampSchema,
});
export type RequestConsultPayload = z.infer<typeof RequestConsultPayloadSchema>;

/** 补齐补正告知, by a counter or an officer: lists everything missing or wrong, with a deadline the executor computes. */
export const RequestSupplementPayloadSchema = z.object({
  caseId: IdSchema,
  /** Names the request in the case's history (the station makes it, so a retry is the same request). */
  supplementId: IdSchema,
  staffId: IdSchema,
  counterId: IdSchema.optional(),
  items: z.array(SupplementItemSchema).min(1).max(50),
  at: TimestampSchema,
});
export type RequestSupplementPayload = z.infer<typeof RequestSupplementPayloadSchema>;

/** Papers brought for a case at any counter: an open supplement request, or materials accepted as pending (容缺). */
export const RecordSupplementPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  counterId: IdSchema,
  received: z.array(ReceivedPagesSchema).max(200),
  note: z.string().trim().max(200).optional(),
  at: TimestampSchema,
});
export type RecordSupplementPayload = z.infer<typeof RecordSupplementPayloadSchema>;

/** 办结: the result exists; the time-limit clock stops. */
export const CompleteCasePayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  counterId: IdSchema.optional(),
  note: z.string().trim().max(200).optional(),
  at: TimestampSchema,
});
export type CompleteCasePayload = z.infer<typeof CompleteCasePayloadSchema>;

/** 发证 / 送达: the result leaves the hall's hands (collected at the counter, posted, taken from a locker). */
export const HandOverResultPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema.optional(),
  counterId: IdSchema.optional(),
  handover: HandoverSchema,
  at: TimestampSchema,
});
export type HandOverResultPayload = z.infer<typeof HandOverResultPayloadSchema>;

/** 撤销办件 asked at a counter, for the citizen or for a clerk's error. */
export const RequestWithdrawalPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  counterId: IdSchema,
  cause: z.enum(['citizen_request', 'clerk_error']),
  reason: z.string().trim().min(1).max(200),
  at: TimestampSchema,
});
export type RequestWithdrawalPayload = z.infer<typeof RequestWithdrawalPayloadSchema>;

/** The officer's answer to a clerk's consultation. */
export const AnswerConsultPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  approve: z.boolean(),
  answer: z.string().trim().max(500).default(''),
  at: TimestampSchema,
});
export type AnswerConsultPayload = z.infer<typeof AnswerConsultPayloadSchema>;

/** 审批通过. */
export const ApproveCasePayloadSchema = z.object({ caseId: IdSchema, staffId: IdSchema, note: z.string().trim().max(500).optional(), at: TimestampSchema });
export type ApproveCasePayload = z.infer<typeof ApproveCasePayloadSchema>;

/** 不予许可: the department refuses an accepted case, with the reason the citizen is told. */
export const DenyCasePayloadSchema = z.object({ caseId: IdSchema, staffId: IdSchema, reason: z.string().trim().min(2).max(500), at: TimestampSchema });
export type DenyCasePayload = z.infer<typeof DenyCasePayloadSchema>;

/** 业务转办 to another officer of the department. */
export const TransferCasePayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  toStaffId: IdSchema,
  note: z.string().trim().max(200).optional(),
  at: TimestampSchema,
});
export type TransferCasePayload = z.infer<typeof TransferCasePayloadSchema>;

/** 特殊程序 begins: the review waits, with its own limit in working days. */
export const StartSpecialProcedurePayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  kind: SpecialProcedureSchema.shape.kind,
  reason: z.string().trim().min(1).max(200),
  days: z.number().int().min(1).max(180),
  at: TimestampSchema,
});
export type StartSpecialProcedurePayload = z.infer<typeof StartSpecialProcedurePayloadSchema>;

/** 特殊程序 ends: the promised date moves by the working days it took. */
export const EndSpecialProcedurePayloadSchema = z.object({ caseId: IdSchema, staffId: IdSchema, note: z.string().trim().max(200).optional(), at: TimestampSchema });
export type EndSpecialProcedurePayload = z.infer<typeof EndSpecialProcedurePayloadSchema>;

/** A hall manager approves a withdrawal the department already had. */
export const ApproveWithdrawalPayloadSchema = z.object({ caseId: IdSchema, staffId: IdSchema, at: TimestampSchema });
export type ApproveWithdrawalPayload = z.infer<typeof ApproveWithdrawalPayloadSchema>;

/** The system's own steps: a missed supplement deadline closes the case; an uncollected result goes back. */
export const SystemCasePayloadSchema = z.object({ caseId: IdSchema, at: TimestampSchema });
export type SystemCasePayload = z.infer<typeof SystemCasePayloadSchema>;

/** Lifecycle steps a counter sends as sync mutations. */
export const COUNTER_LIFECYCLE_TYPES = ['requestConsult', 'requestSupplement', 'recordSupplement', 'completeCase', 'handOverResult', 'requestWithdrawal'] as const;
/** Steps only the central API decides (back office, hall manager, system): no station originates them. */
export const CENTRAL_LIFECYCLE_TYPES = [
  'answerConsult',
  'approveCase',
  'denyCase',
  'transferCase',
  'startSpecialProcedure',
  'endSpecialProcedure',
  'approveWithdrawal',
  'closeOverdueCase',
  'returnResult',
] as const;
export type LifecycleType = (typeof COUNTER_LIFECYCLE_TYPES)[number] | (typeof CENTRAL_LIFECYCLE_TYPES)[number];

export const LIFECYCLE_PAYLOAD_SCHEMAS = {
  requestConsult: RequestConsultPayloadSchema,
  requestSupplement: RequestSupplementPayloadSchema,
  recordSupplement: RecordSupplementPayloadSchema,
  completeCase: CompleteCasePayloadSchema,
  handOverResult: HandOverResultPayloadSchema,
  requestWithdrawal: RequestWithdrawalPayloadSchema,
  answerConsult: AnswerConsultPayloadSchema,
  approveCase: ApproveCasePayloadSchema,
  denyCase: DenyCasePayloadSchema,
  transferCase: TransferCasePayloadSchema,
  startSpecialProcedure: StartSpecialProcedurePayloadSchema,
  endSpecialProcedure: EndSpecialProcedurePayloadSchema,
  approveWithdrawal: ApproveWithdrawalPayloadSchema,
  closeOverdueCase: SystemCasePayloadSchema,
  returnResult: SystemCasePayloadSchema,
} as const satisfies Record<LifecycleType, z.ZodType>;

export type LifecycleIntent = { [T in LifecycleType]: { type: T; payload: z.infer<(typeof LIFECYCLE_PAYLOAD_SCHEMAS)[T]> } }[LifecycleType];

export function isLifecycleType(type: string): type is LifecycleType {
  return type in LIFECYCLE_PAYLOAD_SCHEMAS;
}

/** Where each step may start from; anything else is refused with `case_wrong_status`. */
const ALLOWED_FROM: Record<LifecycleType, readonly CaseStatus[]> = {
  requestConsult: ['submitted'],
  requestSupplement: ['accepted', 'approved'],
  recordSupplement: ['supplement_requested', 'accepted', 'approved', 'completed'],
  completeCase: ['accepted', 'approved'],
  handOverResult: ['completed'],
  requestWithdrawal: ['submitted', 'accepted', 'supplement_requested', 'approved'],
  answerConsult: ['submitted'],
  approveCase: ['accepted'],
  denyCase: ['accepted', 'supplement_requested'],
  transferCase: ['accepted', 'supplement_requested', 'approved'],
  startSpecialProcedure: ['accepted'],
  endSpecialProcedure: ['accepted'],
  approveWithdrawal: ['accepted', 'supplement_requested', 'approved'],
  closeOverdueCase: ['supplement_requested'],
  returnResult: ['completed'],
};

export interface LifecycleContext {
  services: readonly Service[];
  hall: Parameters<typeof promisedDueAt>[2];
  calendar?: HallCalendarDays | undefined;
  caseRules?: CaseRules | undefined;
}

type Rejection = { ok: false; code: string; reason: string };
export type LifecycleVerdict = { ok: true; kase: Case } | Rejection;
const reject = (code: string, reason: string): Rejection => ({ ok: false, code, reason });
const DAY_MS = 86_400_000;

function step(kind: CaseStep['kind'], at: string, by: { staffId?: string | undefined; counterId?: string | undefined; note?: string | undefined }): CaseStep {
  return {
    at,
    kind,
    ...(by.staffId === undefined ? {} : { staffId: by.staffId }),
    ...(by.counterId === undefined ? {} : { counterId: by.counterId }),
    ...(by.note === undefined || by.note === '' ? {} : { note: by.note }),
  };
}

function withStep(kase: Case, changes: Partial<Case>, added: CaseStep): Case {
  return { ...kase, ...changes, timeline: [...kase.timeline, added] };
}

/** The supplement request the citizen still owes, if any. */
export function openSupplement(kase: Pick<Case, 'supplements'>): Case['supplements'][number] | undefined {
  return kase.supplements.find((s) => s.receivedAt === undefined);
}

/** The special procedure under way, if any. */
export function openSpecialProcedure(kase: Pick<Case, 'specialProcedures'>): Case['specialProcedures'][number] | undefined {
  return kase.specialProcedures.find((p) => p.endedAt === undefined);
}

/** Steps the review cannot take while a special procedure is under way. */
const WAIT_FOR_SPECIAL: ReadonlySet<LifecycleType> = new Set(['approveCase', 'denyCase', 'completeCase', 'requestSupplement']);

/** Working days from `from` (inclusive) to `to` (exclusive), by the hall's calendar. */
function workingDaysBetween(from: string, to: string, hall: LifecycleContext['hall'], calendar?: HallCalendarDays): number {
  let count = 0;
  for (let day = localDay(from, hall.timeZone), end = localDay(to, hall.timeZone), guard = 0; day < end && guard < 3660; guard += 1) {
    if (isHallWorkingDay(day, hall.openingHours.weekdays, calendar)) count += 1;
    day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  }
  return count;
}

/** A withdrawal asked for and not yet approved. */
export function withdrawalPending(kase: Pick<Case, 'withdrawal' | 'status'>): boolean {
  return kase.withdrawal !== undefined && kase.withdrawal.approvedAt === undefined && kase.status !== 'withdrawn';
}

/** Decides one lifecycle step on a case without modifying it. */
export function decideLifecycle(kase: Case | undefined, intent: LifecycleIntent, ctx: LifecycleContext): LifecycleVerdict {
  const p = intent.payload;
  if (!kase) return reject('unknown_case', `case ${p.caseId} does not exist`);
  if (!ALLOWED_FROM[intent.type].includes(kase.status)) {
    return reject('case_wrong_status', `${intent.type} is not possible for a case that is ${kase.status}`);
  }
  const rules = ctx.caseRules ?? DEFAULT_CASE_RULES;
  const service = ctx.services.find((s) => s.id === kase.serviceId);
  if (!service) return reject('unknown_service', `service ${kase.serviceId} does not exist`);
  if (WAIT_FOR_SPECIAL.has(intent.type) && openSpecialProcedure(kase)) {
    return reject('special_procedure_open', `case ${kase.id} is in a special procedure (特殊程序); end it first`);
  }
  switch (intent.type) {
    case 'startSpecialProcedure': {
      const sp = intent.payload;
      if (openSpecialProcedure(kase)) return reject('special_procedure_open', `case ${kase.id} is already in a special procedure`);
      const procedure = { kind: sp.kind, reason: sp.reason, startedAt: sp.at, startedByStaffId: sp.staffId, days: sp.days, dueAt: promisedDueAt(sp.at, sp.days, ctx.hall, ctx.calendar) };
      return { ok: true, kase: withStep(kase, { specialProcedures: [...kase.specialProcedures, procedure] }, step('special_started', sp.at, { staffId: sp.staffId, note: `${sp.reason}（${sp.days}个工作日）` })) };
    }
    case 'endSpecialProcedure': {
      const e = intent.payload;
      const open = openSpecialProcedure(kase);
      if (!open) return reject('no_special_procedure', `case ${kase.id} is in no special procedure`);
      // 特殊程序时间不计入承诺时限: the promised date moves by the working days it took.
      const spent = workingDaysBetween(open.startedAt, e.at, ctx.hall, ctx.calendar);
      const dueAt = kase.dueAt !== undefined && spent > 0 ? promisedDueAt(kase.dueAt, spent, ctx.hall, ctx.calendar) : kase.dueAt;
      const specialProcedures = kase.specialProcedures.map((p) => (p === open ? { ...p, endedAt: e.at, endedByStaffId: e.staffId } : p));
      return { ok: true, kase: withStep(kase, { specialProcedures, ...(dueAt === undefined ? {} : { dueAt }) }, step('special_ended', e.at, { staffId: e.staffId, note: e.note ?? `用时${spent}个工作日，不计入承诺时限` })) };
    }
    case 'requestConsult': {
      const q = intent.payload;
      if (kase.consult?.status === 'pending') return reject('consult_pending', `case ${kase.id} already waits for the department's answer`);
      return {
        ok: true,
        kase: withStep(kase, { consult: { requestedAt: q.at, requestedByStaffId: q.staffId, question: q.question, status: 'pending' } }, step('consult_requested', q.at, { staffId: q.staffId, counterId: q.counterId, note: q.question })),
      };
    }
    case 'answerConsult': {
      const a = intent.payload;
      if (kase.consult?.status !== 'pending') return reject('no_consult', `case ${kase.id} has no question waiting for an answer`);
      const consult = { ...kase.consult, status: a.approve ? ('approved' as const) : ('refused' as const), answeredAt: a.at, answeredByStaffId: a.staffId, answer: a.answer };
      return { ok: true, kase: withStep(kase, { consult }, step('consult_answered', a.at, { staffId: a.staffId, note: `${a.approve ? '同意受理' : '不同意受理'}${a.answer ? `：${a.answer}` : ''}` })) };
    }
    case 'requestSupplement': {
      const r = intent.payload;
      if (openSupplement(kase)) return reject('supplement_open', `case ${kase.id} already waits for a supplement`);
      if (kase.supplements.some((s) => s.id === r.supplementId)) return reject('duplicate_supplement', `supplement ${r.supplementId} was already requested`);
      const listed = new Set(caseMaterials(service, kase).map((m) => m.id));
      const unknown = r.items.filter((i) => i.materialId !== undefined && !listed.has(i.materialId)).map((i) => i.materialId);
      if (unknown.length > 0) return reject('unknown_material', `not on this case's list: ${unknown.join(', ')}`);
      const dueAt = promisedDueAt(r.at, rules.supplementDays, ctx.hall, ctx.calendar);
      const request = { id: r.supplementId, requestedAt: r.at, requestedByStaffId: r.staffId, items: r.items, dueAt };
      return {
        ok: true,
        kase: withStep(
          kase,
          { status: 'supplement_requested', supplements: [...kase.supplements, request] },
          step('supplement_requested', r.at, { staffId: r.staffId, counterId: r.counterId, note: r.items.map((i) => i.note).join('；').slice(0, 500) }),
        ),
      };
    }
    case 'recordSupplement': {
      const r = intent.payload;
      const open = openSupplement(kase);
      const pages = new Map(r.received.map((m) => [m.materialId, m.pageCount]));
      const listed = caseMaterials(service, kase);
      const unknown = [...pages.keys()].filter((id) => !listed.some((m) => m.id === id));
      if (unknown.length > 0) return reject('unknown_material', `not on this case's list: ${unknown.join(', ')}`);
      const materials = kase.materials.map((m) => (pages.has(m.materialId) ? { ...m, received: true, pageCount: m.pageCount + (pages.get(m.materialId) ?? 0) } : m));
      const pendingMaterialIds = kase.pendingMaterialIds.filter((id) => !pages.has(id));
      if (kase.status === 'supplement_requested' && open) {
        const supplements = kase.supplements.map((s) => (s.id === open.id ? { ...s, receivedAt: r.at, receivedByStaffId: r.staffId, receivedAtCounterId: r.counterId } : s));
        // 补正后重新计算时限: the promised days count again from the day the papers were complete.
        const dueAt = promisedDueAt(r.at, service.guide.promisedDays, ctx.hall, ctx.calendar);
        return {
          ok: true,
          kase: withStep(kase, { status: 'accepted', supplements, materials, pendingMaterialIds, dueAt }, step('supplement_received', r.at, { staffId: r.staffId, counterId: r.counterId, note: r.note })),
        };
      }
      if (pendingMaterialIds.length === kase.pendingMaterialIds.length) {
        return reject('nothing_owed', `case ${kase.id} waits for no supplement and no pending material among those brought`);
      }
      return { ok: true, kase: withStep(kase, { materials, pendingMaterialIds }, step('pending_material_received', r.at, { staffId: r.staffId, counterId: r.counterId, note: r.note })) };
    }
    case 'approveCase': {
      const a = intent.payload;
      if (withdrawalPending(kase)) return reject('withdrawal_pending', `case ${kase.id} waits for a withdrawal decision`);
      return { ok: true, kase: withStep(kase, { status: 'approved', approvedAt: a.at, approvedByStaffId: a.staffId }, step('approved', a.at, { staffId: a.staffId, note: a.note })) };
    }
    case 'denyCase': {
      const d = intent.payload;
      return { ok: true, kase: withStep(kase, { status: 'refused', refusalReason: d.reason.slice(0, 200), refusedByStaffId: d.staffId }, step('refused', d.at, { staffId: d.staffId, note: d.reason })) };
    }
    case 'transferCase': {
      const t = intent.payload;
      if (t.toStaffId === kase.assignedStaffId) return reject('same_officer', `case ${kase.id} is already with ${t.toStaffId}`);
      return { ok: true, kase: withStep(kase, { assignedStaffId: t.toStaffId }, step('transferred', t.at, { staffId: t.staffId, note: t.note })) };
    }
    case 'completeCase': {
      const c = intent.payload;
      // 即办 services are settled at the counter: no back-office approval to wait for.
      if (kase.status === 'accepted' && service.guide.promisedDays > 0) return reject('not_approved', `case ${kase.id} needs the department's approval before completion`);
      if (kase.pendingMaterialIds.length > 0) return reject('materials_pending', `case ${kase.id} still waits for: ${kase.pendingMaterialIds.join(', ')}`);
      if (withdrawalPending(kase)) return reject('withdrawal_pending', `case ${kase.id} waits for a withdrawal decision`);
      const completed = withStep(kase, { status: 'completed', completedAt: c.at, completedByStaffId: c.staffId }, step('completed', c.at, { staffId: c.staffId, counterId: c.counterId, note: c.note }));
      if (kase.delivery !== 'electronic') return { ok: true, kase: completed };
      return { ok: true, kase: withStep(completed, { status: 'delivered', deliveredAt: c.at, handover: { method: 'electronic' } }, step('delivered', c.at, { note: '电子证照送达' })) };
    }
    case 'handOverResult': {
      const h = intent.payload;
      const method = h.handover.method;
      const chosen = kase.delivery ?? 'counter';
      // A locker result that could not be taken from the locker comes back to the counter.
      if (method !== chosen && !(method === 'counter' && chosen === 'locker')) {
        return reject('delivery_mismatch', `case ${kase.id} is to be delivered by ${chosen}, not ${method}`);
      }
      const note = method === 'counter' ? (h.handover.collection.proxy ? `代领：${h.handover.collection.maskedName}` : `本人领取：${h.handover.collection.maskedName}`) : method === 'post' ? `${h.handover.courier} ${h.handover.trackingNumber}` : method === 'locker' ? '智能文件柜取件' : '电子证照送达';
      return { ok: true, kase: withStep(kase, { status: 'delivered', deliveredAt: h.at, handover: h.handover }, step('delivered', h.at, { staffId: h.staffId, counterId: h.counterId, note })) };
    }
    case 'requestWithdrawal': {
      const w = intent.payload;
      if (withdrawalPending(kase)) return reject('withdrawal_pending', `case ${kase.id} already waits for a withdrawal decision`);
      const withdrawal = { requestedAt: w.at, requestedByStaffId: w.staffId, cause: w.cause, reason: w.reason };
      const requested = step('withdrawal_requested', w.at, { staffId: w.staffId, counterId: w.counterId, note: w.reason });
      // Before acceptance the department does not have the case: the counter withdraws it at once.
      if (kase.status === 'submitted') {
        return { ok: true, kase: withStep(withStep(kase, { withdrawal }, requested), { status: 'withdrawn', withdrawal: { ...withdrawal, approvedAt: w.at, approvedByStaffId: w.staffId } }, step('withdrawn', w.at, { staffId: w.staffId, counterId: w.counterId })) };
      }
      return { ok: true, kase: withStep(kase, { withdrawal }, requested) };
    }
    case 'approveWithdrawal': {
      const a = intent.payload;
      if (!withdrawalPending(kase) || !kase.withdrawal) return reject('no_withdrawal', `nobody asked to withdraw case ${kase.id}`);
      return { ok: true, kase: withStep(kase, { status: 'withdrawn', withdrawal: { ...kase.withdrawal, approvedAt: a.at, approvedByStaffId: a.staffId } }, step('withdrawn', a.at, { staffId: a.staffId })) };
    }
    case 'closeOverdueCase': {
      const open = openSupplement(kase);
      if (!open || Date.parse(open.dueAt) > Date.parse(p.at)) return reject('not_overdue', `case ${kase.id}'s supplement is not overdue`);
      return { ok: true, kase: withStep(kase, { status: 'closed' }, step('closed', p.at, { note: `补正逾期（期限 ${open.dueAt}）` })) };
    }
    case 'returnResult': {
      if (kase.completedAt === undefined || Date.parse(kase.completedAt) + rules.uncollectedReturnDays * DAY_MS > Date.parse(p.at)) {
        return reject('not_due_for_return', `case ${kase.id}'s result has waited less than ${rules.uncollectedReturnDays} days`);
      }
      return { ok: true, kase: withStep(kase, { status: 'returned' }, step('returned', p.at, { note: `超过${rules.uncollectedReturnDays}天未领取` })) };
    }
  }
}

export type CaseStage = 'acceptance' | 'review' | 'special' | 'supplement' | 'collection' | 'done';

/**
 * The step a case is at and its time limit (受理, 审批, 特殊程序, 补正告知, 待领取); supervision lights
 * and work lists read this. Completed cases' review clock has stopped: only the result's
 * collection remains.
 */
export function caseStage(kase: Case, rules: CaseRules, hall: LifecycleContext['hall'], calendar?: HallCalendarDays): { stage: CaseStage; dueAt?: string } {
  switch (kase.status) {
    case 'submitted':
      return { stage: 'acceptance', dueAt: promisedDueAt(kase.submittedAt, rules.acceptanceDays, hall, calendar) };
    case 'accepted':
    case 'approved': {
      const special = openSpecialProcedure(kase);
      if (special) return { stage: 'special', dueAt: special.dueAt };
      return kase.dueAt === undefined ? { stage: 'review' } : { stage: 'review', dueAt: kase.dueAt };
    }
    case 'supplement_requested': {
      const open = openSupplement(kase);
      return open ? { stage: 'supplement', dueAt: open.dueAt } : { stage: 'supplement' };
    }
    case 'completed':
      return kase.completedAt === undefined ? { stage: 'collection' } : { stage: 'collection', dueAt: new Date(Date.parse(kase.completedAt) + rules.uncollectedReturnDays * DAY_MS).toISOString() };
    default:
      return { stage: 'done' };
  }
}

const CASE_ID = '([0-9A-Za-z-]{8,80})';
const TOKEN = '([A-Za-z0-9_-]{22,64})';
const RECEIPT_QR = new RegExp(`^hall:case:${CASE_ID}:${TOKEN}$`);
/**
 * The same reference as a web link a phone's camera opens (the central API's /track page).
 * Neither part contains a dot, so `<caseId>.<token>` splits one way only; the rest of the
 * URL is not checked here: the token alone opens the case.
 */
const RECEIPT_URL = new RegExp(`^https?://[^\\s/?#]+(?:/[^\\s?#]*)?/track/${CASE_ID}\\.${TOKEN}$`);
const TRACK_REFERENCE = new RegExp(`^${CASE_ID}\\.${TOKEN}$`);

/**
 * The acceptance receipt's QR payload (扫码查询办理进度): the case and its receipt token, nothing
 * personal. With the central API's public address it is `<base>/track/<caseId>.<token>`, a link a
 * phone opens; without it, the hall-only `hall:case:<caseId>:<token>` that kiosks and counters read.
 */
export function receiptQrPayload(kase: Pick<Case, 'id' | 'receiptToken'>, publicBaseUrl?: string): string {
  if (!kase.receiptToken) throw new Error(`case ${kase.id} has no receipt token`);
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}/track/${trackReference(kase.id, kase.receiptToken)}`;
  return `hall:case:${kase.id}:${kase.receiptToken}`;
}

/** The last part of a receipt's track link: `<caseId>.<token>`. */
export function trackReference(caseId: string, token: string): string {
  return `${caseId}.${token}`;
}

/** The case and token of a track link's last part, or undefined when it is not one. */
export function parseTrackReference(reference: string): { caseId: string; token: string } | undefined {
  const match = TRACK_REFERENCE.exec(reference);
  return match ? { caseId: match[1]!, token: match[2]! } : undefined;
}

/** A scanned receipt in either form (hall:case:… or the track link), e.g. from paper printed before links. */
export function parseReceiptQr(payload: string): { caseId: string; token: string } | undefined {
  const text = payload.trim();
  if (text.length > 200) return undefined;
  const match = RECEIPT_QR.exec(text) ?? RECEIPT_URL.exec(text);
  return match ? { caseId: match[1]!, token: match[2]! } : undefined;
}

/** Whether a scanned receipt opens this case: same token, compared without early exit. */
export function receiptMatches(kase: Pick<Case, 'receiptToken'> | undefined, token: string): boolean {
  const expected = kase?.receiptToken;
  if (!expected || expected.length !== token.length) return false;
  let diff = 0;
  for (let i = 0; i < token.length; i += 1) diff |= expected.charCodeAt(i) ^ token.charCodeAt(i);
  return diff === 0;
}
