import { z } from 'zod';
import { IdSchema, LocalDateSchema, LocalTimeSchema, LocalizedTextSchema, TimestampSchema } from './common';

export const TicketKindSchema = z.enum(['walk_in', 'appointment', 'consultation', 'pickup', 'enterprise']);
export type TicketKind = z.infer<typeof TicketKindSchema>;

/** 绿色通道: groups called ahead of others, subject to the hall's fairness ratio. */
export const PriorityGroupSchema = z.object({
  id: IdSchema,
  name: LocalizedTextSchema,
  /** Citizens at or above this age (from the ID card) join the group automatically. */
  minAge: z.number().int().positive().optional(),
});
export type PriorityGroup = z.infer<typeof PriorityGroupSchema>;

export const QueueSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  /** Letter that starts every ticket number of this queue: "A" → A023. */
  prefix: z.string().regex(/^[A-Z]$/, 'one capital letter'),
  name: LocalizedTextSchema,
  serviceIds: z.array(IdSchema),
  /** Ticket kinds this queue issues; a pickup queue issues only pickup tickets. */
  kinds: z.array(TicketKindSchema).min(1),
  /**
   * 咨询号 letter: consultation tickets of this queue start with it ("Z" → Z024) so the
   * citizen, the clerk and the display tell them apart. They share the queue's daily
   * sequence (and so its kiosk leases); absent, they carry the queue's own prefix.
   */
  consultationPrefix: z.string().regex(/^[A-Z]$/, 'one capital letter').optional(),
  numberDigits: z.number().int().min(2).max(4).default(3),
});
export type Queue = z.infer<typeof QueueSchema>;

/** The letter a ticket of this kind starts with in this queue. */
export function ticketPrefix(queue: Pick<Queue, 'prefix' | 'consultationPrefix'>, kind: TicketKind): string {
  return kind === 'consultation' && queue.consultationPrefix !== undefined ? queue.consultationPrefix : queue.prefix;
}

/**
 * Letters of a hall's queues that clash: every queue prefix and consultation prefix must be
 * its own, or two queues would number the same ticket (numbers are unique per hall and day).
 */
export function clashingPrefixes(queues: readonly Pick<Queue, 'prefix' | 'consultationPrefix'>[]): string[] {
  const seen = new Map<string, number>();
  for (const q of queues) {
    for (const letter of q.consultationPrefix === undefined ? [q.prefix] : [q.prefix, q.consultationPrefix]) seen.set(letter, (seen.get(letter) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([letter]) => letter);
}

/** Per-hall calling rules; every number the seed calls "configurable" lives here. */
export const CallingRulesSchema = z.object({
  priorityGroups: z.array(PriorityGroupSchema),
  /** Normal tickets called for each priority ticket while both wait (2 → N N P N N P). */
  normalPerPriority: z.number().int().min(0).max(20),
  maxRecalls: z.number().int().min(0).max(10),
  /** Minutes after being marked missed during which a ticket may still be called. */
  missedRecallWindowMinutes: z.number().int().min(0).max(480),
  minSecondsBetweenRecalls: z.number().int().min(0).max(600),
  /** Minutes before/after the booked slot within which a check-in keeps its appointment priority. */
  appointmentEarlyMinutes: z.number().int().min(0).max(240),
  appointmentLateMinutes: z.number().int().min(0).max(240),
  /** Seconds after a call before the counter may recall or mark missed. */
  callCountdownSeconds: z.number().int().min(0).max(600),
  /** Seconds the rating pad waits before counting the rating as good (seed: 15–30). */
  ratingTimeoutSeconds: z.number().int().min(15).max(30),
  /** Recent services used for waiting-time estimates. */
  waitEstimateSampleSize: z.number().int().min(1).max(500),
  /** 到号前短信提醒: people ahead at which a citizen who left a phone at the kiosk is texted (absent: 3). */
  positionSmsAhead: z.number().int().min(1).max(30).optional(),
});
export type CallingRules = z.infer<typeof CallingRulesSchema>;

export const TicketStatusSchema = z.enum(['waiting', 'called', 'serving', 'finished', 'missed', 'cancelled']);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** A citizen as tickets and appointments keep them: never the raw ID number. */
export const CitizenRefSchema = z.object({
  maskedName: z.string().min(1).max(32),
  /** HMAC-SHA256 of the normalised ID number with the city's key, hex. */
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type CitizenRef = z.infer<typeof CitizenRefSchema>;

/** Service id → the family member that matter is for (queue/matters.ts). */
export const MatterCitizensSchema = z.record(IdSchema, CitizenRefSchema).refine((m) => Object.keys(m).length <= 8, { message: 'at most 8 matters' });
export type MatterCitizens = z.infer<typeof MatterCitizensSchema>;

export const TicketSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  queueId: IdSchema,
  /** Hall-local day the number belongs to (numbers reset daily). */
  day: LocalDateSchema,
  number: z.string().regex(/^[A-Z]\d{2,4}$/),
  kind: TicketKindSchema,
  /** Several services on one ticket = 一号联办. */
  serviceIds: z.array(IdSchema).min(1),
  priorityGroupId: IdSchema.optional(),
  appointmentId: IdSchema.optional(),
  citizen: CitizenRefSchema.optional(),
  /**
   * 一号联办 for a family: the citizen of each matter (by service id) whose citizen is not
   * the ticket's own. Absent on tickets of one citizen (and on every older ticket).
   */
  matterCitizens: MatterCitizensSchema.optional(),
  issuedAt: TimestampSchema,
  /** Calling order key: kept across transfers so a transferred ticket keeps its place. */
  queuedAt: TimestampSchema,
  status: TicketStatusSchema,
  /** Counter that holds the ticket (called, serving) or last held it (missed, finished). */
  counterId: IdSchema.optional(),
  /** Set by a transfer to a specific counter: only that counter may call it next. */
  targetCounterId: IdSchema.optional(),
  /** From the check-in: the instant an on-time appointment starts ranking like a priority group. */
  appointmentPriorityFrom: TimestampSchema.optional(),
  /** First call; kept through recalls and transfers for waiting-time statistics. */
  calledAt: TimestampSchema.optional(),
  /** Latest call or recall: recall spacing and the missed countdown run from here. */
  lastCalledAt: TimestampSchema.optional(),
  /** Calls of every kind (call, recall, re-call after missed). */
  callCount: z.number().int().min(0),
  /** Recalls since the latest call; reaching the hall's maximum marks the ticket missed. */
  recallCount: z.number().int().min(0).optional(),
  missedAt: TimestampSchema.optional(),
  servingStartedAt: TimestampSchema.optional(),
  finishedAt: TimestampSchema.optional(),
  cancelledAt: TimestampSchema.optional(),
  issuedByDeviceId: IdSchema.optional(),
  /** 现场号/特殊号: the release password a floor guide used to issue it (release/release.ts). */
  releasePasswordId: IdSchema.optional(),
  /** The clerk signed in at the counter that last called or served it (statistics by clerk). */
  staffId: IdSchema.optional(),
  /** When the citizen's rating (好差评) was recorded: one per ticket. */
  evaluatedAt: TimestampSchema.optional(),
});
export type Ticket = z.infer<typeof TicketSchema>;

export const AppointmentStatusSchema = z.enum(['booked', 'checked_in', 'cancelled', 'no_show']);
export const AppointmentSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  serviceId: IdSchema,
  /**
   * 一号联办 (预约一次、取一次号): further matters booked for the same slot, served on the
   * check-in's one ticket after `serviceId`; each must be one the first matter's queue serves.
   */
  moreServiceIds: z.array(IdSchema).min(1).max(7).optional(),
  date: LocalDateSchema,
  slot: z.object({ from: LocalTimeSchema, to: LocalTimeSchema }),
  citizen: CitizenRefSchema,
  status: AppointmentStatusSchema,
  ticketId: IdSchema.optional(),
  bookedAt: TimestampSchema,
});
export type Appointment = z.infer<typeof AppointmentSchema>;

/** 黑名单: citizens barred from booking (repeated no-shows, abuse) until a date. */
export const BlacklistEntrySchema = z.object({
  id: IdSchema,
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z.string().min(1),
  from: LocalDateSchema,
  until: LocalDateSchema,
});
export type BlacklistEntry = z.infer<typeof BlacklistEntrySchema>;
