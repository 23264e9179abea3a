import { describe, expect, it } from 'vitest';
import { emptyQueueState } from './state';
import { TestHall, makeTestRules, makeTestSetup } from './testHall';
import { clashingPrefixes } from '../domain/queue';
import { parseTicketNumber } from '../format/ticket';

const walkIn = (ticketId: string, serviceIds = ['hz1'], queueId = 'qa') =>
  ({ type: 'issueTicket', ticketId, queueId, serviceIds, kind: 'walk_in' }) as const;

describe('issuing tickets', () => {
  it('numbers consultation tickets with the queue\'s consultation prefix, on the queue\'s sequence', () => {
    const setup = makeTestSetup();
    const hall = new TestHall(emptyQueueState(), { setup: { ...setup, queues: setup.queues.map((q) => (q.id === 'qa' ? { ...q, consultationPrefix: 'Z' } : q)) } });
    hall.do(walkIn('t1'));
    hall.do({ ...walkIn('t2'), kind: 'consultation' });
    hall.do(walkIn('t3'));
    expect(Object.values(hall.state.tickets).map((t) => [t.number, t.kind])).toEqual([
      ['A001', 'walk_in'],
      ['Z002', 'consultation'],
      ['A003', 'walk_in'],
    ]);
    // Without a consultation prefix a consultation ticket keeps the queue's letter.
    const plain = new TestHall(emptyQueueState());
    plain.do({ ...walkIn('t1'), kind: 'consultation' });
    expect(plain.state.tickets.t1?.number).toBe('A001');
  });

  it('names the letters two queues would share', () => {
    expect(clashingPrefixes([{ prefix: 'A', consultationPrefix: 'Z' }, { prefix: 'B' }])).toEqual([]);
    expect(clashingPrefixes([{ prefix: 'A', consultationPrefix: 'Z' }, { prefix: 'B', consultationPrefix: 'Z' }])).toEqual(['Z']);
    expect(clashingPrefixes([{ prefix: 'A', consultationPrefix: 'A' }])).toEqual(['A']);
  });

  it('numbers each queue from 1 with its prefix and digits', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do(walkIn('t1'));
    hall.do(walkIn('t2'));
    hall.do(walkIn('t3', ['crj1'], 'qb'));
    expect(Object.values(hall.state.tickets).map((t) => t.number)).toEqual(['A001', 'A002', 'B001']);
    expect(hall.state.tickets.t1).toMatchObject({
      status: 'waiting',
      day: '2026-03-02',
      hallId: 'hall-test',
      issuedAt: '2026-03-02T01:00:00.000Z',
      queuedAt: '2026-03-02T01:00:00.000Z',
      callCount: 0,
    });
  });

  it("queues by the kiosk's hall clock when it sends one, never more than the skew tolerance from the command's time", () => {
    const hall = new TestHall(emptyQueueState());
    // A kiosk measured 5 minutes fast queues its citizen 5 minutes earlier than its own clock says.
    hall.do({ ...walkIn('t1'), queuedAt: '2026-03-02T00:55:00.000Z' });
    expect(hall.state.tickets.t1).toMatchObject({ issuedAt: '2026-03-02T01:00:00.000Z', queuedAt: '2026-03-02T00:55:00.000Z' });
    // A correction past MAX_QUEUE_TIME_CORRECTION_MS is bounded: no kiosk jumps the queue by hours.
    hall.do({ ...walkIn('t2'), queuedAt: '2026-03-01T20:00:00.000Z' });
    expect(hall.state.tickets.t2?.queuedAt).toBe('2026-03-02T00:45:00.000Z');
    hall.do({ ...walkIn('t3'), queuedAt: '2026-03-02T05:00:00.000Z' });
    expect(hall.state.tickets.t3?.queuedAt).toBe('2026-03-02T01:15:00.000Z');
  });

  it('restarts numbering on the next hall-local day', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do(walkIn('t1'));
    hall.do(walkIn('t2'));
    hall.advance(15 * 3600); // 09:00 → 00:00 next day, hall time
    hall.do(walkIn('t3'));
    expect(hall.state.tickets.t3).toMatchObject({ number: 'A001', day: '2026-03-03' });
  });

  it('enforces the daily cap per service, counting multi-matter tickets', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do(walkIn('t1', ['hz2']));
    hall.do(walkIn('t2', ['hz1', 'hz2']));
    hall.do(walkIn('t3', ['hz2']));
    expect(hall.try(walkIn('t4', ['hz2']))).toMatchObject({ ok: false, rejection: { code: 'daily_cap_reached' } });
    expect(hall.try(walkIn('t5', ['hz1']))).toMatchObject({ ok: true });
    hall.advance(86_400);
    expect(hall.try(walkIn('t6', ['hz2']))).toMatchObject({ ok: true });
  });

  it('refuses a number range that is used up', () => {
    const setup = new TestHall(emptyQueueState()).setup;
    const tiny = { ...setup, queues: setup.queues.map((q) => ({ ...q, numberDigits: 2 })) };
    const hall = new TestHall(emptyQueueState(), { setup: tiny });
    for (let i = 1; i <= 99; i++) hall.do(walkIn(`t${i}`));
    expect(hall.try(walkIn('t100'))).toMatchObject({ ok: false, rejection: { code: 'numbers_exhausted' } });
  });

  it('takes a leased sequence once and numbers around it', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ ...walkIn('t1'), sequence: 2 });
    expect(hall.try({ ...walkIn('t2'), sequence: 2 })).toMatchObject({ ok: false, rejection: { code: 'number_taken' } });
    hall.do(walkIn('t3'));
    hall.do(walkIn('t4'));
    expect([hall.state.tickets.t1?.number, hall.state.tickets.t3?.number, hall.state.tickets.t4?.number]).toEqual(['A002', 'A003', 'A004']);
    hall.do({ ...walkIn('t5'), sequence: 1 });
    expect(parseTicketNumber(hall.state.tickets.t5!.number)?.sequence).toBe(1);
    expect(hall.try({ ...walkIn('t6'), sequence: 1000 })).toMatchObject({ ok: false, rejection: { code: 'numbers_exhausted' } });
  });

  it('refuses bad requests with a reason', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do(walkIn('t1'));
    expect(hall.try(walkIn('t1'))).toMatchObject({ ok: false, rejection: { code: 'duplicate_ticket_id' } });
    expect(hall.try(walkIn('t2', ['crj1']))).toMatchObject({ ok: false, rejection: { code: 'service_not_in_queue' } });
    expect(hall.try(walkIn('t2', ['nope']))).toMatchObject({ ok: false, rejection: { code: 'unknown_service' } });
    expect(hall.try(walkIn('t2', ['hz1'], 'qz'))).toMatchObject({ ok: false, rejection: { code: 'unknown_queue' } });
    expect(hall.try({ ...walkIn('t2'), kind: 'pickup' })).toMatchObject({ ok: false, rejection: { code: 'kind_not_offered' } });
    expect(hall.try({ ...walkIn('t2'), priorityGroupId: 'vip' })).toMatchObject({
      ok: false,
      rejection: { code: 'unknown_priority_group' },
    });
    expect(Object.keys(hall.state.tickets)).toEqual(['t1']);
  });
});

describe('appointment check-in', () => {
  const appointment = (slot: { from: string; to: string }, date = '2026-03-02') => ({
    id: 'ap1',
    serviceId: 'hz2',
    date,
    slot,
    status: 'booked' as const,
    citizen: { maskedName: '张*', idHash: 'a'.repeat(64) },
  });

  it('issues an appointment ticket that ranks as priority from the slot start minus the early allowance', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'checkIn', ticketId: 't1', appointment: appointment({ from: '10:00', to: '10:30' }) });
    expect(hall.state.tickets.t1).toMatchObject({
      kind: 'appointment',
      queueId: 'qa',
      serviceIds: ['hz2'],
      appointmentId: 'ap1',
      citizen: { maskedName: '张*' },
      appointmentPriorityFrom: '2026-03-02T01:30:00.000Z',
    });
  });

  it('does not give priority to a check-in after the slot and the late allowance', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'checkIn', ticketId: 't1', appointment: appointment({ from: '08:00', to: '08:44' }) });
    expect(hall.state.tickets.t1?.appointmentPriorityFrom).toBeUndefined();
    hall.do({ type: 'checkIn', ticketId: 't2', appointment: { ...appointment({ from: '08:00', to: '08:45' }), id: 'ap2' } });
    expect(hall.state.tickets.t2?.appointmentPriorityFrom).toBe('2026-03-01T23:30:00.000Z');
  });

  it('refuses another day’s or a cancelled appointment', () => {
    const hall = new TestHall(emptyQueueState(), { rules: makeTestRules() });
    expect(hall.try({ type: 'checkIn', ticketId: 't1', appointment: appointment({ from: '10:00', to: '10:30' }, '2026-03-03') })).toMatchObject({
      ok: false,
      rejection: { code: 'appointment_not_today' },
    });
    expect(
      hall.try({ type: 'checkIn', ticketId: 't1', appointment: { ...appointment({ from: '10:00', to: '10:30' }), status: 'cancelled' } }),
    ).toMatchObject({ ok: false, rejection: { code: 'appointment_not_booked' } });
  });

  it('numbers a check-in from a leased sequence and refuses a second check-in of the same appointment', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'checkIn', ticketId: 't1', sequence: 41, appointment: appointment({ from: '10:00', to: '10:30' }) });
    expect(hall.state.tickets.t1?.number).toBe('A041');
    expect(hall.try({ type: 'checkIn', ticketId: 't2', sequence: 42, appointment: appointment({ from: '10:00', to: '10:30' }) })).toMatchObject({
      ok: false,
      rejection: { code: 'appointment_checked_in' },
    });
  });
});
