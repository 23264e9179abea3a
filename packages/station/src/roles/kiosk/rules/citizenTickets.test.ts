import { describe, expect, it } from 'vitest';
import type { Ticket } from '@hall/shared';
import { MAX_REPRINTS_PER_CITIZEN, openTicketsOfCitizen } from './citizenTickets';

const MINE = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

function ticket(id: string, patch: Partial<Ticket> = {}): Ticket {
  return {
    id,
    hallId: 'h',
    queueId: 'qA',
    day: '2026-03-02',
    number: `A${id.padStart(3, '0')}`,
    kind: 'walk_in',
    serviceIds: ['s1'],
    citizen: { maskedName: '张*', idHash: MINE },
    issuedAt: `2026-03-02T01:00:0${id}.000Z`,
    queuedAt: `2026-03-02T01:00:0${id}.000Z`,
    status: 'waiting',
    callCount: 0,
    ...patch,
  };
}

describe('openTicketsOfCitizen', () => {
  it("finds the citizen's waiting and called tickets of the day, oldest first", () => {
    const tickets = [
      ticket('3', { status: 'called', kind: 'consultation', number: 'Z003' }),
      ticket('1'),
      ticket('2', { citizen: { maskedName: '李*', idHash: OTHER } }),
      ticket('4', { status: 'finished' }),
      ticket('5', { status: 'missed' }),
      ticket('6', { status: 'cancelled' }),
      ticket('7', { day: '2026-03-01' }),
      ticket('8', { citizen: undefined } as Partial<Ticket>),
    ];
    expect(openTicketsOfCitizen(tickets, MINE, '2026-03-02').map((t) => t.number)).toEqual(['A001', 'Z003']);
    expect(openTicketsOfCitizen(tickets, OTHER, '2026-03-02').map((t) => t.number)).toEqual(['A002']);
    expect(openTicketsOfCitizen(tickets, 'c'.repeat(64), '2026-03-02')).toEqual([]);
  });

  it('hands out a bounded number of slips', () => {
    const many = Array.from({ length: 9 }, (_, i) => ticket(String(i + 1)));
    expect(openTicketsOfCitizen(many, MINE, '2026-03-02')).toHaveLength(MAX_REPRINTS_PER_CITIZEN);
  });
});
