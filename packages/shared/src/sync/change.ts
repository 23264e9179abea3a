import { z } from 'zod';
import { CaseSchema, IdSchema, TicketSchema } from '../domain/index';
import { CounterRuntimeSchema } from '../queue/state';

/**
 * One row of a hall's change log: the authoritative value of one entity after a
 * mutation. Stations upsert these rows, so applying an entry twice is harmless and a
 * compacted log (latest row per entity) describes the same state as the full one.
 */
export const ChangeSchema = z.discriminatedUnion('entity', [
  z.object({ entity: z.literal('ticket'), id: IdSchema, data: TicketSchema }),
  z.object({ entity: z.literal('counter'), id: IdSchema, data: CounterRuntimeSchema }),
  z.object({ entity: z.literal('case'), id: IdSchema, data: CaseSchema }),
]);
export type Change = z.infer<typeof ChangeSchema>;
export type ChangeEntity = Change['entity'];

/** Where a change came from: the mutation whose effect it is. */
export const ChangeOriginSchema = z.object({
  mutationId: z.string(),
  deviceId: IdSchema,
  epoch: IdSchema,
  seq: z.number().int().positive(),
});
export type ChangeOrigin = z.infer<typeof ChangeOriginSchema>;

export const LogEntrySchema = z.object({
  /** Position in the hall's log; strictly increasing in commit order (see server sync/log). */
  seq: z.number().int().positive(),
  change: ChangeSchema,
  origin: ChangeOriginSchema.optional(),
  at: z.string(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;
