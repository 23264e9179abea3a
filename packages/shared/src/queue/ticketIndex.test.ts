import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeIntent, type ExecuteResult } from '../sync/execute';
import { queueIntent } from '../sync/mutation';
import { applyChange, emptyHallState, type HallState } from '../sync/state';
import { toTimestamp } from './clock';
import { commandForOp, HALL_DAY_COUNTERS, hallDayOpArb } from './hallDayOps';
import { makeTestRules, makeTestSetup, TEST_DAY_START_MS } from './testHall';
import type { Ticket } from '../domain/index';
import type { TicketIndex } from './ticketIndex';

/** The index by definition, written out independently of the module under test. */
function expectedIndex(tickets: Record<string, Ticket>): TicketIndex {
  const all = Object.values(tickets);
  const numbers = new Map<string, number>();
  const perService = new Map<string, number>();
  for (const t of all) numbers.set(`${t.day}|${t.number}`, all.filter((u) => u.day === t.day && u.number === t.number).length);
  for (const t of all) {
    for (const serviceId of t.serviceIds) perService.set(`${t.day}|${serviceId}`, all.filter((u) => u.day === t.day && u.serviceIds.includes(serviceId)).length);
  }
  return { numbers, perService, waiting: new Set(all.filter((t) => t.status === 'waiting').map((t) => t.id)) };
}

function apply(state: HallState, result: ExecuteResult): void {
  if (result.ok) for (const change of result.changes) applyChange(state, change);
}

describe('ticket index', () => {
  it('the engine decides the same with the hall state’s index as by scanning, and the index matches the tickets', () => {
    const ctx = { setup: makeTestSetup(), rules: makeTestRules() };
    fc.assert(
      fc.property(fc.array(hallDayOpArb, { minLength: 1, maxLength: 120 }), (ops) => {
        const indexed = emptyHallState();
        const scanned = emptyHallState();
        delete scanned.index;
        let nowMs = TEST_DAY_START_MS;
        for (const counterId of HALL_DAY_COUNTERS) {
          const open = queueIntent({ type: 'openCounter', counterId }, toTimestamp(nowMs));
          apply(indexed, executeIntent(indexed, open, ctx));
          apply(scanned, executeIntent(scanned, open, ctx));
        }
        ops.forEach((op, serial) => {
          nowMs += op.advanceSeconds * 1000;
          const command = commandForOp(op, scanned.queue.tickets, nowMs, serial);
          const intent = queueIntent(command, toTimestamp(nowMs));
          const expected = executeIntent(scanned, intent, ctx);
          const actual = executeIntent(indexed, intent, ctx);
          expect(actual).toEqual(expected);
          apply(scanned, expected);
          apply(indexed, actual);
          expect(indexed.index).toEqual(expectedIndex(indexed.queue.tickets));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a taken number, a full daily cap and an empty queue from the index alone', () => {
    const ctx = { setup: makeTestSetup(), rules: makeTestRules() };
    const state = emptyHallState();
    const at = toTimestamp(TEST_DAY_START_MS);
    const run = (command: Parameters<typeof queueIntent>[0]) => {
      const result = executeIntent(state, queueIntent(command, at), ctx);
      apply(state, result);
      return result;
    };
    for (let i = 0; i < 3; i++) expect(run({ type: 'issueTicket', ticketId: `h${i}`, queueId: 'qa', serviceIds: ['hz2'], kind: 'walk_in', sequence: i + 1 })).toMatchObject({ ok: true });
    // The tickets map no longer shows them; only the index does, so a scan would accept.
    const tickets = state.queue.tickets;
    state.queue.tickets = {};
    expect(run({ type: 'issueTicket', ticketId: 'x1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', sequence: 2 })).toMatchObject({ ok: false, code: 'number_taken' });
    expect(run({ type: 'issueTicket', ticketId: 'x2', queueId: 'qa', serviceIds: ['hz2'], kind: 'walk_in' })).toMatchObject({ ok: false, code: 'daily_cap_reached' });
    state.queue.tickets = tickets;
    state.index?.waiting.clear();
    run({ type: 'openCounter', counterId: 'c2' });
    expect(run({ type: 'callNext', counterId: 'c2' })).toMatchObject({ ok: false, code: 'no_ticket_waiting' });
  });
});
