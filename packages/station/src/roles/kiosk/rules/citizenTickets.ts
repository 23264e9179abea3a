import type { Ticket } from '@hall/shared';

/** Statuses of a ticket the citizen may still need a slip for: not yet served, not given up. */
const STILL_OPEN: readonly Ticket['status'][] = ['waiting', 'called'];

/** At most this many slips for one citizen: more is a mistake, not a lost number. */
export const MAX_REPRINTS_PER_CITIZEN = 8;

/**
 * 补打 by identity: today's open tickets of one citizen (their ID-card hash, which a
 * residence code's subject equals), from the hall's live queue, so it works offline and
 * finds tickets any kiosk of the hall issued. Oldest first, as the citizen took them.
 */
export function openTicketsOfCitizen(tickets: Iterable<Ticket>, idHash: string, day: string): Ticket[] {
  const found: Ticket[] = [];
  for (const t of tickets) {
    if (t.day === day && t.citizen?.idHash === idHash && STILL_OPEN.includes(t.status)) found.push(t);
  }
  return found.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number)).slice(0, MAX_REPRINTS_PER_CITIZEN);
}
