import type { Case, CounterState, Ticket } from '../domain/index';
import type { Change } from './change';

/**
 * The hall's live data as both sides hold it: the server for the whole hall, a station as
 * its cached copy. Changes are whole-entity upserts, so applying one is idempotent.
 */
export interface HallState {
  tickets: Map<string, Ticket>;
  counterStates: Map<string, CounterState>;
  cases: Map<string, Case>;
}

export function emptyHallState(): HallState {
  return { tickets: new Map(), counterStates: new Map(), cases: new Map() };
}

/** Shallow copy: entity objects are shared and never mutated in place. */
export function copyHallState(state: HallState): HallState {
  return {
    tickets: new Map(state.tickets),
    counterStates: new Map(state.counterStates),
    cases: new Map(state.cases),
  };
}

export function applyChange(state: HallState, change: Change): void {
  switch (change.entity) {
    case 'ticket':
      state.tickets.set(change.id, change.data);
      return;
    case 'counterState':
      state.counterStates.set(change.id, change.data);
      return;
    case 'case':
      state.cases.set(change.id, change.data);
      return;
  }
}

export function changeKey(change: Pick<Change, 'entity' | 'id'>): string {
  return `${change.entity}:${change.id}`;
}
