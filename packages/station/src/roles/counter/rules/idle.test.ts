import { emptyHallState, type CounterState, type HallState, type Ticket } from '@hall/shared';
import { describe, expect, it } from 'vitest';
import { waitingTicket } from '../../../testing/hall';
import { counterIdle } from './idle';

const NOW = Date.parse('2026-03-02T02:00:00.000Z');

function hall(ticket: Partial<Ticket>, counterState: CounterState = { status: 'open' }): HallState {
  const state = emptyHallState();
  state.queue.tickets.t1 = { ...waitingTicket(1, NOW), ...ticket };
  state.queue.counters.c1 = { state: counterState };
  return state;
}

describe('counterIdle', () => {
  it('is idle with nobody signed in and no ticket at the counter', () => {
    expect(counterIdle(false, hall({}), 'c1')).toBe(true);
    expect(counterIdle(false, hall({ status: 'finished', counterId: 'c1' }), 'c1')).toBe(true);
    expect(counterIdle(false, hall({ status: 'called', counterId: 'c2' }), 'c1')).toBe(true);
  });

  it('is busy while a clerk is signed in, even between citizens', () => {
    expect(counterIdle(true, hall({}), 'c1')).toBe(false);
  });

  it('is busy while a ticket is called to or served at this counter', () => {
    expect(counterIdle(false, hall({ status: 'called', counterId: 'c1' }), 'c1')).toBe(false);
    expect(counterIdle(false, hall({ status: 'serving', counterId: 'c1' }), 'c1')).toBe(false);
    expect(counterIdle(false, hall({}, { status: 'serving', ticketId: 't1' }), 'c1')).toBe(false);
  });
});
