import { describe, expect, it } from 'vitest';
import { emptyQueueState } from './state';
import { TestHall, makeTestSetup } from './testHall';
import { matterCitizen, matterSharesTicket, ticketMatters } from './matters';
import { TicketSchema } from '../domain/queue';

const parent = { maskedName: '张*', idHash: 'a'.repeat(64) };
const child = { maskedName: '张*明', idHash: 'c'.repeat(64) };

describe('一号联办 from the kiosk: several matters on one ticket', () => {
  it('issues one ticket for several matters of its queue, each with its sub number and citizen', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1', 'hz2'], kind: 'walk_in', citizen: parent, matterCitizens: { hz2: child } });
    const ticket = hall.state.tickets.t1;
    expect(ticket?.number).toBe('A001');
    expect(ticket && ticketMatters(ticket)).toEqual([
      { serviceId: 'hz1', number: 'A001', citizen: parent },
      { serviceId: 'hz2', number: 'A001-2', citizen: child },
    ]);
    // The ticket is one place in the queue: a second ticket takes the next number.
    hall.do({ type: 'issueTicket', ticketId: 't2', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
    expect(hall.state.tickets.t2?.number).toBe('A002');
  });

  it('refuses a matter the queue does not serve, saying which', () => {
    const hall = new TestHall(emptyQueueState());
    const result = hall.try({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1', 'crj1'], kind: 'walk_in' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.code).toBe('service_not_in_queue');
      expect(result.rejection.message).toContain('crj1');
    }
    expect(hall.state.tickets).toEqual({});
  });

  it('refuses a family member named for a matter that is not on the ticket', () => {
    const hall = new TestHall(emptyQueueState());
    const result = hall.try({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', matterCitizens: { hz2: child } });
    expect(result.ok ? undefined : result.rejection.code).toBe('matter_not_on_ticket');
  });

  it('keeps a ticket without matter citizens as before, and a matter added at the counter gets the next sub number', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', citizen: parent });
    expect(hall.state.tickets.t1).not.toHaveProperty('matterCitizens');
    hall.do({ type: 'addService', ticketId: 't1', serviceId: 'hz2' });
    const ticket = hall.state.tickets.t1;
    expect(ticket && ticketMatters(ticket).map((m) => [m.number, m.citizen?.maskedName])).toEqual([
      ['A001', '张*'],
      ['A001-2', '张*'],
    ]);
    expect(ticket && matterCitizen(ticket, 'hz2')).toEqual(parent);
  });

  it('parses an older stored ticket without matter citizens', () => {
    const old = { id: 't', hallId: 'h', queueId: 'qa', day: '2026-03-02', number: 'A001', kind: 'walk_in', serviceIds: ['hz1'], issuedAt: '2026-03-02T01:00:00.000Z', queuedAt: '2026-03-02T01:00:00.000Z', status: 'waiting', callCount: 0 };
    expect(TicketSchema.parse(old).matterCitizens).toBeUndefined();
  });

  it('tells which matters can share the first one\'s ticket', () => {
    const setup = makeTestSetup();
    expect(matterSharesTicket(setup, 'hz1', 'hz2')).toBe(true);
    expect(matterSharesTicket(setup, 'hz1', 'crj1')).toBe(false);
    expect(matterSharesTicket(setup, 'nope', 'hz1')).toBe(false);
  });

  it('checks in one ticket for every matter of a booking, refusing one its queue does not serve', () => {
    const setup = makeTestSetup();
    const hall = new TestHall(emptyQueueState(), { setup });
    const appointment = { id: 'ap-1', serviceId: 'hz1', moreServiceIds: ['hz2'], date: '2026-03-02', slot: { from: '09:00', to: '09:30' }, status: 'booked' as const, citizen: parent };
    hall.do({ type: 'checkIn', ticketId: 't1', appointment });
    expect(hall.state.tickets.t1).toMatchObject({ kind: 'appointment', serviceIds: ['hz1', 'hz2'], citizen: parent });
    const foreign = hall.try({ type: 'checkIn', ticketId: 't2', appointment: { ...appointment, id: 'ap-2', moreServiceIds: ['crj1'] } });
    expect(foreign.ok ? undefined : foreign.rejection.code).toBe('service_not_in_queue');
  });
});
