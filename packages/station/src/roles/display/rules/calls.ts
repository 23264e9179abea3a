import { callKindOf, type Catalogue, type DisplayCall, type Ticket } from '@hall/shared';

/** One call has one key on every path: the ticket and the instant of that call or recall. */
export function callKey(ticketId: string, calledAt: string): string {
  return `${ticketId}@${Date.parse(calledAt)}`;
}

/** The call a synced ticket carries, if it was ever called by a counter. */
export function callOfTicket(ticket: Ticket, counterNumber: (counterId: string) => string | undefined): DisplayCall | undefined {
  if (ticket.lastCalledAt === undefined || ticket.counterId === undefined) return undefined;
  const number = counterNumber(ticket.counterId);
  if (number === undefined) return undefined;
  return {
    key: callKey(ticket.id, ticket.lastCalledAt),
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    counterId: ticket.counterId,
    counterNumber: number,
    kind: callKindOf(ticket),
    calledAt: ticket.lastCalledAt,
    source: 'sync',
  };
}

/**
 * A call is a 咨询号 by its ticket's kind, or, while a LAN call is ahead of the ticket
 * itself, by its letter being a queue's consultation letter (letters are unique per hall).
 */
export function isConsultation(kind: Ticket['kind'] | undefined, ticketNumber: string, catalogue: Catalogue | undefined): boolean {
  if (kind !== undefined) return kind === 'consultation';
  const letter = ticketNumber.charAt(0);
  return catalogue?.queues.some((q) => q.consultationPrefix === letter) ?? false;
}
