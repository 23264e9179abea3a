import type { CitizenRef, Ticket } from '../domain/index';
import { virtualTicketNumber } from '../format/ticket';
import { queueOffersService, type QueueSetup, type SetupQueue } from './setup';

/** One matter of a ticket (一号联办) as the slip, the kiosk and the counter show it. */
export interface TicketMatter {
  serviceId: string;
  /** 主从号: the ticket's number for its first matter, A023-2, A023-3 … for the others. */
  number: string;
  /** Who the matter is for: the family member named for it, else the ticket's citizen. */
  citizen?: CitizenRef;
}

/** The citizen a matter of the ticket is for (a case opened for it belongs to them). */
export function matterCitizen(ticket: Pick<Ticket, 'citizen' | 'matterCitizens'>, serviceId: string): CitizenRef | undefined {
  return ticket.matterCitizens?.[serviceId] ?? ticket.citizen;
}

export function ticketMatters(ticket: Pick<Ticket, 'number' | 'serviceIds' | 'citizen' | 'matterCitizens'>): TicketMatter[] {
  return ticket.serviceIds.map((serviceId, index) => {
    const citizen = matterCitizen(ticket, serviceId);
    return { serviceId, number: virtualTicketNumber(ticket.number, index), ...(citizen === undefined ? {} : { citizen }) };
  });
}

/**
 * Whether a further matter can share the ticket of the first: one ticket is called by one
 * queue's counters, so every matter must be one that queue serves (the engine refuses others
 * with service_not_in_queue). Otherwise the citizen needs a separate ticket.
 */
export function matterSharesTicket(
  setup: Pick<QueueSetup, 'services'> & { queues: readonly Pick<SetupQueue, 'id' | 'serviceIds'>[] },
  firstServiceId: string,
  serviceId: string,
): boolean {
  const queueId = setup.services.find((s) => s.id === firstServiceId)?.queueId;
  const queue = setup.queues.find((q) => q.id === queueId);
  return queue !== undefined && queueOffersService(setup, queue, serviceId);
}
