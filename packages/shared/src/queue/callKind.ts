import type { Ticket } from '../domain/index';
import type { AnnouncementKind } from '../format/ticket';

/**
 * The one definition of a recall (重呼): the counter called the ticket again since its latest
 * call. A re-call after 过号 or the first call after a transfer is a new call (the engine
 * restarts `recallCount` there), although `callCount` keeps counting every call, so
 * `callCount > 1` is not a recall. The wall, its voice and the LAN call feed all ask here.
 */
export function isRecall(ticket: Pick<Ticket, 'recallCount'>): boolean {
  return (ticket.recallCount ?? 0) > 0;
}

/** How the latest call of a ticket is announced. */
export function callKindOf(ticket: Pick<Ticket, 'recallCount'>): AnnouncementKind {
  return isRecall(ticket) ? 'recall' : 'call';
}
