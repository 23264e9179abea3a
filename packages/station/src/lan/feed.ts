import type { CounterRuntime, Ticket } from '@hall/shared';
import type { StationCore } from '../core';
import type { LanCallSender } from './sender';

/**
 * Wires a counter station to the LAN call feed: every call or recall of this station's
 * counter, and every change of its state (open, paused with reason, closed), goes to the
 * displays as soon as it is committed locally. It listens to the store rather than to the
 * API handlers, so call pads, keyboard shortcuts and screen buttons are all covered, and a
 * pulled or rebased copy of an already-sent call (same call instant) is not sent again.
 */
export function attachLanCallFeed(core: StationCore, sender: LanCallSender): () => void {
  const counterId = core.identity.counterId;
  if (!counterId) throw new Error('the LAN call feed is sent by counter stations only');
  const counter = () => {
    const number = core.store.catalogue?.counters.find((c) => c.id === counterId)?.number;
    return number === undefined ? undefined : { id: counterId, number };
  };
  return core.store.onLiveChange((changes) => {
    const own = counter();
    if (!own) return;
    for (const { change, previous } of changes) {
      if (change.entity === 'ticket') {
        const before = previous as Ticket | undefined;
        const ticket = change.data;
        if (ticket.counterId === counterId && ticket.lastCalledAt !== undefined && ticket.lastCalledAt !== before?.lastCalledAt) {
          sender.sendCall(ticket, own);
        }
      } else if (change.entity === 'counter' && change.id === counterId) {
        const before = previous as CounterRuntime | undefined;
        const state = change.data.state;
        if (JSON.stringify(before?.state) === JSON.stringify(state)) continue;
        const serving = state.status === 'serving' ? core.store.live.queue.tickets[state.ticketId]?.number : undefined;
        sender.sendCounterState(own, state, serving);
      }
    }
  });
}
