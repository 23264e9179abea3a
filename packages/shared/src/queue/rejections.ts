import type { QueueEvent } from './events';

/** Expected refusals: the UI shows them, the server tells the losing station. */
export type QueueRejectionCode =
  | 'invalid_command'
  | 'unknown_counter'
  | 'unknown_queue'
  | 'unknown_service'
  | 'unknown_ticket'
  | 'unknown_priority_group'
  | 'duplicate_ticket_id'
  | 'kind_not_offered'
  | 'service_not_in_queue'
  | 'service_already_on_ticket'
  | 'daily_cap_reached'
  | 'numbers_exhausted'
  | 'number_taken'
  | 'appointment_not_today'
  | 'appointment_not_booked'
  | 'appointment_checked_in'
  | 'counter_closed'
  | 'counter_paused'
  | 'counter_busy'
  | 'counter_not_paused'
  | 'counter_already_open'
  | 'no_ticket_waiting'
  | 'no_current_ticket'
  | 'ticket_not_at_counter'
  | 'ticket_not_callable'
  | 'ticket_not_called'
  | 'ticket_not_serving'
  | 'ticket_closed'
  | 'recall_too_soon'
  | 'missed_too_soon'
  | 'missed_window_expired'
  | 'transfer_to_same_counter'
  | 'release_used'
  | 'release_mismatch'
  | 'matter_not_on_ticket';

export interface QueueRejection {
  code: QueueRejectionCode;
  /** English, for logs and developers; UIs translate by code. Never contains personal data. */
  message: string;
  /** For timing rules: how long until the command would be accepted. */
  retryAfterSeconds?: number;
}

export type Decision = { ok: true; events: QueueEvent[] } | { ok: false; rejection: QueueRejection };

export function reject(code: QueueRejectionCode, message: string, retryAfterSeconds?: number): Decision {
  return { ok: false, rejection: retryAfterSeconds === undefined ? { code, message } : { code, message, retryAfterSeconds } };
}

export function accept(...events: QueueEvent[]): Decision {
  return { ok: true, events };
}
