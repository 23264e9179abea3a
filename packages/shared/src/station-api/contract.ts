import { z } from 'zod';
import {
  CaseSchema,
  CitizenRefSchema,
  CounterSchema,
  CounterStateSchema,
  IdSchema,
  TicketKindSchema,
  TicketSchema,
} from '../domain/index';
import { CatalogueSchema, StationRoleSchema, type StationRole } from '../sync/messages';
import { CaseDraftSchema, MutationTypeSchema } from '../sync/mutation';

/**
 * The station API: what a renderer may ask of its station and what the station tells it.
 * One contract for every role; each method lists the roles allowed to call it, and both
 * transports (Electron IPC, browser-mode WebSocket) refuse a method outside the station's
 * role. Counter methods act on the station's own counter (from its config), never on a
 * counter id the renderer sends.
 */
export const STATION_API_VERSION = 1;

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  pending: z.number().int().min(0),
  rejected: z.number().int().min(0),
  /** Age in seconds of the oldest mutation the server has not acknowledged yet. */
  oldestPendingAgeSeconds: z.number().min(0).nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  cursor: z.number().int().min(0),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const RejectionSchema = z.object({
  mutationId: z.string(),
  seq: z.number().int(),
  type: MutationTypeSchema,
  code: z.string(),
  reason: z.string(),
  /** The ticket the rejected mutation was about, for the screen to name it. */
  ticketId: IdSchema.optional(),
  at: z.string(),
});
export type Rejection = z.infer<typeof RejectionSchema>;

const ALL: readonly StationRole[] = StationRoleSchema.options;
const empty = z.object({}).strict();
const ticketRef = z.object({ ticketId: IdSchema }).strict();

function method<P extends z.ZodType, R extends z.ZodType>(roles: readonly StationRole[], params: P, result: R) {
  return { roles, params, result };
}

export const STATION_METHODS = {
  'station.info': method(
    ALL,
    empty,
    z.object({
      deviceId: IdSchema,
      hallId: IdSchema,
      role: StationRoleSchema,
      counterId: IdSchema.optional(),
      apiVersion: z.number().int(),
    }),
  ),
  'sync.status': method(ALL, empty, SyncStatusSchema),
  'sync.rejections': method(ALL, empty, z.array(RejectionSchema)),
  'catalogue.get': method(ALL, empty, CatalogueSchema.nullable()),
  'queue.snapshot': method(
    ALL,
    empty,
    z.object({
      tickets: z.array(TicketSchema),
      counters: z.array(z.object({ counter: CounterSchema, state: CounterStateSchema })),
    }),
  ),
  'ticket.issue': method(
    ['kiosk'],
    z
      .object({
        serviceIds: z.array(IdSchema).min(1),
        kind: TicketKindSchema.default('walk_in'),
        priorityGroupId: IdSchema.optional(),
        appointmentId: IdSchema.optional(),
        citizen: CitizenRefSchema.optional(),
      })
      .strict(),
    TicketSchema,
  ),
  'case.submit': method(['kiosk', 'counter'], CaseDraftSchema.strict(), CaseSchema),
  'counter.open': method(['counter'], empty, CounterStateSchema),
  'counter.close': method(['counter'], empty, CounterStateSchema),
  'counter.pause': method(['counter'], z.object({ reason: z.string().min(1).max(100) }).strict(), CounterStateSchema),
  'counter.resume': method(['counter'], empty, CounterStateSchema),
  /** Calls the next ticket by the hall's calling rules; null when nobody waits. */
  'counter.callNext': method(['counter'], empty, TicketSchema.nullable()),
  'counter.callSpecific': method(['counter'], ticketRef, TicketSchema),
  'counter.recall': method(['counter'], ticketRef, TicketSchema),
  'counter.markMissed': method(['counter'], ticketRef, TicketSchema),
  'counter.startServing': method(['counter'], ticketRef, TicketSchema),
  'counter.finish': method(['counter'], ticketRef, TicketSchema),
  'counter.transfer': method(
    ['counter'],
    z
      .object({ ticketId: IdSchema, toQueueId: IdSchema.optional(), toCounterId: IdSchema.optional() })
      .strict()
      .refine((p) => p.toQueueId !== undefined || p.toCounterId !== undefined, {
        message: 'a transfer names a queue or a counter',
      }),
    TicketSchema,
  ),
} as const;

export type StationMethod = keyof typeof STATION_METHODS;
export type MethodParams<M extends StationMethod> = z.input<(typeof STATION_METHODS)[M]['params']>;
export type MethodParsedParams<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['params']>;
export type MethodResult<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['result']>;

export const STATION_EVENTS = {
  'sync.status': SyncStatusSchema,
  /** Entities that changed in the live state (after a local mutation, a pull or a rebase). */
  'queue.changed': z.object({
    tickets: z.array(TicketSchema),
    counterStates: z.array(z.object({ id: IdSchema, state: CounterStateSchema })),
  }),
  /** A ticket was called or recalled: what the display shows and the voice says. */
  'ticket.called': z.object({
    ticketId: IdSchema,
    ticketNumber: z.string(),
    counterId: IdSchema,
    counterNumber: z.string(),
    kind: z.enum(['call', 'recall']),
  }),
  /** The server refused one of this station's mutations: shown to the user, never dropped. */
  'mutation.rejected': RejectionSchema,
} as const;

export type StationEvent = keyof typeof STATION_EVENTS;
export type EventData<E extends StationEvent> = z.output<(typeof STATION_EVENTS)[E]>;

export function isStationMethod(name: string): name is StationMethod {
  return Object.prototype.hasOwnProperty.call(STATION_METHODS, name);
}

export function methodsForRole(role: StationRole): StationMethod[] {
  return (Object.keys(STATION_METHODS) as StationMethod[]).filter((m) =>
    (STATION_METHODS[m].roles as readonly StationRole[]).includes(role),
  );
}

/** The implementation a station provides: one async function per method its role allows. */
export type StationApiHandlers = {
  [M in StationMethod]?: (params: MethodParsedParams<M>) => Promise<MethodResult<M>> | MethodResult<M>;
};

/** What `window.station` (Electron preload) and the WebSocket client both expose to renderers. */
export interface StationBridge {
  call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void;
}
