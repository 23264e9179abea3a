import type { Ticket } from '../domain/index';
import type { QueueContext, SetupCounter } from './setup';
import { findCounter } from './setup';
import type { QueueState } from './state';
import { counterRuntime, heldTicket } from './state';
import { localDay, toEpochMs, toTimestamp } from './clock';
import type { Decision } from './rejections';
import { reject } from './rejections';

/** What every command handler reads: the state and the instant in the forms it needs. */
export interface CommandEnv {
  state: QueueState;
  ctx: QueueContext;
  nowMs: number;
  at: string;
  today: string;
}

export function commandEnv(state: QueueState, ctx: QueueContext): CommandEnv {
  const nowMs = toEpochMs(ctx.now);
  return { state, ctx, nowMs, at: toTimestamp(nowMs), today: localDay(nowMs, ctx.setup.timeZone) };
}

type Found<T> = { ok: true; value: T } | { ok: false; decision: Decision };

export function requireCounter(env: CommandEnv, counterId: string): Found<SetupCounter> {
  const counter = findCounter(env.ctx.setup, counterId);
  return counter === undefined
    ? { ok: false, decision: reject('unknown_counter', `counter ${counterId} is not configured in this hall`) }
    : { ok: true, value: counter };
}

/** A counter that may take a new ticket: open and holding none. A paused or closed one never does. */
export function requireIdleCounter(env: CommandEnv, counterId: string): Found<SetupCounter> {
  const found = requireCounter(env, counterId);
  if (!found.ok) return found;
  const status = counterRuntime(env.state, counterId).state;
  switch (status.status) {
    case 'open':
      return found;
    case 'closed':
      return { ok: false, decision: reject('counter_closed', `counter ${found.value.number} is closed`) };
    case 'paused':
      return { ok: false, decision: reject('counter_paused', `counter ${found.value.number} is paused`) };
    case 'serving':
      return { ok: false, decision: reject('counter_busy', `counter ${found.value.number} still holds a ticket`) };
  }
}

/** The ticket a counter holds; `expectedTicketId` is a station's view that must still be true. */
export function requireHeldTicket(env: CommandEnv, counterId: string, expectedTicketId?: string): Found<Ticket> {
  const found = requireCounter(env, counterId);
  if (!found.ok) return found;
  const ticket = heldTicket(env.state, counterId);
  if (ticket === undefined) {
    return { ok: false, decision: reject('no_current_ticket', `counter ${found.value.number} holds no ticket`) };
  }
  if (expectedTicketId !== undefined && expectedTicketId !== ticket.id) {
    return {
      ok: false,
      decision: reject('ticket_not_at_counter', `counter ${found.value.number} now holds ${ticket.number}, not the ticket named`),
    };
  }
  return { ok: true, value: ticket };
}

export function requireTicket(env: CommandEnv, ticketId: string): Found<Ticket> {
  const ticket = env.state.tickets[ticketId];
  return ticket === undefined
    ? { ok: false, decision: reject('unknown_ticket', `ticket ${ticketId} does not exist`) }
    : { ok: true, value: ticket };
}

export function secondsSince(env: CommandEnv, timestamp: string | undefined): number {
  return timestamp === undefined ? Number.POSITIVE_INFINITY : (env.nowMs - toEpochMs(timestamp)) / 1000;
}
