import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QueueEvent } from './events';
import { QueueEventSchema, applyEvent, applyEvents } from './events';
import { candidateAt } from './ordering';
import { findCounter } from './setup';
import type { QueueState } from './state';
import { QueueStateSchema, counterRuntime, emptyQueueState } from './state';
import { commandForOp, HALL_DAY_COUNTERS as COUNTERS, hallDayOpArb as opArb, SERVICES_BY_QUEUE, type HallDayOp as Op } from './hallDayOps';
import { TestHall, makeTestRules } from './testHall';
import { toEpochMs } from './clock';

function runDay(ops: readonly Op[], rules = makeTestRules()): TestHall {
  const hall = new TestHall(emptyQueueState(), { rules });
  for (const counterId of COUNTERS) hall.do({ type: 'openCounter', counterId });
  ops.forEach((op, serial) => {
    hall.advance(op.advanceSeconds);
    hall.try(commandForOp(op, hall.state.tickets, hall.nowMs, serial));
  });
  return hall;
}

/** Walks the log event by event, checking each call against the state just before it. */
function checkLog(hall: TestHall): void {
  let state: QueueState = emptyQueueState();
  const finishedOrCancelled = new Set<string>();
  for (const event of hall.events) {
    if ('ticketId' in event && finishedOrCancelled.has(event.ticketId)) {
      throw new Error(`${event.type} after ticket ${event.ticketId} was closed`);
    }
    if (event.type === 'ticketCalled') {
      // A paused or closed counter is never given a ticket; nor is a busy one.
      expect(counterRuntime(state, event.counterId).state).toEqual({ status: 'open' });
      const ticket = state.tickets[event.ticketId]!;
      expect(['waiting', 'missed']).toContain(ticket.status);
      if (event.mode === 'next') checkFirstComeFirstServed(state, event, hall);
    }
    if (event.type === 'ticketFinished' || event.type === 'ticketCancelled') finishedOrCancelled.add(event.ticketId);
    state = applyEvent(state, event);
    checkInvariants(state);
  }
}

/** Nobody of the same standing (targeted, service tier, priority or not) who queued earlier is passed over. */
function checkFirstComeFirstServed(state: QueueState, event: Extract<QueueEvent, { type: 'ticketCalled' }>, hall: TestHall) {
  const counter = findCounter(hall.setup, event.counterId)!;
  const day = state.tickets[event.ticketId]!.day;
  const nowMs = toEpochMs(event.at);
  const chosen = candidateAt(counter, state.tickets[event.ticketId]!, day, nowMs, hall.rules)!;
  expect(chosen.callClass).toBe(event.callClass);
  for (const other of Object.values(state.tickets)) {
    const rival = candidateAt(counter, other, day, nowMs, hall.rules);
    if (rival === undefined || rival.ticket.id === chosen.ticket.id) continue;
    const sameStanding = rival.callClass === chosen.callClass && rival.tier === chosen.tier;
    if (sameStanding) expect(toEpochMs(rival.ticket.queuedAt)).toBeGreaterThanOrEqual(toEpochMs(chosen.ticket.queuedAt));
    // Targeted tickets always go first; a better service tier always goes first.
    if (chosen.callClass !== 'targeted') {
      expect(rival.callClass).not.toBe('targeted');
      expect(rival.tier).toBeGreaterThanOrEqual(chosen.tier);
    }
  }
}

function checkInvariants(state: QueueState): void {
  const holders = new Map<string, string>();
  for (const [counterId, runtime] of Object.entries(state.counters)) {
    if (runtime.state.status !== 'serving') continue;
    const ticket = state.tickets[runtime.state.ticketId];
    expect(ticket, `counter ${counterId} holds a ticket that does not exist`).toBeDefined();
    expect(['called', 'serving']).toContain(ticket!.status);
    expect(ticket!.counterId).toBe(counterId);
    expect(holders.has(ticket!.id), `ticket ${ticket!.id} held by two counters`).toBe(false);
    holders.set(ticket!.id, counterId);
  }
  const numbers = new Set<string>();
  for (const ticket of Object.values(state.tickets)) {
    if (ticket.status === 'called' || ticket.status === 'serving') expect(holders.get(ticket.id)).toBe(ticket.counterId);
    const key = `${ticket.day} ${ticket.number}`;
    expect(numbers.has(key), `number ${key} issued twice`).toBe(false);
    numbers.add(key);
  }
}

describe('queue engine properties', () => {
  it('over any sequence of commands: no ticket lost or served twice, paused counters get nothing, numbers unique, calls in order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), (ops) => {
        const hall = runDay(ops);
        const issued = hall.events.filter((e) => e.type === 'ticketIssued').map((e) => e.ticket.id);
        expect(Object.keys(hall.state.tickets).sort()).toEqual([...issued].sort());
        const finished = hall.events.filter((e) => e.type === 'ticketFinished').map((e) => e.ticketId);
        expect(new Set(finished).size).toBe(finished.length);
        checkLog(hall);
      }),
      { numRuns: 300 },
    );
  });

  it('replaying the events, even after a JSON round trip, rebuilds the state exactly', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), (ops) => {
        const hall = runDay(ops);
        const wire = JSON.parse(JSON.stringify(hall.events)) as unknown[];
        const events = wire.map((e) => QueueEventSchema.parse(e));
        expect(applyEvents(emptyQueueState(), events)).toEqual(hall.state);
        expect(QueueStateSchema.parse(JSON.parse(JSON.stringify(hall.state)))).toEqual(hall.state);
      }),
      { numRuns: 150 },
    );
  });

  it('numbers restart each day and never collide within a queue and day', () => {
    const issueArb = fc.record({
      queue: fc.constantFrom('qa', 'qb'),
      leased: fc.option(fc.integer({ min: 1, max: 30 }), { freq: 2 }),
      advanceSeconds: fc.integer({ min: 0, max: 6 * 3600 }),
    });
    fc.assert(
      fc.property(fc.array(issueArb, { minLength: 1, maxLength: 60 }), (issues) => {
        const hall = new TestHall(emptyQueueState());
        issues.forEach((op, i) => {
          hall.advance(op.advanceSeconds);
          hall.try({
            type: 'issueTicket',
            ticketId: `t${i}`,
            queueId: op.queue,
            serviceIds: SERVICES_BY_QUEUE[op.queue]!.slice(0, 1),
            kind: 'walk_in',
            ...(op.leased === null ? {} : { sequence: op.leased }),
          });
        });
        const seen = new Map<string, string>();
        const firstOfDay = new Map<string, number>();
        for (const event of hall.events) {
          if (event.type !== 'ticketIssued') continue;
          const { ticket } = event;
          const key = `${ticket.queueId}|${ticket.day}|${ticket.number}`;
          expect(seen.has(key), `${key} issued twice`).toBe(false);
          seen.set(key, ticket.id);
          const dayKey = `${ticket.queueId}|${ticket.day}`;
          if (!firstOfDay.has(dayKey)) firstOfDay.set(dayKey, event.sequence);
          expect(ticket.number.slice(0, 1)).toBe(ticket.queueId === 'qa' ? 'A' : 'B');
          expect(Number(ticket.number.slice(1))).toBe(event.sequence);
        }
        // Without a leased number, a day starts at 1.
        issues.forEach((op, i) => {
          const ticket = hall.state.tickets[`t${i}`];
          if (ticket === undefined || op.leased !== null) return;
          const dayKey = `${ticket.queueId}|${ticket.day}`;
          const earlierSameDay = issues.slice(0, i).some((_, j) => {
            const t = hall.state.tickets[`t${j}`];
            return t !== undefined && `${t.queueId}|${t.day}` === dayKey;
          });
          if (!earlierSameDay) expect(ticket.number.slice(1)).toBe('001');
        });
      }),
      { numRuns: 200 },
    );
  });

  it('within equal priority the calling order is first come first served', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 300 }), priority: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 4 }),
        (arrivals, ratio) => {
          const hall = new TestHall(emptyQueueState(), { rules: makeTestRules({ normalPerPriority: ratio }) });
          hall.do({ type: 'openCounter', counterId: 'c1' });
          arrivals.forEach((a, i) => {
            hall.advance(a.gap);
            hall.do({
              type: 'issueTicket',
              ticketId: `t${String(i).padStart(2, '0')}`,
              queueId: 'qa',
              serviceIds: ['hz1'],
              kind: 'walk_in',
              ...(a.priority ? { priorityGroupId: 'military' } : {}),
            });
          });
          const called: string[] = [];
          for (;;) {
            const result = hall.try({ type: 'callNext', counterId: 'c1' });
            if (!result.ok) break;
            const event = result.events[0]!;
            if (event.type === 'ticketCalled') called.push(event.ticketId);
            hall.do({ type: 'startServing', counterId: 'c1' });
            hall.do({ type: 'finish', counterId: 'c1' });
          }
          expect([...called].sort()).toEqual(Object.keys(hall.state.tickets).sort());
          for (const priority of [true, false]) {
            const ofKind = called.filter((id) => arrivals[Number(id.slice(1))]!.priority === priority);
            expect(ofKind).toEqual([...ofKind].sort());
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a transferred ticket keeps its place by issue time in the new queue', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ queue: fc.constantFrom('qa', 'qb'), gap: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 20 }),
        (arrivals) => {
          const hall = new TestHall(emptyQueueState());
          hall.do({ type: 'openCounter', counterId: 'c1' });
          hall.do({ type: 'openCounter', counterId: 'c3' });
          const issuedAt = new Map<string, number>();
          arrivals.forEach((a, i) => {
            hall.advance(a.gap);
            hall.do({ type: 'issueTicket', ticketId: `t${i}`, queueId: a.queue, serviceIds: SERVICES_BY_QUEUE[a.queue]!.slice(0, 1), kind: 'walk_in' });
            issuedAt.set(`t${i}`, hall.nowMs);
          });
          hall.advance(60);
          // Counter 1 sends every 户政 ticket on to 出入境.
          while (hall.try({ type: 'callNext', counterId: 'c1' }).ok) {
            hall.advance(30);
            hall.do({ type: 'transfer', counterId: 'c1', toQueueId: 'qb', serviceIds: ['crj1'] });
          }
          const called: string[] = [];
          for (;;) {
            const result = hall.try({ type: 'callNext', counterId: 'c3' });
            if (!result.ok) break;
            called.push((result.events[0] as Extract<QueueEvent, { type: 'ticketCalled' }>).ticketId);
            hall.do({ type: 'startServing', counterId: 'c3' });
            hall.do({ type: 'finish', counterId: 'c3' });
          }
          const byIssueTime = [...issuedAt.keys()].sort((x, y) => issuedAt.get(x)! - issuedAt.get(y)!);
          expect(called).toEqual(byIssueTime);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the fairness ratio holds over any window of calls while both kinds wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.constant('call' as const), fc.constant('normal' as const), fc.constant('priority' as const)), {
          minLength: 1,
          maxLength: 80,
        }),
        (ratio, script) => {
          const hall = new TestHall(emptyQueueState(), { rules: makeTestRules({ normalPerPriority: ratio }) });
          hall.do({ type: 'openCounter', counterId: 'c1' });
          const waiting = { priority: 0, normal: 0 };
          const calls: { priority: boolean; bothWaited: boolean }[] = [];
          script.forEach((step, i) => {
            hall.advance(10);
            if (step !== 'call') {
              hall.do({
                type: 'issueTicket',
                ticketId: `t${i}`,
                queueId: 'qa',
                serviceIds: ['hz1'],
                kind: 'walk_in',
                ...(step === 'priority' ? { priorityGroupId: 'elderly' } : {}),
              });
              waiting[step]++;
              return;
            }
            const bothWaited = waiting.priority > 0 && waiting.normal > 0;
            const result = hall.try({ type: 'callNext', counterId: 'c1' });
            if (!result.ok) return;
            const event = result.events[0] as Extract<QueueEvent, { type: 'ticketCalled' }>;
            const priority = event.callClass === 'priority';
            waiting[priority ? 'priority' : 'normal']--;
            calls.push({ priority, bothWaited });
            hall.do({ type: 'startServing', counterId: 'c1' });
            hall.do({ type: 'finish', counterId: 'c1' });
          });
          // Every window of consecutive calls made while both kinds waited.
          for (let start = 0; start < calls.length; start++) {
            let p = 0;
            let n = 0;
            for (let end = start; end < calls.length && calls[end]!.bothWaited; end++) {
              if (calls[end]!.priority) p++;
              else n++;
              expect(n).toBeLessThanOrEqual(ratio * (p + 1));
              expect(p).toBeLessThanOrEqual(Math.floor(n / ratio) + 1);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
