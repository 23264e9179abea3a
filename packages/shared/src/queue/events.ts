import { z } from 'zod';
import { IdSchema, TicketSchema, TimestampSchema } from '../domain/index';
import type { Ticket } from '../domain/index';
import { counterRuntime, sequenceKey } from './state';
import type { CounterRuntime, QueueState } from './state';

/** How a call-next pick ranked; drives the counter's fairness count. */
export const CallClassSchema = z.enum(['targeted', 'priority', 'normal']);
export type CallClass = z.infer<typeof CallClassSchema>;

const at = TimestampSchema;
const ticketAtCounter = { ticketId: IdSchema, counterId: IdSchema, at };

/** What the sync log records; `applyEvent` turns each into the next state. */
export const QueueEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ticketIssued'), ticket: TicketSchema, sequence: z.number().int().positive(), at }),
  z.object({
    type: z.literal('ticketCalled'),
    ...ticketAtCounter,
    /** `next` counts toward fairness; `specific` (特呼) does not. */
    mode: z.enum(['next', 'specific']),
    callClass: CallClassSchema,
  }),
  z.object({ type: z.literal('ticketRecalled'), ...ticketAtCounter }),
  z.object({ type: z.literal('ticketMissed'), ...ticketAtCounter, reason: z.enum(['recall_limit', 'no_show']) }),
  z.object({
    type: z.literal('ticketTransferred'),
    ticketId: IdSchema,
    fromCounterId: IdSchema,
    toQueueId: IdSchema,
    toCounterId: IdSchema.optional(),
    serviceIds: z.array(IdSchema).min(1),
    at,
  }),
  z.object({ type: z.literal('serviceAdded'), ticketId: IdSchema, serviceId: IdSchema, counterId: IdSchema.optional(), at }),
  z.object({ type: z.literal('servingStarted'), ...ticketAtCounter }),
  z.object({ type: z.literal('ticketFinished'), ...ticketAtCounter }),
  z.object({ type: z.literal('ticketCancelled'), ticketId: IdSchema, counterId: IdSchema.optional(), at }),
  z.object({ type: z.literal('counterOpened'), counterId: IdSchema, at }),
  z.object({ type: z.literal('counterClosed'), counterId: IdSchema, at }),
  z.object({ type: z.literal('counterPaused'), counterId: IdSchema, reason: z.string().min(1).max(100), at }),
  z.object({ type: z.literal('counterResumed'), counterId: IdSchema, at }),
]);
export type QueueEvent = z.infer<typeof QueueEventSchema>;
export type QueueEventType = QueueEvent['type'];

function withTicket(state: QueueState, ticketId: string, change: (ticket: Ticket) => Ticket): QueueState {
  const ticket = state.tickets[ticketId];
  if (ticket === undefined) throw new Error(`event refers to unknown ticket ${ticketId}`);
  return { ...state, tickets: { ...state.tickets, [ticketId]: change(ticket) } };
}

function withCounter(state: QueueState, counterId: string, change: (counter: CounterRuntime) => CounterRuntime): QueueState {
  return { ...state, counters: { ...state.counters, [counterId]: change(counterRuntime(state, counterId)) } };
}

/** Frees whichever counter holds the ticket. */
function releaseCounterOf(state: QueueState, ticketId: string): QueueState {
  const holder = Object.entries(state.counters).find(
    ([, c]) => c.state.status === 'serving' && c.state.ticketId === ticketId,
  );
  return holder === undefined ? state : withCounter(state, holder[0], (c) => ({ ...c, state: { status: 'open' } }));
}

function fairnessAfterCall(counter: CounterRuntime, mode: 'next' | 'specific', callClass: CallClass): CounterRuntime {
  if (mode !== 'next' || callClass === 'targeted') return counter;
  if (callClass === 'priority') return { ...counter, normalsSincePriority: 0 };
  // Before the session's first priority call the count stays "unbounded".
  if (counter.normalsSincePriority === undefined) return counter;
  return { ...counter, normalsSincePriority: counter.normalsSincePriority + 1 };
}

function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * Pure and total over events the engine emitted: replaying a log from an empty state
 * rebuilds the state exactly. Throws only on a log that does not fit (an unknown ticket),
 * which means the log is corrupt, not that a citizen did something unexpected.
 */
export function applyEvent(state: QueueState, event: QueueEvent): QueueState {
  switch (event.type) {
    case 'ticketIssued': {
      const key = sequenceKey(event.ticket.queueId, event.ticket.day);
      return {
        ...state,
        tickets: { ...state.tickets, [event.ticket.id]: event.ticket },
        lastSequence: { ...state.lastSequence, [key]: Math.max(state.lastSequence[key] ?? 0, event.sequence) },
      };
    }
    case 'ticketCalled': {
      const called = withTicket(state, event.ticketId, (t) => ({
        ...omit(t, 'targetCounterId'),
        status: 'called',
        counterId: event.counterId,
        calledAt: t.calledAt ?? event.at,
        lastCalledAt: event.at,
        callCount: t.callCount + 1,
        recallCount: 0,
      }));
      return withCounter(called, event.counterId, (c) => ({
        ...fairnessAfterCall(c, event.mode, event.callClass),
        state: { status: 'serving', ticketId: event.ticketId },
      }));
    }
    case 'ticketRecalled':
      return withTicket(state, event.ticketId, (t) => ({
        ...t,
        lastCalledAt: event.at,
        callCount: t.callCount + 1,
        recallCount: (t.recallCount ?? 0) + 1,
      }));
    case 'ticketMissed':
      return releaseCounterOf(
        withTicket(state, event.ticketId, (t) => ({ ...t, status: 'missed', missedAt: event.at })),
        event.ticketId,
      );
    case 'ticketTransferred': {
      const moved = withTicket(state, event.ticketId, (t) => ({
        ...omit(t, 'counterId', 'targetCounterId', 'servingStartedAt'),
        status: 'waiting',
        queueId: event.toQueueId,
        serviceIds: event.serviceIds,
        recallCount: 0,
        ...(event.toCounterId === undefined ? {} : { targetCounterId: event.toCounterId }),
      }));
      return withCounter(moved, event.fromCounterId, (c) => ({ ...c, state: { status: 'open' } }));
    }
    case 'serviceAdded':
      return withTicket(state, event.ticketId, (t) => ({ ...t, serviceIds: [...t.serviceIds, event.serviceId] }));
    case 'servingStarted':
      return withTicket(state, event.ticketId, (t) => ({ ...t, status: 'serving', servingStartedAt: event.at }));
    case 'ticketFinished':
      return releaseCounterOf(
        withTicket(state, event.ticketId, (t) => ({ ...t, status: 'finished', finishedAt: event.at })),
        event.ticketId,
      );
    case 'ticketCancelled':
      return releaseCounterOf(
        withTicket(state, event.ticketId, (t) => ({ ...t, status: 'cancelled', cancelledAt: event.at })),
        event.ticketId,
      );
    case 'counterOpened':
      // A new session starts its fairness count afresh.
      return withCounter(state, event.counterId, () => ({ state: { status: 'open' } }));
    case 'counterClosed':
      return withCounter(state, event.counterId, (c) => ({ ...c, state: { status: 'closed' } }));
    case 'counterPaused':
      return withCounter(state, event.counterId, (c) => ({ ...c, state: { status: 'paused', reason: event.reason } }));
    case 'counterResumed':
      return withCounter(state, event.counterId, (c) => ({ ...c, state: { status: 'open' } }));
  }
}

export function applyEvents(state: QueueState, events: readonly QueueEvent[]): QueueState {
  return events.reduce(applyEvent, state);
}

/** Entities an event changes, so a sync layer can emit one row per touched ticket or counter. */
export function touchedBy(event: QueueEvent, before: QueueState): { ticketIds: string[]; counterIds: string[] } {
  switch (event.type) {
    case 'ticketIssued':
      return { ticketIds: [event.ticket.id], counterIds: [] };
    case 'ticketCalled':
    case 'ticketRecalled':
    case 'servingStarted':
      return { ticketIds: [event.ticketId], counterIds: [event.counterId] };
    case 'ticketTransferred':
      return { ticketIds: [event.ticketId], counterIds: [event.fromCounterId] };
    case 'serviceAdded':
      return { ticketIds: [event.ticketId], counterIds: [] };
    case 'ticketMissed':
    case 'ticketFinished':
    case 'ticketCancelled': {
      const holders = Object.entries(before.counters)
        .filter(([, c]) => c.state.status === 'serving' && c.state.ticketId === event.ticketId)
        .map(([id]) => id);
      return { ticketIds: [event.ticketId], counterIds: holders };
    }
    case 'counterOpened':
    case 'counterClosed':
    case 'counterPaused':
    case 'counterResumed':
      return { ticketIds: [], counterIds: [event.counterId] };
  }
}
