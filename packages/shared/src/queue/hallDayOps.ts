// A random hall day for property tests (the engine's and the sync layer's): steps
// interpreted against the tickets when they run, so they mostly make sense.
import fc from 'fast-check';
import type { Ticket } from '../domain/index';
import type { QueueCommand } from './commands';

export const HALL_DAY_COUNTERS = ['c1', 'c2', 'c3', 'c4'];
export const SERVICES_BY_QUEUE: Record<string, string[]> = { qa: ['hz1', 'hz2'], qb: ['crj1'] };

/** One step of a random hall day, interpreted against the state when it runs. */
export const hallDayOpArb = fc.record({
  kind: fc.constantFrom(
    'issue', 'issue', 'issue', 'checkIn', 'callNext', 'callNext', 'callNext', 'callSpecific', 'recall', 'markMissed',
    'start', 'start', 'finish', 'finish', 'transferCounter', 'transferQueue', 'addService', 'cancel',
    'open', 'open', 'close', 'pause', 'resume',
  ),
  counter: fc.nat(HALL_DAY_COUNTERS.length - 1),
  other: fc.nat(HALL_DAY_COUNTERS.length - 1),
  queue: fc.constantFrom('qa', 'qb'),
  pick: fc.nat(),
  priority: fc.boolean(),
  leased: fc.option(fc.integer({ min: 1, max: 15 }), { freq: 3 }),
  // Mostly seconds apart, now and then a long gap (past recall windows, into the next day).
  advanceSeconds: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 90 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 * 3600 }) },
  ),
});
export type HallDayOp = typeof hallDayOpArb extends fc.Arbitrary<infer T> ? T : never;

export function commandForOp(op: HallDayOp, tickets: Readonly<Record<string, Ticket>>, nowMs: number, serial: number): QueueCommand {
  const counterId = HALL_DAY_COUNTERS[op.counter]!;
  const ticketIds = Object.keys(tickets).sort();
  const ticketId = ticketIds.length === 0 ? 'none' : ticketIds[op.pick % ticketIds.length]!;
  const services = SERVICES_BY_QUEUE[op.queue]!;
  const serviceIds = [services[op.pick % services.length]!];
  switch (op.kind) {
    case 'issue':
      return {
        type: 'issueTicket',
        ticketId: `t${serial}`,
        queueId: op.queue,
        serviceIds,
        kind: 'walk_in',
        ...(op.priority ? { priorityGroupId: 'elderly' } : {}),
        ...(op.leased === null ? {} : { sequence: op.leased }),
      };
    case 'checkIn': {
      const minuteOfDay = Math.floor(((nowMs + 8 * 3_600_000) % 86_400_000) / 60_000) + (op.pick % 120) - 60;
      const clamp = Math.min(Math.max(minuteOfDay, 0), 22 * 60);
      const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const day = new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
      return {
        type: 'checkIn',
        ticketId: `t${serial}`,
        appointment: {
          id: `ap${serial}`,
          serviceId: serviceIds[0]!,
          date: day,
          slot: { from: hhmm(clamp), to: hhmm(clamp + 30) },
          status: 'booked',
          citizen: { maskedName: '王*', idHash: 'c'.repeat(64) },
        },
      };
    }
    case 'callNext':
      return { type: 'callNext', counterId };
    case 'callSpecific':
      return { type: 'callSpecific', counterId, ticketId };
    case 'recall':
      return { type: 'recall', counterId };
    case 'markMissed':
      return { type: 'markMissed', counterId };
    case 'start':
      return { type: 'startServing', counterId };
    case 'finish':
      return { type: 'finish', counterId };
    case 'transferCounter':
      return { type: 'transfer', counterId, toCounterId: HALL_DAY_COUNTERS[op.other]! };
    case 'transferQueue':
      return { type: 'transfer', counterId, toQueueId: op.queue, serviceIds };
    case 'addService':
      return { type: 'addService', ticketId, serviceId: serviceIds[0]! };
    case 'cancel':
      return { type: 'cancelTicket', ticketId };
    case 'open':
      return { type: 'openCounter', counterId };
    case 'close':
      return { type: 'closeCounter', counterId };
    case 'pause':
      return { type: 'pauseCounter', counterId, reason: '暂离' };
    case 'resume':
      return { type: 'resumeCounter', counterId };
  }
}
