import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { CitizenRefSchema } from './queue';
import { CaseHandoffSchema } from './handoff';

/**
 * Where a case stands (seed 001 modules 3–7): submitted (kiosk form or counter) → accepted
 * (受理, routed to the department) ⇄ supplement_requested (补齐补正) → approved (审批通过) →
 * completed (办结: the result exists; the time-limit clock stops) → delivered (the citizen
 * holds it). Ends otherwise: refused (不予受理 at the counter, 不予许可 in review), withdrawn
 * (撤销), closed (补正逾期, by the system), returned (结果退回: not collected in time).
 */
export const CaseStatusSchema = z.enum(['submitted', 'accepted', 'supplement_requested', 'approved', 'refused', 'completed', 'delivered', 'withdrawn', 'closed', 'returned']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** Statuses no step leaves: the case's time limits stop. */
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ['refused', 'delivered', 'withdrawn', 'closed', 'returned'];

export const DeliveryMethodSchema = z.enum(['counter', 'post', 'locker', 'electronic']);
export type DeliveryMethod = z.infer<typeof DeliveryMethodSchema>;

export const ReceivedMaterialSchema = z.object({
  materialId: IdSchema,
  received: z.boolean(),
  /** Pages captured by document camera or scanner, combined into one PDF. */
  pageCount: z.number().int().min(0).default(0),
  documentRef: z.string().optional(),
});
export type ReceivedMaterial = z.infer<typeof ReceivedMaterialSchema>;

/** One thing a supplement request (补正告知) lists: a material of the case's list, or a free note. */
export const SupplementItemSchema = z.object({
  materialId: IdSchema.optional(),
  note: z.string().trim().min(1).max(200),
});
export type SupplementItem = z.infer<typeof SupplementItemSchema>;

/** 补正告知: each request stays in the case's history (the one-time principle makes a second one visible). */
export const SupplementRequestSchema = z.object({
  id: IdSchema,
  requestedAt: TimestampSchema,
  requestedByStaffId: IdSchema,
  items: z.array(SupplementItemSchema).min(1).max(50),
  /** The citizen brings the papers by then, or the system closes the case. */
  dueAt: TimestampSchema,
  receivedAt: TimestampSchema.optional(),
  receivedByStaffId: IdSchema.optional(),
  /** The counter that took the papers (any counter of the hall). */
  receivedAtCounterId: IdSchema.optional(),
});
export type SupplementRequest = z.infer<typeof SupplementRequestSchema>;

/** 受理业务咨询审批: a clerk asks the department before accepting. */
export const ConsultSchema = z.object({
  requestedAt: TimestampSchema,
  requestedByStaffId: IdSchema,
  question: z.string().trim().min(1).max(500),
  status: z.enum(['pending', 'approved', 'refused']),
  answeredAt: TimestampSchema.optional(),
  answeredByStaffId: IdSchema.optional(),
  answer: z.string().max(500).optional(),
});
export type Consult = z.infer<typeof ConsultSchema>;

/** Who took the result at the delivery counter: masked name and ID hash only; a proxy shows their own ID. */
export const CollectionSchema = z.object({
  maskedName: z.string().min(1).max(40),
  idHash: z.string().min(16).max(128),
  proxy: z.boolean(),
  /** The document camera's photo of the collector, kept on the counter station. */
  photoRef: z.string().max(200).optional(),
});
export type Collection = z.infer<typeof CollectionSchema>;

/** How the result went out (after completion). */
export const HandoverSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('counter'), collection: CollectionSchema, counterId: IdSchema }),
  z.object({ method: z.literal('post'), courier: z.string().trim().min(1).max(40), trackingNumber: z.string().trim().min(4).max(40), counterId: IdSchema.optional() }),
  z.object({ method: z.literal('locker'), parcelId: IdSchema }),
  z.object({ method: z.literal('electronic') }),
]);
export type Handover = z.infer<typeof HandoverSchema>;

/** 撤销办件: requested at a counter; once the department has the case a hall manager approves it. */
export const WithdrawalSchema = z.object({
  requestedAt: TimestampSchema,
  requestedByStaffId: IdSchema,
  cause: z.enum(['citizen_request', 'clerk_error']),
  reason: z.string().trim().min(1).max(200),
  approvedAt: TimestampSchema.optional(),
  approvedByStaffId: IdSchema.optional(),
});
export type Withdrawal = z.infer<typeof WithdrawalSchema>;

/**
 * 特殊程序 (听证, 专家评审, 检验检测 …): time the law does not count toward the promised date.
 * While one is open the review waits; when it ends the promised date moves by the working
 * days it took.
 */
export const SpecialProcedureSchema = z.object({
  kind: z.enum(['hearing', 'expert_review', 'inspection', 'other']),
  reason: z.string().trim().min(1).max(200),
  startedAt: TimestampSchema,
  startedByStaffId: IdSchema,
  /** Its own limit, in working days, and the instant that makes. */
  days: z.number().int().min(1).max(180),
  dueAt: TimestampSchema,
  endedAt: TimestampSchema.optional(),
  endedByStaffId: IdSchema.optional(),
});
export type SpecialProcedure = z.infer<typeof SpecialProcedureSchema>;

export const CaseStepKindSchema = z.enum([
  'submitted',
  'consult_requested',
  'consult_answered',
  'accepted',
  'refused',
  'supplement_requested',
  'supplement_received',
  'pending_material_received',
  'approved',
  'transferred',
  'special_started',
  'special_ended',
  'completed',
  'delivered',
  'withdrawal_requested',
  'withdrawn',
  'closed',
  'returned',
  'changed',
]);
export type CaseStepKind = z.infer<typeof CaseStepKindSchema>;

/** One line of a case's timeline and change log (受理变更登记): who, when, what and why. */
export const CaseStepSchema = z.object({
  at: TimestampSchema,
  kind: CaseStepKindSchema,
  /** Absent for the system's own steps (closure after the deadline, return). */
  staffId: IdSchema.optional(),
  counterId: IdSchema.optional(),
  note: z.string().max(500).optional(),
});
export type CaseStep = z.infer<typeof CaseStepSchema>;

/** 办件: one application, from the kiosk's form to delivery of the result. */
export const CaseSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  serviceId: IdSchema,
  ticketId: IdSchema.optional(),
  situationId: IdSchema.optional(),
  /** Decision-tree answers: question id → chosen option ids. */
  answers: z.record(z.string(), z.array(IdSchema)).default({}),
  formId: IdSchema.optional(),
  formVersion: z.number().int().positive().optional(),
  citizen: CitizenRefSchema.optional(),
  status: CaseStatusSchema,
  materials: z.array(ReceivedMaterialSchema).default([]),
  refusalReason: z.string().optional(),
  /** The clerk who refused it (不予受理 is answerable like an acceptance). */
  refusedByStaffId: IdSchema.optional(),
  submittedAt: TimestampSchema,
  acceptedAt: TimestampSchema.optional(),
  acceptedByStaffId: IdSchema.optional(),
  /** Promised completion, from the service's promised working days. */
  dueAt: TimestampSchema.optional(),
  completedAt: TimestampSchema.optional(),
  delivery: DeliveryMethodSchema.optional(),
  /**
   * The receipt QR's secret (random, base64url): the QR carries case id and token, and a
   * kiosk or the phone page shows the case only when both match. A per-case capability
   * rather than a MAC under a hall key, so receipts outlive key rotations.
   */
  receiptToken: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/).optional(),
  /** 办件编号 printed on the receipt (the counter numbers it; unique in the hall). */
  number: z.string().min(1).max(60).optional(),
  /** The department whose queue reviews it (the service's owner), set at acceptance. */
  departmentId: IdSchema.optional(),
  /** The back-office officer it is assigned to (业务转办 moves it). */
  assignedStaffId: IdSchema.optional(),
  /** 容缺受理: required materials accepted as pending; the case cannot complete until they arrive. */
  pendingMaterialIds: z.array(IdSchema).default([]),
  consult: ConsultSchema.optional(),
  supplements: z.array(SupplementRequestSchema).default([]),
  specialProcedures: z.array(SpecialProcedureSchema).default([]),
  approvedAt: TimestampSchema.optional(),
  approvedByStaffId: IdSchema.optional(),
  completedByStaffId: IdSchema.optional(),
  deliveredAt: TimestampSchema.optional(),
  handover: HandoverSchema.optional(),
  withdrawal: WithdrawalSchema.optional(),
  /** Every step and change, oldest first. */
  timeline: z.array(CaseStepSchema).default([]),
  /** 物料流转: where the case's paper is (issue 17). */
  handoff: CaseHandoffSchema.optional(),
});
export type Case = z.infer<typeof CaseSchema>;

/** The hall's case time limits (console-set; defaults follow common practice). Days are working days. */
export const CaseRulesSchema = z.object({
  /** 受理时限: a submitted form is accepted or refused within this many working days (0: the same day). */
  acceptanceDays: z.number().int().min(0).max(30).default(0),
  /** 补正期限: the citizen brings what a supplement request lists within this many working days. */
  supplementDays: z.number().int().min(1).max(60).default(10),
  /** The citizen is reminded by SMS this many working days before the supplement deadline. */
  supplementReminderDays: z.number().int().min(0).max(30).default(2),
  /** A case closed for a missed supplement deadline bars the citizen (诚信黑名单) this many calendar days. */
  overdueBarDays: z.number().int().min(0).max(3650).default(90),
  /** 结果退回: a completed result not collected within this many calendar days goes back to the department. */
  uncollectedReturnDays: z.number().int().min(1).max(3650).default(180),
  /**
   * 物料流转: papers sitting at one desk longer than this many calendar hours show on the supervision
   * page (calendar, not working hours: a slip left over a weekend is exactly what supervision should see).
   */
  handoffStepLimitHours: z.number().int().min(1).max(720).default(48),
});
export type CaseRules = z.infer<typeof CaseRulesSchema>;
export const DEFAULT_CASE_RULES: CaseRules = CaseRulesSchema.parse({});

/** 好差评: five levels as in the national 好差评 system. */
export const RatingSchema = z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied', 'very_unsatisfied']);
export type Rating = z.infer<typeof RatingSchema>;

export const EvaluationSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  ticketId: IdSchema,
  caseId: IdSchema.optional(),
  counterId: IdSchema,
  staffId: IdSchema,
  rating: RatingSchema,
  /** True when no answer came within the timeout and "good" was recorded. */
  defaulted: z.boolean(),
  comment: z.string().max(500).optional(),
  at: TimestampSchema,
});
export type Evaluation = z.infer<typeof EvaluationSchema>;
