import { z } from 'zod';
import { CaseSchema, DeliveryMethodSchema, EvaluationSchema, IdSchema, TimestampSchema } from '../domain/index';
import { QueueCommandSchema, type QueueCommand, type QueueCommandType } from '../queue/commands';
import { UUID_V7_PATTERN } from './uuid';
import { CLERK_PROOF_FIELD } from './clerkProof';
import { DEVICE_PROOF_FIELD } from './deviceProof';
import { RequestPositionSmsPayloadSchema, type PositionSmsIntent } from '../phone/positionSms';
import { HANDOFF_PAYLOAD_SCHEMAS, HANDOFF_TYPES, isHandoffType, type HandoffIntent } from './handoff';
import { CENTRAL_LIFECYCLE_TYPES, COUNTER_LIFECYCLE_TYPES, isLifecycleType, LIFECYCLE_PAYLOAD_SCHEMAS, type LifecycleIntent } from './caseLifecycle';

/**
 * Intent mutations: what a person asked for, not the resulting rows. A queue mutation is
 * exactly a queue-engine command plus the instant it was made (`at`); the station decides
 * it with the engine on its local state and the server re-decides the same command with
 * the same engine on the authoritative state, so the rules live in one place.
 *
 * Where a command picks something (callNext picks a ticket, issueTicket picks a number),
 * the station's pick is part of the command: the server validates the pick instead of
 * picking again, so the citizen who was called is the one the server records.
 */

/** Queue commands a station may send. */
export const QUEUE_MUTATION_TYPES = [
  'issueTicket',
  /** 预约签到: numbered from the kiosk's lease like issueTicket; the server checks the appointment. */
  'checkIn',
  'callNext',
  'callSpecific',
  'recall',
  'markMissed',
  'startServing',
  'finish',
  'transfer',
  'addService',
  'cancelTicket',
  'openCounter',
  'closeCounter',
  'pauseCounter',
  'resumeCounter',
] as const satisfies readonly QueueCommandType[];
export type QueueMutationType = (typeof QUEUE_MUTATION_TYPES)[number];

/** The counter's outcomes for a case and a ticket: decided at the counter, re-decided by the server. */
export const CASE_MUTATION_TYPES = ['acceptCase', 'refuseCase', 'chooseDelivery', 'recordEvaluation', ...COUNTER_LIFECYCLE_TYPES, ...HANDOFF_TYPES] as const;
export type CaseMutationType = (typeof CASE_MUTATION_TYPES)[number];

export const MUTATION_TYPES = [...QUEUE_MUTATION_TYPES, 'submitForm', ...CASE_MUTATION_TYPES, ...CENTRAL_LIFECYCLE_TYPES, 'requestPositionSms', 'readStaffAnnouncement'] as const;
export const MutationTypeSchema = z.enum(MUTATION_TYPES);
export type MutationType = z.infer<typeof MutationTypeSchema>;

/** A form's field values by field id: personal data, never logged. */
export const FormValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]));

/** What a citizen or clerk fills in for a case; values travel to the server and are scrubbed locally a restore horizon after acknowledgement. */
export const CaseDraftSchema = CaseSchema.pick({
  serviceId: true,
  ticketId: true,
  situationId: true,
  answers: true,
  formId: true,
  formVersion: true,
  citizen: true,
}).extend({
  values: FormValuesSchema.default({}),
});
export type CaseDraft = z.infer<typeof CaseDraftSchema>;

export const SubmitFormPayloadSchema = CaseDraftSchema.extend({ caseId: IdSchema, at: TimestampSchema });
export type SubmitFormPayload = z.infer<typeof SubmitFormPayloadSchema>;

/**
 * Fields that create the case when the counter decides one no kiosk submitted (a new case
 * id); for an existing case they may be left out, and must match it when given.
 */
const CounterDecisionSchema = CaseDraftSchema.omit({ values: true })
  .partial()
  .extend({ caseId: IdSchema, staffId: IdSchema, counterId: IdSchema, at: TimestampSchema });

export const ReceivedMaterialInputSchema = z.object({
  materialId: IdSchema,
  /** Pages captured for it at the counter (the pages themselves stay on the station). */
  pageCount: z.number().int().min(0).max(1000).default(0),
});

/** 受理: every required material received; the server computes the promised date (dueAt). */
export const AcceptCasePayloadSchema = CounterDecisionSchema.extend({
  /** The form as finally edited at the counter: personal data, scrubbed locally once acknowledged. */
  values: FormValuesSchema.default({}),
  received: z.array(ReceivedMaterialInputSchema).max(200),
  delivery: DeliveryMethodSchema.optional(),
  /** 办件编号 on the receipt. */
  caseNumber: z.string().min(1).max(60).optional(),
  /** The receipt QR's secret (CaseSchema.receiptToken). */
  receiptToken: CaseSchema.shape.receiptToken,
  /** 容缺受理: required materials not received that the service lets the clerk accept as pending. */
  pendingMaterialIds: z.array(IdSchema).max(200).optional(),
});
export type AcceptCasePayload = z.infer<typeof AcceptCasePayloadSchema>;

/** 不予受理 with the one-time notice (一次性告知): the reason and the missing materials it listed. */
export const RefuseCasePayloadSchema = CounterDecisionSchema.extend({
  reason: z.string().trim().min(1).max(200),
  missingMaterialIds: z.array(IdSchema).min(1).max(200),
});
export type RefuseCasePayload = z.infer<typeof RefuseCasePayloadSchema>;

/** How the result of an accepted case reaches the citizen (window, post, 24-hour locker). */
export const ChooseDeliveryPayloadSchema = z.object({
  caseId: IdSchema,
  staffId: IdSchema,
  delivery: DeliveryMethodSchema,
  /** Why it changed (受理变更登记), when the case already had a way chosen. */
  reason: z.string().trim().max(200).optional(),
  /** The counter registering a later change (any counter of the hall); absent: the counter that served the case's ticket. */
  counterId: IdSchema.optional(),
  at: TimestampSchema,
});
export type ChooseDeliveryPayload = z.infer<typeof ChooseDeliveryPayloadSchema>;

/** 好差评 of a finished ticket; `defaulted` when no answer came within the hall's timeout. One per ticket. */
export const RecordEvaluationPayloadSchema = EvaluationSchema.omit({ id: true, hallId: true }).extend({ evaluationId: IdSchema });
export type RecordEvaluationPayload = z.infer<typeof RecordEvaluationPayloadSchema>;

const CASE_PAYLOAD_SCHEMAS = {
  acceptCase: AcceptCasePayloadSchema,
  refuseCase: RefuseCasePayloadSchema,
  chooseDelivery: ChooseDeliveryPayloadSchema,
  recordEvaluation: RecordEvaluationPayloadSchema,
} as const;

/** 已阅: the signed-in clerk read a staff announcement (系统通知公告) at this counter; it changes no hall row. */
export const ReadStaffAnnouncementPayloadSchema = z.object({ announcementId: IdSchema, staffId: IdSchema, counterId: IdSchema, at: TimestampSchema });
export type ReadStaffAnnouncementPayload = z.infer<typeof ReadStaffAnnouncementPayloadSchema>;
export type AnnouncementIntent = { type: 'readStaffAnnouncement'; payload: ReadStaffAnnouncementPayload };

/** `staffId`: the signed-in clerk, on counter commands; the server records it on the ticket (tickets.staff_id). */
export type QueueIntent = { type: QueueMutationType; command: QueueCommand; at: string; staffId?: string };
export type FormIntent = { type: 'submitForm'; payload: SubmitFormPayload };
export type CaseIntent =
  | { type: 'acceptCase'; payload: AcceptCasePayload }
  | { type: 'refuseCase'; payload: RefuseCasePayload }
  | { type: 'chooseDelivery'; payload: ChooseDeliveryPayload }
  | { type: 'recordEvaluation'; payload: RecordEvaluationPayload }
  | LifecycleIntent
  | HandoffIntent;
export type AnyIntent = QueueIntent | FormIntent | CaseIntent | PositionSmsIntent | AnnouncementIntent;

export function isQueueIntent(intent: AnyIntent): intent is QueueIntent {
  return 'command' in intent;
}

/** When the person acted: the instant the server checks for clock skew and the rows record. */
export function intentAt(intent: AnyIntent): string {
  return isQueueIntent(intent) ? intent.at : intent.payload.at;
}

/** The payload stored in the outbox and sent in a push. */
export function intentPayload(intent: AnyIntent): Record<string, unknown> {
  if (!isQueueIntent(intent)) return intent.payload;
  const { type: _type, ...fields } = intent.command;
  return { ...fields, at: intent.at, ...(intent.staffId === undefined ? {} : { staffId: intent.staffId }) };
}

export function queueIntent(command: QueueCommand & { type: QueueMutationType }, at: string, staffId?: string): QueueIntent {
  return { type: command.type, command, at, ...(staffId === undefined ? {} : { staffId }) };
}

export const MutationIdSchema = z.string().regex(UUID_V7_PATTERN, 'expected a uuid v7');

export const MutationSchema = z.object({
  id: MutationIdSchema,
  deviceId: IdSchema,
  /** Renewed whenever the station's database is created afresh; seq restarts at 1. */
  epoch: IdSchema,
  seq: z.number().int().positive(),
  type: MutationTypeSchema,
  payload: z.record(z.string(), z.unknown()),
  hlc: z.string().min(1).max(120),
});
export type Mutation = z.infer<typeof MutationSchema>;

function describe(error: z.ZodError, type: string): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(payload)';
  return `${type}.${where}: ${issue?.message ?? 'invalid'}`;
}

function isOutcomeType(type: MutationType): type is keyof typeof CASE_PAYLOAD_SCHEMAS {
  return type in CASE_PAYLOAD_SCHEMAS;
}

/** A mutation's payload without the proofs it carries: what its intent's schema parses. */
export function payloadWithoutProofs(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const { [CLERK_PROOF_FIELD]: _clerk, [DEVICE_PROOF_FIELD]: _device, ...intent } = payload as Record<string, unknown>;
  return intent;
}

/** Validates a stored or received mutation into an intent; a clear message names the bad field. */
export function parseIntent(type: string, given: unknown): { ok: true; intent: AnyIntent } | { ok: false; error: string } {
  // The proofs a mutation carries are checked apart from it (clerkKeys.ts, deviceKeys.ts); the intent is what was done.
  const payload = payloadWithoutProofs(given);
  const typeResult = MutationTypeSchema.safeParse(type);
  if (!typeResult.success) return { ok: false, error: `unknown mutation type "${type}"` };
  const mutationType = typeResult.data;
  if (mutationType === 'submitForm') {
    const parsed = SubmitFormPayloadSchema.safeParse(payload);
    return parsed.success ? { ok: true, intent: { type: 'submitForm', payload: parsed.data } } : { ok: false, error: describe(parsed.error, type) };
  }
  if (mutationType === 'requestPositionSms') {
    const parsed = RequestPositionSmsPayloadSchema.safeParse(payload);
    return parsed.success ? { ok: true, intent: { type: mutationType, payload: parsed.data } } : { ok: false, error: describe(parsed.error, type) };
  }
  if (mutationType === 'readStaffAnnouncement') {
    const parsed = ReadStaffAnnouncementPayloadSchema.safeParse(payload);
    return parsed.success ? { ok: true, intent: { type: mutationType, payload: parsed.data } } : { ok: false, error: describe(parsed.error, type) };
  }
  if (isHandoffType(mutationType)) {
    const parsed = (HANDOFF_PAYLOAD_SCHEMAS[mutationType] as z.ZodType).safeParse(payload);
    return parsed.success ? { ok: true, intent: { type: mutationType, payload: parsed.data } as HandoffIntent } : { ok: false, error: describe(parsed.error, type) };
  }
  if (isOutcomeType(mutationType) || isLifecycleType(mutationType)) {
    const schema: z.ZodType = isOutcomeType(mutationType) ? CASE_PAYLOAD_SCHEMAS[mutationType] : LIFECYCLE_PAYLOAD_SCHEMAS[mutationType];
    const parsed = schema.safeParse(payload);
    // The schema picked by the type parses exactly that intent's payload.
    return parsed.success ? { ok: true, intent: { type: mutationType, payload: parsed.data } as CaseIntent } : { ok: false, error: describe(parsed.error, type) };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, error: `${type}: payload is not an object` };
  const { at, staffId, ...fields } = payload as Record<string, unknown>;
  const atResult = TimestampSchema.safeParse(at);
  if (!atResult.success) return { ok: false, error: `${type}.at: expected an ISO timestamp` };
  const staffResult = IdSchema.optional().safeParse(staffId);
  if (!staffResult.success) return { ok: false, error: `${type}.staffId: expected a staff id` };
  const command = QueueCommandSchema.safeParse({ ...fields, type: mutationType });
  if (!command.success) return { ok: false, error: describe(command.error, type) };
  return { ok: true, intent: queueIntent(command.data as QueueCommand & { type: QueueMutationType }, atResult.data, staffResult.data) };
}
