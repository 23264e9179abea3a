import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../domain/index';
import type { HallState } from '../sync/state';

/**
 * "N people ahead of you" by SMS (issue 18, 到号前短信提醒): after taking a ticket a
 * citizen may leave a mobile number at the kiosk. It travels to the central API as its own
 * kiosk mutation (the ticket is already printed and maybe pushed when they ask), is sealed
 * there, and one SMS goes when the ticket's place in its queue reaches the hall's N.
 */

/** A mainland China mobile number: 11 digits, 1 then 3–9. */
export const MobilePhoneSchema = z.string().regex(/^1[3-9]\d{9}$/, 'an 11-digit mainland mobile number');

export function isMobilePhone(text: string): boolean {
  return MobilePhoneSchema.safeParse(text).success;
}

/** People ahead at which the SMS goes, when the hall's calling rules do not say. */
export const DEFAULT_POSITION_SMS_AHEAD = 3;

export const RequestPositionSmsPayloadSchema = z
  .object({
    ticketId: IdSchema,
    /** Personal data: sealed by the central API, never logged, gone at the end of the hall-day. */
    phone: MobilePhoneSchema,
    at: TimestampSchema,
  })
  .strict();
export type RequestPositionSmsPayload = z.infer<typeof RequestPositionSmsPayloadSchema>;
export type PositionSmsIntent = { type: 'requestPositionSms'; payload: RequestPositionSmsPayload };

/**
 * Accepted for a ticket still waiting; it changes no shared row (the phone is kept only by
 * the central API), so the hall's state is the same with or without it.
 */
export function decidePositionSms(state: HallState, payload: RequestPositionSmsPayload): { ok: true } | { ok: false; code: string; reason: string } {
  const ticket = state.queue.tickets[payload.ticketId];
  if (!ticket) return { ok: false, code: 'unknown_ticket', reason: `ticket ${payload.ticketId} does not exist` };
  if (ticket.status !== 'waiting') return { ok: false, code: 'ticket_not_waiting', reason: `ticket ${ticket.number} is ${ticket.status}, no longer waiting` };
  return { ok: true };
}
