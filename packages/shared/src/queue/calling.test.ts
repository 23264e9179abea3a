import { describe, expect, it } from 'vitest';
import type { QueueCommand } from './commands';
import { emptyQueueState } from './state';
import { TestHall, makeTestRules } from './testHall';

function hallWithOpen(counters: string[], rules = makeTestRules()) {
  const hall = new TestHall(emptyQueueState(), { rules });
  for (const counterId of counters) hall.do({ type: 'openCounter', counterId });
  return hall;
}

function issue(hall: TestHall, ticketId: string, extra: Partial<Extract<QueueCommand, { type: 'issueTicket' }>> = {}) {
  hall.do({ type: 'issueTicket', ticketId, queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', ...extra });
  hall.advance(60);
}

/** Calls next and finishes straight away; returns the ticket ids in call order. */
function callAll(hall: TestHall, counterId: string, count: number): string[] {
  const order: string[] = [];
  for (let i = 0; i < count; i++) {
    const [event] = hall.do({ type: 'callNext', counterId });
    if (event?.type !== 'ticketCalled') throw new Error('expected a call');
    order.push(event.ticketId);
    hall.do({ type: 'startServing', counterId });
    hall.advance(30);
    hall.do({ type: 'finish', counterId });
  }
  return order;
}

describe('call next (顺呼)', () => {
  it('calls first come first served within equal priority', () => {
    const hall = hallWithOpen(['c1']);
    for (const id of ['t1', 't2', 't3']) issue(hall, id);
    expect(callAll(hall, 'c1', 3)).toEqual(['t1', 't2', 't3']);
    expect(hall.try({ type: 'callNext', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'no_ticket_waiting' } });
  });

  it('follows the counter’s service priorities', () => {
    const hall = hallWithOpen(['c1', 'c2']);
    issue(hall, 't1', { serviceIds: ['hz2'] });
    issue(hall, 't2', { serviceIds: ['hz1'] });
    issue(hall, 't3', { serviceIds: ['hz2'] });
    // Counter 1 puts hz1 first; counter 2 serves hz2 only.
    expect(callAll(hall, 'c1', 1)).toEqual(['t2']);
    expect(callAll(hall, 'c2', 1)).toEqual(['t1']);
    expect(hall.try({ type: 'callNext', counterId: 'c3' })).toMatchObject({ ok: false, rejection: { code: 'counter_closed' } });
  });

  it('alternates priority and normal tickets by the fairness ratio, priority first', () => {
    const hall = hallWithOpen(['c1']);
    for (const id of ['n1', 'n2', 'n3', 'n4', 'n5']) issue(hall, id);
    for (const id of ['p1', 'p2', 'p3']) issue(hall, id, { priorityGroupId: 'elderly' });
    expect(callAll(hall, 'c1', 8)).toEqual(['p1', 'n1', 'n2', 'p2', 'n3', 'n4', 'p3', 'n5']);
  });

  it('calls whatever kind waits when only one does, and lets a newly arrived priority ticket go next', () => {
    const hall = hallWithOpen(['c1'], makeTestRules({ normalPerPriority: 3 }));
    for (const id of ['n1', 'n2']) issue(hall, id);
    expect(callAll(hall, 'c1', 2)).toEqual(['n1', 'n2']);
    issue(hall, 'n3');
    issue(hall, 'p1', { priorityGroupId: 'military' });
    expect(callAll(hall, 'c1', 2)).toEqual(['p1', 'n3']);
  });

  it('with a ratio of 0 always prefers priority tickets', () => {
    const hall = hallWithOpen(['c1'], makeTestRules({ normalPerPriority: 0 }));
    issue(hall, 'n1');
    issue(hall, 'p1', { priorityGroupId: 'elderly' });
    issue(hall, 'p2', { priorityGroupId: 'elderly' });
    expect(callAll(hall, 'c1', 3)).toEqual(['p1', 'p2', 'n1']);
  });

  it('ranks an on-time appointment like a priority ticket once its slot opens', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 'n1');
    issue(hall, 'n2');
    hall.do({
      type: 'checkIn',
      ticketId: 'ap',
      appointment: {
        id: 'a1',
        serviceId: 'hz1',
        date: '2026-03-02',
        slot: { from: '09:40', to: '10:00' },
        status: 'booked',
        citizen: { maskedName: '李*', idHash: 'b'.repeat(64) },
      },
    });
    hall.advance(60);
    // 09:03: the slot (opening 09:10 with 30 min early allowance) is not current yet.
    expect(callAll(hall, 'c1', 1)).toEqual(['n1']);
    hall.advance(10 * 60);
    expect(callAll(hall, 'c1', 1)).toEqual(['ap']);
  });

  it('calls tickets transferred to the counter before its own queue', () => {
    const hall = hallWithOpen(['c1', 'c3']);
    issue(hall, 'a1');
    issue(hall, 'b1', { queueId: 'qb', serviceIds: ['crj1'] });
    hall.do({ type: 'callNext', counterId: 'c3' });
    hall.do({ type: 'transfer', counterId: 'c3', toCounterId: 'c1' });
    expect(callAll(hall, 'c1', 2)).toEqual(['b1', 'a1']);
  });

  it('accepts a station’s own pick only if it may be called here', () => {
    const hall = hallWithOpen(['c1', 'c2']);
    issue(hall, 't1');
    issue(hall, 't2', { serviceIds: ['hz2'] });
    expect(hall.try({ type: 'callNext', counterId: 'c2', ticketId: 't1' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_callable' },
    });
    expect(hall.try({ type: 'callNext', counterId: 'c1', ticketId: 't2' })).toMatchObject({
      ok: true,
      events: [{ type: 'ticketCalled', ticketId: 't2', mode: 'next', callClass: 'normal' }],
    });
    // The first call wins: another counter calling the same ticket is told.
    expect(hall.try({ type: 'callNext', counterId: 'c2', ticketId: 't2' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_callable' },
    });
  });

  it('never gives a ticket to a paused, closed or busy counter', () => {
    const hall = hallWithOpen(['c1', 'c2']);
    issue(hall, 't1');
    issue(hall, 't2');
    hall.do({ type: 'pauseCounter', counterId: 'c2', reason: '午休' });
    expect(hall.try({ type: 'callNext', counterId: 'c2' })).toMatchObject({ ok: false, rejection: { code: 'counter_paused' } });
    expect(hall.try({ type: 'callSpecific', counterId: 'c2', ticketId: 't1' })).toMatchObject({
      ok: false,
      rejection: { code: 'counter_paused' },
    });
    hall.do({ type: 'callNext', counterId: 'c1' });
    expect(hall.try({ type: 'callNext', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'counter_busy' } });
    expect(hall.try({ type: 'callNext', counterId: 'nope' })).toMatchObject({ ok: false, rejection: { code: 'unknown_counter' } });
  });

  it('does not call a ticket of an earlier day', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 't1');
    hall.advance(86_400);
    expect(hall.try({ type: 'callNext', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'no_ticket_waiting' } });
  });
});

describe('recall (重呼), missed (过号) and call specific (特呼)', () => {
  it('spaces recalls and marks the ticket missed once the maximum is used up', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 't1');
    hall.do({ type: 'callNext', counterId: 'c1' });
    hall.advance(5);
    expect(hall.try({ type: 'recall', counterId: 'c1' })).toMatchObject({
      ok: false,
      rejection: { code: 'recall_too_soon', retryAfterSeconds: 15 },
    });
    hall.advance(15);
    expect(hall.do({ type: 'recall', counterId: 'c1' })).toMatchObject([{ type: 'ticketRecalled' }]);
    hall.advance(20);
    hall.do({ type: 'recall', counterId: 'c1' });
    expect(hall.state.tickets.t1).toMatchObject({ status: 'called', callCount: 3, recallCount: 2 });
    hall.advance(20);
    expect(hall.do({ type: 'recall', counterId: 'c1' })).toMatchObject([{ type: 'ticketMissed', reason: 'recall_limit' }]);
    expect(hall.state.tickets.t1).toMatchObject({ status: 'missed', missedAt: '2026-03-02T01:02:00.000Z' });
    expect(hall.state.counters.c1?.state).toEqual({ status: 'open' });
  });

  it('lets the clerk mark a ticket missed after the countdown', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 't1');
    hall.do({ type: 'callNext', counterId: 'c1' });
    expect(hall.try({ type: 'markMissed', counterId: 'c1' })).toMatchObject({
      ok: false,
      rejection: { code: 'missed_too_soon', retryAfterSeconds: 10 },
    });
    hall.advance(10);
    hall.do({ type: 'markMissed', counterId: 'c1', ticketId: 't1' });
    expect(hall.state.tickets.t1?.status).toBe('missed');
  });

  it('re-calls a missed ticket within the window only, from a counter of its queue', () => {
    const hall = hallWithOpen(['c1', 'c2', 'c3']);
    issue(hall, 't1');
    issue(hall, 't2');
    hall.do({ type: 'callNext', counterId: 'c1' });
    hall.advance(10);
    hall.do({ type: 'markMissed', counterId: 'c1' });
    hall.advance(29 * 60);
    expect(hall.try({ type: 'callSpecific', counterId: 'c3', ticketId: 't1' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_callable' },
    });
    expect(hall.do({ type: 'callSpecific', counterId: 'c2', ticketId: 't1' })).toMatchObject([
      { type: 'ticketCalled', mode: 'specific' },
    ]);
    expect(hall.state.tickets.t1).toMatchObject({ status: 'called', counterId: 'c2', recallCount: 0 });
    hall.advance(10);
    hall.do({ type: 'markMissed', counterId: 'c2' });
    hall.advance(30 * 60 + 1);
    expect(hall.try({ type: 'callSpecific', counterId: 'c2', ticketId: 't1' })).toMatchObject({
      ok: false,
      rejection: { code: 'missed_window_expired' },
    });
  });

  it('calls a specific waiting ticket out of order without touching the fairness count', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 'n1');
    issue(hall, 'n2');
    issue(hall, 'p1', { priorityGroupId: 'elderly' });
    hall.do({ type: 'callSpecific', counterId: 'c1', ticketId: 'n2' });
    expect(hall.state.counters.c1?.normalsSincePriority).toBeUndefined();
    hall.do({ type: 'startServing', counterId: 'c1' });
    hall.do({ type: 'finish', counterId: 'c1' });
    expect(callAll(hall, 'c1', 2)).toEqual(['p1', 'n1']);
    expect(hall.try({ type: 'callSpecific', counterId: 'c1', ticketId: 'n1' })).toMatchObject({
      ok: false,
      rejection: { code: 'ticket_not_callable' },
    });
  });

  it('refuses recalls once service has started', () => {
    const hall = hallWithOpen(['c1']);
    issue(hall, 't1');
    hall.do({ type: 'callNext', counterId: 'c1' });
    hall.do({ type: 'startServing', counterId: 'c1' });
    hall.advance(60);
    expect(hall.try({ type: 'recall', counterId: 'c1' })).toMatchObject({ ok: false, rejection: { code: 'ticket_not_called' } });
    expect(hall.try({ type: 'recall', counterId: 'c2' })).toMatchObject({ ok: false, rejection: { code: 'no_current_ticket' } });
  });
});
