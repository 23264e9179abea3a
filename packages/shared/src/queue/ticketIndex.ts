import type { Ticket } from '../domain/index';

/**
 * What the engine otherwise finds by scanning every ticket the state holds (all days):
 * numbers used per day, tickets per service per day (daily caps), and the waiting
 * tickets (call next). A holder that changes tickets in place (the sync layer's hall
 * state) keeps it current with `reindexTicket` and passes it in QueueContext.index;
 * without one the engine scans, with the same answers.
 */
export interface TicketIndex {
  /** `day|number` → tickets holding it (more than one only in a corrupt log). */
  numbers: Map<string, number>;
  /** `day|serviceId` → tickets of that day naming the service, in any status. */
  perService: Map<string, number>;
  /** Ids of tickets with status waiting, any day. */
  waiting: Set<string>;
}

export function emptyTicketIndex(): TicketIndex {
  return { numbers: new Map(), perService: new Map(), waiting: new Set() };
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

function count(index: TicketIndex, ticket: Ticket, by: 1 | -1): void {
  bump(index.numbers, `${ticket.day}|${ticket.number}`, by);
  for (const serviceId of new Set(ticket.serviceIds)) bump(index.perService, `${ticket.day}|${serviceId}`, by);
  if (by === 1 && ticket.status === 'waiting') index.waiting.add(ticket.id);
  if (by === -1) index.waiting.delete(ticket.id);
}

/** Records that `before` (absent for a new ticket) was replaced by `after`. */
export function reindexTicket(index: TicketIndex, before: Ticket | undefined, after: Ticket): void {
  if (before !== undefined) count(index, before, -1);
  count(index, after, 1);
}

export function buildTicketIndex(tickets: Readonly<Record<string, Ticket>>): TicketIndex {
  const index = emptyTicketIndex();
  for (const ticket of Object.values(tickets)) count(index, ticket, 1);
  return index;
}

export function copyTicketIndex(index: TicketIndex): TicketIndex {
  return { numbers: new Map(index.numbers), perService: new Map(index.perService), waiting: new Set(index.waiting) };
}
