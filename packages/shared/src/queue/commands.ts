import { z } from 'zod';
import {
  AppointmentSchema,
  CitizenRefSchema,
  IdSchema,
  MatterCitizensSchema,
  TicketKindSchema,
  TimestampSchema,
} from '../domain/index';
import { ReleaseClaimSchema } from '../release/release';

const counterId = IdSchema;
/** Optional on counter commands: the ticket the station believes the counter holds; a mismatch is refused. */
const expectedTicketId = IdSchema.optional();

/**
 * The ticket's place in the queue by the hall's clock: the kiosk's clock corrected by the
 * offset it last measured against the central API, so a kiosk whose PC clock is off still
 * queues its citizens where they stand while the API is away. Absent: the command's time.
 * The engine keeps it within MAX_QUEUE_TIME_CORRECTION_MS of that time.
 */
const hallQueuedAt = TimestampSchema.optional();

export const QueueCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('issueTicket'),
    ticketId: IdSchema,
    queueId: IdSchema,
    serviceIds: z.array(IdSchema).min(1),
    kind: TicketKindSchema.exclude(['appointment']),
    priorityGroupId: IdSchema.optional(),
    citizen: CitizenRefSchema.optional(),
    /** 一号联办 for a family: matters (among serviceIds) for a member other than `citizen`. */
    matterCitizens: MatterCitizensSchema.optional(),
    /** A sequence from a block leased to an offline kiosk; absent means the engine numbers. */
    sequence: z.number().int().positive().optional(),
    deviceId: IdSchema.optional(),
    queuedAt: hallQueuedAt,
    /** 现场号/特殊号: the floor guide's release password; the server checks its proof and uses. */
    release: ReleaseClaimSchema.optional(),
  }),
  z.object({
    type: z.literal('checkIn'),
    ticketId: IdSchema,
    appointment: AppointmentSchema.pick({ id: true, serviceId: true, moreServiceIds: true, date: true, slot: true, status: true, citizen: true }),
    /** A sequence from the kiosk's leased block, as for issueTicket; absent means the engine numbers. */
    sequence: z.number().int().positive().optional(),
    deviceId: IdSchema.optional(),
    queuedAt: hallQueuedAt,
  }),
  /** 顺呼; `ticketId` is the station's own pick, accepted if still callable here. */
  z.object({ type: z.literal('callNext'), counterId, ticketId: IdSchema.optional() }),
  /** 特呼: a waiting ticket, or a missed one within the hall's window. */
  z.object({ type: z.literal('callSpecific'), counterId, ticketId: IdSchema }),
  /** 重呼; once the hall's maximum is used up the ticket is marked missed instead. */
  z.object({ type: z.literal('recall'), counterId, ticketId: expectedTicketId }),
  /** 过号 by the clerk after the call countdown. */
  z.object({ type: z.literal('markMissed'), counterId, ticketId: expectedTicketId }),
  z.object({ type: z.literal('startServing'), counterId, ticketId: expectedTicketId }),
  z.object({ type: z.literal('finish'), counterId, ticketId: expectedTicketId }),
  /** 票号转移 of the counter's ticket; it keeps its queue time. */
  z
    .object({
      type: z.literal('transfer'),
      counterId,
      ticketId: expectedTicketId,
      toCounterId: IdSchema.optional(),
      toQueueId: IdSchema.optional(),
      /** Services in the target queue; required when the ticket's own are not offered there. */
      serviceIds: z.array(IdSchema).min(1).optional(),
    })
    .refine((c) => c.toCounterId !== undefined || c.toQueueId !== undefined, {
      message: 'a transfer names a counter or a queue',
    }),
  /** 一号联办: one more matter on the same ticket. */
  z.object({ type: z.literal('addService'), ticketId: IdSchema, serviceId: IdSchema }),
  z.object({ type: z.literal('cancelTicket'), ticketId: IdSchema }),
  z.object({ type: z.literal('openCounter'), counterId }),
  z.object({ type: z.literal('closeCounter'), counterId }),
  z.object({ type: z.literal('pauseCounter'), counterId, reason: z.string().min(1).max(100) }),
  z.object({ type: z.literal('resumeCounter'), counterId }),
]);
export type QueueCommand = z.infer<typeof QueueCommandSchema>;
export type QueueCommandType = QueueCommand['type'];
export type QueueCommandOf<T extends QueueCommandType> = Extract<QueueCommand, { type: T }>;
