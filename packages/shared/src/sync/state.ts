import type { Case } from '../domain/index';
import { emptyQueueState, type QueueState } from '../queue/state';
import { copyTicketIndex, emptyTicketIndex, reindexTicket, type TicketIndex } from '../queue/ticketIndex';
import type { Change } from './change';

/**
 * The hall's live data as both sides hold it: the server for the whole hall, a station as
 * its cached copy. `queue` is exactly the queue engine's state, so the engine decides on
 * it directly. Changes are whole-entity upserts, so applying one is idempotent.
 *
 * Unlike the engine's immutable events, sync applies rows in place: copying every ticket
 * of the day for each mutation would make a busy hall's commits grow with the queue.
 */
export interface HallState {
  queue: QueueState;
  cases: Record<string, Case>;
  /** Kept current by applyChange, so deciding a command does not scan the day's tickets. */
  index?: TicketIndex;
}

export function emptyHallState(): HallState {
  return { queue: emptyQueueState(), cases: {}, index: emptyTicketIndex() };
}

/** Copy deep enough that applying changes to the copy never touches the original. */
export function copyHallState(state: HallState): HallState {
  return {
    queue: {
      tickets: { ...state.queue.tickets },
      counters: { ...state.queue.counters },
      lastSequence: { ...state.queue.lastSequence },
    },
    cases: { ...state.cases },
    ...(state.index === undefined ? {} : { index: copyTicketIndex(state.index) }),
  };
}

export function applyChange(state: HallState, change: Change): void {
  switch (change.entity) {
    case 'ticket': {
      if (state.index) reindexTicket(state.index, state.queue.tickets[change.id], change.data);
      state.queue.tickets[change.id] = change.data;
      // The engine numbers from the highest sequence used; keep it consistent with the rows.
      const sequence = Number(/\d+$/.exec(change.data.number)?.[0] ?? '0');
      const key = `${change.data.queueId}|${change.data.day}`;
      if ((state.queue.lastSequence[key] ?? 0) < sequence) state.queue.lastSequence[key] = sequence;
      return;
    }
    case 'counter':
      state.queue.counters[change.id] = change.data;
      return;
    case 'case':
      state.cases[change.id] = change.data;
      return;
  }
}

export function changeKey(change: Pick<Change, 'entity' | 'id'>): string {
  return `${change.entity}:${change.id}`;
}
