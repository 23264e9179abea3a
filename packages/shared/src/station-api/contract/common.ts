import { z } from 'zod';
import { CounterSchema, CounterStateSchema, IdSchema, TicketSchema } from '../../domain/index';
import { CatalogueSchema, StationRoleSchema } from '../../sync/messages';
import { MutationTypeSchema } from '../../sync/mutation';
import { HallLinkSchema } from '../hallLink';
import { empty, method } from './method';

/** The slice every station answers, whatever its role: who it is, its sync state, the catalogue and the queue. */
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
  /**
   * Where the station stands in its hall: `connected` reaches the central API; `mesh` does
   * not, but works with `peers` other stations of the hall over the LAN (the hall mesh);
   * `alone` reaches neither. Absent on a station without a mesh (locker).
   */
  hall: HallLinkSchema.optional(),
  /**
   * Server clock minus this station's clock in ms, measured over the sync round trips
   * (null before the first measurement). Beyond CLOCK_SKEW_WARN_MS every app warns.
   */
  clockOffsetMs: z.number().nullable().optional(),
  /** The cached catalogue's version: a renderer re-reads the catalogue when it changes (a console edit). */
  catalogueVersion: z.string().nullable().optional(),
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

export const COMMON_METHODS = {
  'station.info': method(
    empty,
    z.object({
      deviceId: IdSchema,
      hallId: IdSchema,
      role: StationRoleSchema,
      counterId: IdSchema.optional(),
      apiVersion: z.number().int(),
    }),
  ),
  'sync.status': method(empty, SyncStatusSchema),
  'sync.rejections': method(empty, z.array(RejectionSchema)),
  'catalogue.get': method(empty, CatalogueSchema.nullable()),
  'queue.snapshot': method(
    empty,
    z.object({
      tickets: z.array(TicketSchema),
      counters: z.array(z.object({ counter: CounterSchema, state: CounterStateSchema })),
    }),
  ),
} as const;

export const COMMON_EVENTS = {
  'sync.status': SyncStatusSchema,
  /** Entities that changed in the live state (after a local mutation, a pull or a rebase). */
  'queue.changed': z.object({
    tickets: z.array(TicketSchema),
    counterStates: z.array(z.object({ id: IdSchema, state: CounterStateSchema })),
  }),
  /** The server refused one of this station's mutations: shown to the user, never dropped. */
  'mutation.rejected': RejectionSchema,
} as const;
