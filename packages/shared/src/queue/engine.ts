import type { QueueCommand } from './commands';
import { commandEnv } from './env';
import type { QueueEvent } from './events';
import { applyEvents } from './events';
import { callNext, callSpecific, markMissed, recall } from './calling';
import { counterCommand } from './counters';
import { checkIn, issueTicket } from './issue';
import { addService, cancelTicket, finish, startServing, transfer } from './lifecycle';
import type { Decision, QueueRejection } from './rejections';
import type { QueueContext } from './setup';
import type { QueueState } from './state';

export type QueueResult =
  | { ok: true; events: QueueEvent[]; state: QueueState }
  | { ok: false; rejection: QueueRejection };

/** The events a command produces, without applying them. */
export function decideQueueCommand(state: QueueState, command: QueueCommand, ctx: QueueContext): Decision {
  const env = commandEnv(state, ctx);
  switch (command.type) {
    case 'issueTicket':
      return issueTicket(env, command);
    case 'checkIn':
      return checkIn(env, command);
    case 'callNext':
      return callNext(env, command);
    case 'callSpecific':
      return callSpecific(env, command);
    case 'recall':
      return recall(env, command);
    case 'markMissed':
      return markMissed(env, command);
    case 'startServing':
      return startServing(env, command);
    case 'finish':
      return finish(env, command);
    case 'transfer':
      return transfer(env, command);
    case 'addService':
      return addService(env, command);
    case 'cancelTicket':
      return cancelTicket(env, command);
    case 'openCounter':
    case 'closeCounter':
    case 'pauseCounter':
    case 'resumeCounter':
      return counterCommand(env, command);
  }
}

/**
 * `(state, command, context) → events + state`, or a typed rejection for what a hall
 * expects to go wrong. The state given is never modified.
 */
export function handleQueueCommand(state: QueueState, command: QueueCommand, ctx: QueueContext): QueueResult {
  const decision = decideQueueCommand(state, command, ctx);
  if (!decision.ok) return decision;
  return { ok: true, events: decision.events, state: applyEvents(state, decision.events) };
}
