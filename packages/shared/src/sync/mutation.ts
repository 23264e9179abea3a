import { z } from 'zod';
import { CaseSchema, CitizenRefSchema, IdSchema, LocalDateSchema, TicketKindSchema, TimestampSchema } from '../domain/index';
import { UUID_V7_PATTERN } from './uuid';

/**
 * Intent mutations: what a person asked for, not the resulting rows. The station applies
 * an intent to its local state and the server re-executes the same intent on the
 * authoritative state with the same rules, so both sides reach the same result unless
 * the world changed in between (then the server's answer wins and the station is told).
 *
 * Where an intent picks something (callNext picks a ticket, issueTicket picks a number),
 * the station's pick is part of the payload: the server validates the pick instead of
 * picking again, so the citizen who was called is the one the server records.
 */
const at = TimestampSchema;

export const IssueTicketPayloadSchema = z.object({
  ticketId: IdSchema,
  queueId: IdSchema,
  serviceIds: z.array(IdSchema).min(1),
  kind: TicketKindSchema,
  day: LocalDateSchema,
  /** Sequence within the queue's day, taken from a number block leased to this device. */
  sequence: z.number().int().positive(),
  priorityGroupId: IdSchema.optional(),
  appointmentId: IdSchema.optional(),
  citizen: CitizenRefSchema.optional(),
  at,
});

const counterTicket = { counterId: IdSchema, ticketId: IdSchema, at };

export const CallPayloadSchema = z.object(counterTicket);
export const TransferPayloadSchema = z
  .object({
    ...counterTicket,
    toQueueId: IdSchema.optional(),
    toCounterId: IdSchema.optional(),
  })
  .refine((p) => p.toQueueId !== undefined || p.toCounterId !== undefined, {
    message: 'a transfer names a queue or a counter',
  });
export const CounterPayloadSchema = z.object({ counterId: IdSchema, at });
export const PausePayloadSchema = z.object({ counterId: IdSchema, reason: z.string().min(1).max(100), at });

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
  values: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).default({}),
});
export type CaseDraft = z.infer<typeof CaseDraftSchema>;

export const SubmitFormPayloadSchema = CaseDraftSchema.extend({ caseId: IdSchema, at });

export const MUTATION_PAYLOADS = {
  issueTicket: IssueTicketPayloadSchema,
  callNext: CallPayloadSchema,
  callSpecific: CallPayloadSchema,
  recall: CallPayloadSchema,
  markMissed: CallPayloadSchema,
  startServing: CallPayloadSchema,
  finish: CallPayloadSchema,
  transfer: TransferPayloadSchema,
  openCounter: CounterPayloadSchema,
  closeCounter: CounterPayloadSchema,
  pauseCounter: PausePayloadSchema,
  resumeCounter: CounterPayloadSchema,
  submitForm: SubmitFormPayloadSchema,
} as const;

export type MutationType = keyof typeof MUTATION_PAYLOADS;
export const MUTATION_TYPES = Object.keys(MUTATION_PAYLOADS) as MutationType[];
export const MutationTypeSchema = z.enum(MUTATION_TYPES as [MutationType, ...MutationType[]]);

export type MutationPayload<T extends MutationType> = z.infer<(typeof MUTATION_PAYLOADS)[T]>;

/** One intent of one device, as stored in its outbox and sent in a push. */
export interface Intent<T extends MutationType = MutationType> {
  type: T;
  payload: MutationPayload<T>;
}
export type AnyIntent = { [T in MutationType]: Intent<T> }[MutationType];

export const MutationIdSchema = z.string().regex(UUID_V7_PATTERN, 'expected a uuid v7');

export const MutationSchema = z.object({
  id: MutationIdSchema,
  deviceId: IdSchema,
  /** Renewed whenever the station's database is created afresh; seq restarts at 1. */
  epoch: IdSchema,
  seq: z.number().int().positive(),
  type: MutationTypeSchema,
  payload: z.unknown(),
  hlc: z.string().min(1).max(120),
});
export type Mutation = z.infer<typeof MutationSchema>;

/** Validates a mutation's payload against its type; a clear message names the bad field. */
export function parseIntent(type: string, payload: unknown): { ok: true; intent: AnyIntent } | { ok: false; error: string } {
  const typeResult = MutationTypeSchema.safeParse(type);
  if (!typeResult.success) return { ok: false, error: `unknown mutation type "${type}"` };
  const schema = MUTATION_PAYLOADS[typeResult.data];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(payload)';
    return { ok: false, error: `${type}.${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, intent: { type: typeResult.data, payload: parsed.data } as AnyIntent };
}
