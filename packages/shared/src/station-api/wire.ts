import { z } from 'zod';
import { KioskRefusalSchema } from './contract/kiosk';

/** Messages of the station API over a socket (browser mode) or a message port. */
export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.union([z.number().int(), z.string().max(64)]),
  method: z.string().max(64),
  params: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const StationErrorCodeSchema = z.enum([
  'bad_request',
  'unknown_method',
  'forbidden',
  'rejected',
  'unavailable',
  'internal',
]);
export type StationErrorCode = z.infer<typeof StationErrorCodeSchema>;

export const StationErrorSchema = z.object({
  code: StationErrorCodeSchema,
  /** For `rejected`: the domain rule's code (queue_empty, ticket_not_waiting …). */
  reason: z.string().optional(),
  message: z.string(),
  /** For `rejected` at the kiosk: what the citizen is told, with its particulars (until, opensAt …). */
  refusal: KioskRefusalSchema.optional(),
});
export type StationError = z.infer<typeof StationErrorSchema>;

export const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.union([z.number(), z.string()]), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.union([z.number(), z.string()]), ok: z.literal(false), error: StationErrorSchema }),
]);
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>;

export const EventMessageSchema = z.object({ type: z.literal('event'), event: z.string(), data: z.unknown() });
export type EventMessage = z.infer<typeof EventMessageSchema>;

export const ServerMessageSchema = z.union([ResponseMessageSchema, EventMessageSchema]);
