import type { QueueCommandOf } from './commands';
import type { CommandEnv } from './env';
import { requireHeldTicket, requireIdleCounter, requireTicket, secondsSince } from './env';
import { callCandidates, candidateAt, chooseCandidate } from './ordering';
import type { Decision } from './rejections';
import { accept, reject } from './rejections';
import { counterRuntime } from './state';

/** 顺呼: the engine's pick, or the station's own pick if it is still callable at this counter. */
export function callNext(env: CommandEnv, command: QueueCommandOf<'callNext'>): Decision {
  const found = requireIdleCounter(env, command.counterId);
  if (!found.ok) return found.decision;
  const counter = found.value;
  const { rules } = env.ctx;
  let pick;
  if (command.ticketId !== undefined) {
    const ticket = requireTicket(env, command.ticketId);
    if (!ticket.ok) return ticket.decision;
    pick = candidateAt(counter, ticket.value, env.today, env.nowMs, rules);
    if (pick === undefined) {
      return reject('ticket_not_callable', `ticket ${ticket.value.number} is not waiting for counter ${counter.number}`);
    }
  } else {
    const candidates = callCandidates(env.state, counter, env.today, env.nowMs, rules, env.ctx.index?.waiting);
    pick = chooseCandidate(candidates, counterRuntime(env.state, counter.id).normalsSincePriority, rules);
    if (pick === undefined) return reject('no_ticket_waiting', `no ticket is waiting for counter ${counter.number}`);
  }
  return accept({
    type: 'ticketCalled',
    ticketId: pick.ticket.id,
    counterId: counter.id,
    mode: 'next',
    callClass: pick.callClass,
    at: env.at,
  });
}

/** 特呼: any ticket waiting for this counter, or a missed one still inside the re-call window. */
export function callSpecific(env: CommandEnv, command: QueueCommandOf<'callSpecific'>): Decision {
  const found = requireIdleCounter(env, command.counterId);
  if (!found.ok) return found.decision;
  const counter = found.value;
  const ticketFound = requireTicket(env, command.ticketId);
  if (!ticketFound.ok) return ticketFound.decision;
  const ticket = ticketFound.value;
  if (ticket.status === 'missed') {
    const windowSeconds = env.ctx.rules.missedRecallWindowMinutes * 60;
    if (ticket.day !== env.today || secondsSince(env, ticket.missedAt) > windowSeconds) {
      return reject('missed_window_expired', `ticket ${ticket.number} was missed more than ${env.ctx.rules.missedRecallWindowMinutes} minutes ago`);
    }
    if (!counter.queueIds.includes(ticket.queueId)) {
      return reject('ticket_not_callable', `counter ${counter.number} does not serve the queue of ticket ${ticket.number}`);
    }
    return accept({ type: 'ticketCalled', ticketId: ticket.id, counterId: counter.id, mode: 'specific', callClass: 'normal', at: env.at });
  }
  const candidate = candidateAt(counter, ticket, env.today, env.nowMs, env.ctx.rules);
  // A ticket sent to a counter that then closed would be stranded: any counter of its queue may take it.
  const strandedTransfer =
    ticket.status === 'waiting' && ticket.day === env.today && ticket.targetCounterId !== undefined && counter.queueIds.includes(ticket.queueId);
  if (candidate === undefined && !strandedTransfer) {
    return reject('ticket_not_callable', `ticket ${ticket.number} is ${ticket.status} and not waiting for counter ${counter.number}`);
  }
  return accept({
    type: 'ticketCalled',
    ticketId: ticket.id,
    counterId: counter.id,
    mode: 'specific',
    callClass: candidate?.callClass ?? 'targeted',
    at: env.at,
  });
}

function requireCalled(env: CommandEnv, counterId: string, expectedTicketId: string | undefined) {
  const held = requireHeldTicket(env, counterId, expectedTicketId);
  if (!held.ok) return held;
  if (held.value.status !== 'called') {
    return { ok: false as const, decision: reject('ticket_not_called', `ticket ${held.value.number} is already being served`) };
  }
  return held;
}

/**
 * 重呼, spaced by the call countdown and the minimum between recalls. When the hall's
 * maximum of recalls is used up, the next recall marks the ticket missed (超过最大呼叫次数后,
 * 该票号自动跳过) and frees the counter.
 */
export function recall(env: CommandEnv, command: QueueCommandOf<'recall'>): Decision {
  const held = requireCalled(env, command.counterId, command.ticketId);
  if (!held.ok) return held.decision;
  const ticket = held.value;
  const { rules } = env.ctx;
  const wait = Math.max(rules.minSecondsBetweenRecalls, rules.callCountdownSeconds) - secondsSince(env, ticket.lastCalledAt);
  if (wait > 0) return reject('recall_too_soon', `ticket ${ticket.number} was called less than the minimum time ago`, Math.ceil(wait));
  if ((ticket.recallCount ?? 0) >= rules.maxRecalls) {
    return accept({ type: 'ticketMissed', ticketId: ticket.id, counterId: command.counterId, reason: 'recall_limit', at: env.at });
  }
  return accept({ type: 'ticketRecalled', ticketId: ticket.id, counterId: command.counterId, at: env.at });
}

/** 过号 by the clerk, once the countdown after the latest call has run out. */
export function markMissed(env: CommandEnv, command: QueueCommandOf<'markMissed'>): Decision {
  const held = requireCalled(env, command.counterId, command.ticketId);
  if (!held.ok) return held.decision;
  const ticket = held.value;
  const wait = env.ctx.rules.callCountdownSeconds - secondsSince(env, ticket.lastCalledAt);
  if (wait > 0) return reject('missed_too_soon', `ticket ${ticket.number} was called moments ago`, Math.ceil(wait));
  return accept({ type: 'ticketMissed', ticketId: ticket.id, counterId: command.counterId, reason: 'no_show', at: env.at });
}
