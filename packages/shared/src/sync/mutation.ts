import { z } from 'zod';
import { CaseSchema, IdSchema, TimestampSchema } from '../domain/index';
import { QueueCommandSchema, type QueueCommand, type QueueCommandType } from '../queue/commands';
import { UUID_V7_PATTERN } from './uuid';

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

export const MUTATION_TYPES = [...QUEUE_MUTATION_TYPES, 'submitForm'] as const;
export const MutationTypeSchema = z.enum(MUTATION_TYPES);
export type MutationType = z.infer<typeof MutationTypeSchema>;

/** A form's field values by field id: personal data, never logged. */
export const FormValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]));

/** What a citizen or clerk fills in for a case; values travel to the server and are scrubbed locally once acknowledged. */
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

export type QueueIntent = { type: QueueMutationType; command: QueueCommand; at: string };
export type FormIntent = { type: 'submitForm'; payload: SubmitFormPayload };
export type AnyIntent = QueueIntent | FormIntent;

/** The payload stored in the outbox and sent in a push. */
export function intentPayload(intent: AnyIntent): Record<string, unknown> {
  if (intent.type === 'submitForm') return intent.payload;
  const { type: _type, ...fields } = intent.command;
  return { ...fields, at: intent.at };
}

export function queueIntent(command: QueueCommand & { type: QueueMutationType }, at: string): QueueIntent {
  return { type: command.type, command, at };
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

/** Validates a stored or received mutation into an intent; a clear message names the bad field. */
export function parseIntent(type: string, payload: unknown): { ok: true; intent: AnyIntent } | { ok: false; error: string } {
  const typeResult = MutationTypeSchema.safeParse(type);
  if (!typeResult.success) return { ok: false, error: `unknown mutation type "${type}"` };
  if (typeResult.data === 'submitForm') {
    const parsed = SubmitFormPayloadSchema.safeParse(payload);
    return parsed.success ? { ok: true, intent: { type: 'submitForm', payload: parsed.data } } : { ok: false, error: describe(parsed.error, type) };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, error: `${type}: payload is not an object` };
  const { at, ...fields } = payload as Record<string, unknown>;
  const atResult = TimestampSchema.safeParse(at);
  if (!atResult.success) return { ok: false, error: `${type}.at: expected an ISO timestamp` };
  const command = QueueCommandSchema.safeParse({ ...fields, type: typeResult.data });
  if (!command.success) return { ok: false, error: describe(command.error, type) };
  return { ok: true, intent: { type: typeResult.data, command: command.data, at: atResult.data } };
}
