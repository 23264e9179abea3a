import type { QueueCommandOf } from './commands';
import type { CommandEnv } from './env';
import { requireCounter, requireHeldTicket, requireTicket } from './env';
import { checkDailyCaps } from './issue';
import type { Decision } from './rejections';
import { accept, reject } from './rejections';
import { findQueue, queueOffersService } from './setup';
import { heldTicket } from './state';

export function startServing(env: CommandEnv, command: QueueCommandOf<'startServing'>): Decision {
  const held = requireHeldTicket(env, command.counterId, command.ticketId);
  if (!held.ok) return held.decision;
  if (held.value.status !== 'called') return reject('ticket_not_called', `ticket ${held.value.number} is already being served`);
  return accept({ type: 'servingStarted', ticketId: held.value.id, counterId: command.counterId, at: env.at });
}

export function finish(env: CommandEnv, command: QueueCommandOf<'finish'>): Decision {
  const held = requireHeldTicket(env, command.counterId, command.ticketId);
  if (!held.ok) return held.decision;
  if (held.value.status !== 'serving') {
    return reject('ticket_not_serving', `ticket ${held.value.number} has been called but service has not started`);
  }
  return accept({ type: 'ticketFinished', ticketId: held.value.id, counterId: command.counterId, at: env.at });
}

/**
 * 票号转移: the counter's ticket waits again, for another counter (only it may call the
 * ticket, ahead of its own queue) or in another queue, with its original queue time.
 */
export function transfer(env: CommandEnv, command: QueueCommandOf<'transfer'>): Decision {
  const held = requireHeldTicket(env, command.counterId, command.ticketId);
  if (!held.ok) return held.decision;
  const ticket = held.value;
  if (command.toCounterId !== undefined) {
    if (command.toCounterId === command.counterId) return reject('transfer_to_same_counter', 'a ticket cannot be transferred to the counter that holds it');
    const target = requireCounter(env, command.toCounterId);
    if (!target.ok) return target.decision;
  }
  const toQueueId = command.toQueueId ?? ticket.queueId;
  const queue = findQueue(env.ctx.setup, toQueueId);
  if (queue === undefined) return reject('unknown_queue', `queue ${toQueueId} does not exist`);
  const serviceIds = command.serviceIds ?? ticket.serviceIds;
  if (command.toQueueId !== undefined) {
    const foreign = serviceIds.find((s) => !queueOffersService(env.ctx.setup, queue, s));
    if (foreign !== undefined) {
      return reject('service_not_in_queue', `service ${foreign} is not handled by queue ${queue.prefix}; name the services for it`);
    }
  }
  return accept({
    type: 'ticketTransferred',
    ticketId: ticket.id,
    fromCounterId: command.counterId,
    toQueueId,
    ...(command.toCounterId === undefined ? {} : { toCounterId: command.toCounterId }),
    serviceIds: [...new Set(serviceIds)],
    at: env.at,
  });
}

/** 一号联办: another matter on a live ticket; each counts as a virtual ticket for the clerk. */
export function addService(env: CommandEnv, command: QueueCommandOf<'addService'>): Decision {
  const found = requireTicket(env, command.ticketId);
  if (!found.ok) return found.decision;
  const ticket = found.value;
  if (ticket.status !== 'waiting' && ticket.status !== 'called' && ticket.status !== 'serving') {
    return reject('ticket_closed', `ticket ${ticket.number} is ${ticket.status}`);
  }
  if (ticket.serviceIds.includes(command.serviceId)) {
    return reject('service_already_on_ticket', `service ${command.serviceId} is already on ticket ${ticket.number}`);
  }
  if (!env.ctx.setup.services.some((s) => s.id === command.serviceId)) {
    return reject('unknown_service', `service ${command.serviceId} does not exist`);
  }
  const holder = Object.entries(env.state.counters).find(
    ([id]) => heldTicket(env.state, id)?.id === ticket.id,
  )?.[0];
  // A waiting ticket is called by its queue's counters, so its matters must belong there.
  const queue = findQueue(env.ctx.setup, ticket.queueId);
  if (holder === undefined && (queue === undefined || !queueOffersService(env.ctx.setup, queue, command.serviceId))) {
    return reject('service_not_in_queue', `service ${command.serviceId} is not handled by the queue of ticket ${ticket.number}`);
  }
  const capped = checkDailyCaps(env, [command.serviceId]);
  if (capped !== undefined) return capped;
  return accept({
    type: 'serviceAdded',
    ticketId: ticket.id,
    serviceId: command.serviceId,
    ...(holder === undefined ? {} : { counterId: holder }),
    at: env.at,
  });
}

/** A citizen leaving: waiting, missed or called tickets; one being served is finished instead. */
export function cancelTicket(env: CommandEnv, command: QueueCommandOf<'cancelTicket'>): Decision {
  const found = requireTicket(env, command.ticketId);
  if (!found.ok) return found.decision;
  const ticket = found.value;
  if (ticket.status === 'serving') return reject('ticket_not_serving', `ticket ${ticket.number} is being served; finish it instead`);
  if (ticket.status === 'finished' || ticket.status === 'cancelled') {
    return reject('ticket_closed', `ticket ${ticket.number} is already ${ticket.status}`);
  }
  const holder = ticket.status === 'called' ? ticket.counterId : undefined;
  return accept({ type: 'ticketCancelled', ticketId: ticket.id, ...(holder === undefined ? {} : { counterId: holder }), at: env.at });
}
