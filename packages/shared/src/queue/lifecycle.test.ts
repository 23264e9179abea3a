import { describe, expect, it } from 'vitest';
import { emptyQueueState } from './state';
import { TestHall } from './testHall';

function hallWithTicketAtCounter() {
  const hall = new TestHall(emptyQueueState());
  for (const counterId of ['c1', 'c2', 'c3', 'c4']) hall.do({ type: 'openCounter', counterId });
  hall.do({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
  hall.advance(60);
  hall.do({ type: 'issueTicket', ticketId: 't2', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
  hall.advance(60);
  hall.do({ type: 'callNext', counterId: 'c1' });
  return hall;
}

describe('serving and finishing', () => {
  it('serves then finishes, freeing the counter', () => {
    const hall = hallWithTicketAtCounter();
    expect(hall.try({ type: 'finish', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'ticket_not_serving' } });
    hall.do({ type: 'startServing', counterId: 'c1', ticketId: 't1' });
    expect(hall.try({ type: 'startServing', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'ticket_not_called' } });
    hall.advance(300);
    hall.do({ type: 'finish', counterId: 'c1' });
    expect(hall.state.tickets.t1).toMatchObject({
      status: 'finished',
      counterId: 'c1',
      servingStartedAt: '2026-03-02T01:02:00.000Z',
      finishedAt: '2026-03-02T01:07:00.000Z',
    });
    expect(hall.state.counters.c1?.state).toEqual({ status: 'open' });
  });

  it('refuses a command naming a ticket the counter no longer holds', () => {
    const hall = hallWithTicketAtCounter();
    expect(hall.try({ type: 'startServing', counterId: 'c1', ticketId: 't2' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_at_counter' },
    });
  });
});

describe('transfer (票号转移)', () => {
  it('sends the ticket to another counter, which calls it ahead of its queue', () => {
    const hall = hallWithTicketAtCounter();
    hall.do({ type: 'startServing', counterId: 'c1' });
    hall.do({ type: 'transfer', counterId: 'c1', toCounterId: 'c2' });
    expect(hall.state.tickets.t1).toMatchObject({ status: 'waiting', targetCounterId: 'c2', queuedAt: '2026-03-02T01:00:00.000Z' });
    expect(hall.state.tickets.t1?.counterId).toBeUndefined();
    expect(hall.state.tickets.t1?.servingStartedAt).toBeUndefined();
    expect(hall.state.counters.c1?.state).toEqual({ status: 'open' });
    // Counter 1 cannot call it back; counter 2 (hz2 only) gets it although it does not serve hz1.
    expect(hall.do({ type: 'callNext', counterId: 'c1' })).toMatchObject([{ ticketId: 't2' }]);
    expect(hall.do({ type: 'callNext', counterId: 'c2' })).toMatchObject([{ ticketId: 't1', callClass: 'targeted' }]);
    expect(hall.state.tickets.t1?.targetCounterId).toBeUndefined();
  });

  it('lets a counter of the queue take a ticket stranded at a closed target counter by calling it specifically', () => {
    const hall = hallWithTicketAtCounter();
    hall.do({ type: 'transfer', counterId: 'c1', toCounterId: 'c2' });
    hall.do({ type: 'closeCounter', counterId: 'c2' });
    hall.do({ type: 'callNext', counterId: 'c4' });
    expect(hall.state.tickets.t2?.status).toBe('called');
    expect(hall.try({ type: 'callSpecific', counterId: 'c3', ticketId: 't1' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_callable' },
    });
    expect(hall.do({ type: 'callSpecific', counterId: 'c1', ticketId: 't1' })).toMatchObject([
      { type: 'ticketCalled', mode: 'specific', callClass: 'targeted' },
    ]);
    expect(hall.state.tickets.t1).toMatchObject({ status: 'called', counterId: 'c1' });
    expect(hall.state.tickets.t1?.targetCounterId).toBeUndefined();
  });

  it('moves the ticket into another queue with new services, keeping its number and queue time', () => {
    const hall = hallWithTicketAtCounter();
    hall.do({ type: 'issueTicket', ticketId: 'b1', queueId: 'qb', serviceIds: ['crj1'], kind: 'walk_in' });
    expect(hall.try({ type: 'transfer', counterId: 'c1', toQueueId: 'qb' })).toMatchObject({
      ok: false,
      rejection: { code: 'service_not_in_queue' },
    });
    hall.do({ type: 'transfer', counterId: 'c1', toQueueId: 'qb', serviceIds: ['crj1'] });
    expect(hall.state.tickets.t1).toMatchObject({ queueId: 'qb', serviceIds: ['crj1'], number: 'A001', status: 'waiting' });
    // Issued at 09:00, it goes before B001 issued at 09:02.
    expect(hall.do({ type: 'callNext', counterId: 'c3' })).toMatchObject([{ ticketId: 't1' }]);
  });

  it('refuses transfers to the same counter, to unknown places, or without a ticket', () => {
    const hall = hallWithTicketAtCounter();
    expect(hall.try({ type: 'transfer', counterId: 'c1', toCounterId: 'c1' })).toMatchObject({
      ok: false,
      rejection: { code: 'transfer_to_same_counter' },
    });
    expect(hall.try({ type: 'transfer', counterId: 'c1', toCounterId: 'c9' })).toMatchObject({
      ok: false,
      rejection: { code: 'unknown_counter' },
    });
    expect(hall.try({ type: 'transfer', counterId: 'c1', toQueueId: 'qz' })).toMatchObject({
      ok: false,
      rejection: { code: 'unknown_queue' },
    });
    expect(hall.try({ type: 'transfer', counterId: 'c2', toQueueId: 'qb' })).toMatchObject({
      ok: false,
      rejection: { code: 'no_current_ticket' },
    });
  });
});

describe('multi-matter tickets (一号联办)', () => {
  it('adds matters to a ticket at the counter or still waiting in its queue', () => {
    const hall = hallWithTicketAtCounter();
    hall.do({ type: 'addService', ticketId: 't1', serviceId: 'crj1' });
    expect(hall.events.at(-1)).toMatchObject({ type: 'serviceAdded', counterId: 'c1' });
    expect(hall.state.tickets.t1?.serviceIds).toEqual(['hz1', 'crj1']);
    expect(hall.try({ type: 'addService', ticketId: 't1', serviceId: 'crj1' })).toMatchObject({
      ok: false,
      rejection: { code: 'service_already_on_ticket' },
    });
    expect(hall.try({ type: 'addService', ticketId: 't2', serviceId: 'crj1' })).toMatchObject({
      ok: false,
      rejection: { code: 'service_not_in_queue' },
    });
    hall.do({ type: 'addService', ticketId: 't2', serviceId: 'hz2' });
    expect(hall.state.tickets.t2?.serviceIds).toEqual(['hz1', 'hz2']);
  });

  it('counts added matters against the daily cap', () => {
    const hall = hallWithTicketAtCounter();
    for (const id of ['x1', 'x2', 'x3']) hall.do({ type: 'issueTicket', ticketId: id, queueId: 'qa', serviceIds: ['hz2'], kind: 'walk_in' });
    expect(hall.try({ type: 'addService', ticketId: 't2', serviceId: 'hz2' })).toMatchObject({
      ok: false,
      rejection: { code: 'daily_cap_reached' },
    });
  });
});

describe('cancel', () => {
  it('cancels waiting and called tickets, freeing the counter, but not one being served or done', () => {
    const hall = hallWithTicketAtCounter();
    hall.do({ type: 'cancelTicket', ticketId: 't2' });
    hall.do({ type: 'cancelTicket', ticketId: 't1' });
    expect(hall.state.counters.c1?.state).toEqual({ status: 'open' });
    expect(hall.state.tickets.t1).toMatchObject({ status: 'cancelled', cancelledAt: '2026-03-02T01:02:00.000Z' });
    expect(hall.try({ type: 'cancelTicket', ticketId: 't1' })).toMatchObject({ ok: false, rejection: { code: 'ticket_closed' } });
    expect(hall.try({ type: 'cancelTicket', ticketId: 'zz' })).toMatchObject({ ok: false, rejection: { code: 'unknown_ticket' } });
    hall.do({ type: 'issueTicket', ticketId: 't3', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
    hall.do({ type: 'callNext', counterId: 'c1' });
    hall.do({ type: 'startServing', counterId: 'c1' });
    expect(hall.try({ type: 'cancelTicket', ticketId: 't3' })).toMatchObject({ ok: false, rejection: { code: 'ticket_not_serving' } });
  });
});

describe('counter states', () => {
  it('opens, pauses with a reason, resumes and closes', () => {
    const hall = new TestHall(emptyQueueState());
    expect(hall.state.counters.c1).toBeUndefined();
    expect(hall.try({ type: 'pauseCounter', counterId: 'c1', reason: '系统维护' })).toMatchObject({
      ok: false,
      rejection: { code: 'counter_closed' },
    });
    hall.do({ type: 'openCounter', counterId: 'c1' });
    expect(hall.try({ type: 'openCounter', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'counter_already_open' } });
    hall.do({ type: 'pauseCounter', counterId: 'c1', reason: '系统维护' });
    expect(hall.state.counters.c1?.state).toEqual({ status: 'paused', reason: '系统维护' });
    expect(hall.try({ type: 'openCounter', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'counter_paused' } });
    hall.do({ type: 'resumeCounter', counterId: 'c1' });
    expect(hall.try({ type: 'resumeCounter', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'counter_not_paused' } });
    hall.do({ type: 'closeCounter', counterId: 'c1' });
    expect(hall.state.counters.c1?.state).toEqual({ status: 'closed' });
  });

  it('will not pause or close a counter that holds a ticket', () => {
    const hall = hallWithTicketAtCounter();
    expect(hall.try({ type: 'pauseCounter', counterId: 'c1', reason: '午休' })).toMatchObject({
      ok: false,
      rejection: { code: 'counter_busy' },
    });
    expect(hall.try({ type: 'closeCounter', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'counter_busy' } });
  });
});
