import { z } from 'zod';
import { CounterStateSchema, TicketSchema } from '../domain/index';
import type { CounterState, Ticket } from '../domain/index';

export const CounterRuntimeSchema = z.object({
  state: CounterStateSchema,
  /**
   * Normal tickets this counter called by call-next since its last priority ticket;
   * absent (unbounded) until the session's first priority call, so the first priority
   * citizen to arrive after the counter opens goes first.
   */
  normalsSincePriority: z.number().int().min(0).optional(),
});
export type CounterRuntime = z.infer<typeof CounterRuntimeSchema>;

/**
 * Everything the engine decides from, as plain JSON so the server and stations can
 * persist it; rebuilt exactly by replaying the events that produced it.
 */
export const QueueStateSchema = z.object({
  tickets: z.record(z.string(), TicketSchema),
  counters: z.record(z.string(), CounterRuntimeSchema),
  /** Highest sequence used per `queueId|day` (see sequenceKey). */
  lastSequence: z.record(z.string(), z.number().int().min(0)),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

export function emptyQueueState(): QueueState {
  return { tickets: {}, counters: {}, lastSequence: {} };
}

export function sequenceKey(queueId: string, day: string): string {
  return `${queueId}|${day}`;
}

const CLOSED: CounterState = { status: 'closed' };

/** A counter the engine has never seen is closed. */
export function counterRuntime(state: QueueState, counterId: string): CounterRuntime {
  return state.counters[counterId] ?? { state: CLOSED };
}

/** The ticket a counter holds (called or serving), if any. */
export function heldTicket(state: QueueState, counterId: string): Ticket | undefined {
  const counter = counterRuntime(state, counterId).state;
  return counter.status === 'serving' ? state.tickets[counter.ticketId] : undefined;
}
