import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mutation } from '@hall/shared';
import { StationCore } from '../core';
import { testDeviceProver } from '../testing/deviceKey';
import { testCatalogue } from '../testing/hall';
import type { Superseded } from './store';

const DAY = '2026-03-02';
const NOW = Date.parse('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'station-mesh-')), 'station.db');
}

/** A settable clock per station: stations of a hall need not agree on the time. */
function clock(offsetMs = 0) {
  let t = NOW + offsetMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function station(deviceId: string, role: 'kiosk' | 'counter' | 'display', now: () => number, counterId?: string): StationCore {
  const core = StationCore.open(tempFile(), { deviceId, hallId: 'hall-1', role, ...(counterId ? { counterId } : {}) }, now);
  core.store.replaceCatalogue(testCatalogue());
  core.deviceProver = testDeviceProver(deviceId);
  return core;
}

/** Everything a station has committed, as the mesh would carry it. */
function committed(core: StationCore): Mutation[] {
  const vector = core.store.meshVector()[0];
  if (!vector) return [];
  return core.store.meshMutationsAfter(vector.deviceId, vector.epoch, 0, 10_000);
}

function liveTickets(core: StationCore) {
  return Object.values(core.store.live.queue.tickets)
    .map((t) => ({ number: t.number, status: t.status, counterId: t.counterId ?? null }))
    .sort((a, b) => a.number.localeCompare(b.number));
}

/** A kiosk's ticket called by counter c2 and then, not having heard that call, by c1. */
function twoCountersCallOneTicket() {
  const t = clock();
  const kiosk = station('kiosk-1', 'kiosk', t.now);
  const c1 = station('counter-c1', 'counter', t.now, 'c1');
  const c2 = station('counter-c2', 'counter', t.now, 'c2');
  kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
  const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  for (const c of [c1, c2]) {
    c.store.receivePeerMutations(committed(kiosk));
    c.counterCommand('openCounter');
  }
  t.advance(10);
  expect(c2.callNext()?.id).toBe(ticket.id);
  t.advance(10);
  expect(c1.callNext()?.id).toBe(ticket.id);
  return { t, kiosk, c1, c2, ticket };
}

describe('the station store in a hall mesh', () => {
  it('puts a ticket taken at the kiosk in a counter\'s waiting list, and the counter\'s call on the display', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    const display = station('display-1', 'display', t.now);
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    const shared: Mutation[] = [];
    kiosk.store.onCommitted((m) => shared.push(m));
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    expect(shared).toHaveLength(1);
    expect(counter.store.receivePeerMutations(shared)).toBe(1);
    expect(counter.store.live.queue.tickets[ticket.id]?.status).toBe('waiting');
    // A duplicate (resend, anti-entropy) changes nothing.
    expect(counter.store.receivePeerMutations(shared)).toBe(0);

    t.advance(1000);
    counter.counterCommand('openCounter');
    const called = counter.callNext();
    expect(called?.id).toBe(ticket.id);
    display.store.receivePeerMutations([...committed(kiosk), ...committed(counter)].reverse());
    expect(display.store.live.queue.tickets[ticket.id]).toMatchObject({ status: 'called', counterId: 'c1' });
    kiosk.store.receivePeerMutations(committed(counter));
    expect(liveTickets(kiosk)).toEqual(liveTickets(display));
    expect(kiosk.store.peerPendingCount()).toBe(2);
    for (const core of [kiosk, counter, display]) core.close();
  });

  it('moves its clock past what it heard, so what a clerk does after seeing a ticket sorts after it', () => {
    const kioskClock = clock(10 * 60_000); // ten minutes fast
    const counterClock = clock();
    const kiosk = station('kiosk-1', 'kiosk', kioskClock.now);
    const counter = station('counter-c1', 'counter', counterClock.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    counter.store.receivePeerMutations(committed(kiosk));
    counter.counterCommand('openCounter');
    expect(counter.callNext()).not.toBeNull();
    const [issue] = committed(kiosk);
    const ownHlcs = committed(counter).map((m) => m.hlc);
    expect(ownHlcs.every((hlc) => hlc > (issue?.hlc ?? ''))).toBe(true);
    // Heard in the other order, the display still replays the call after the ticket.
    const display = station('display-1', 'display', clock(-10 * 60_000).now);
    display.store.receivePeerMutations(committed(counter));
    display.store.receivePeerMutations(committed(kiosk));
    expect(liveTickets(display)).toEqual(liveTickets(counter));
    for (const core of [kiosk, counter, display]) core.close();
  });

  it('settles two counters that called the same ticket while cut off from each other: the earlier call wins, the other clerk is told', () => {
    const { kiosk, c1, c2, ticket } = twoCountersCallOneTicket();
    const told: Superseded[] = [];
    c1.store.onSuperseded((s) => told.push(s));
    // The partition heals: both hear each other.
    c1.store.receivePeerMutations(committed(c2));
    c2.store.receivePeerMutations(committed(c1));
    expect(c1.store.live.queue.tickets[ticket.id]?.counterId).toBe('c2');
    expect(c2.store.live.queue.tickets[ticket.id]?.counterId).toBe('c2');
    expect(liveTickets(c1)).toEqual(liveTickets(c2));
    expect(told).toHaveLength(1);
    expect(told[0]?.mutation.type).toBe('callNext');
    expect(told[0]?.mutation.payload).toMatchObject({ ticketId: ticket.id });
    for (const core of [kiosk, c1, c2]) core.close();
  });

  it('follows the order the server already chose once a peer tells it (the later call reached the API first, then the API went away)', () => {
    const { t, kiosk, c1, c2, ticket } = twoCountersCallOneTicket();
    const display = station('display-1', 'display', t.now);
    // c2's call was lost on the LAN; c1 pushed the kiosk's ticket and its own steps, and the server applied them.
    const [issue] = committed(kiosk);
    const [open1, call1] = committed(c1);
    c1.store.recordResults([
      { id: issue!.id, seq: 1, status: 'applied', logSeq: 1, deviceId: 'kiosk-1', epoch: issue!.epoch },
      { id: open1!.id, seq: 1, status: 'applied', logSeq: 2 },
      { id: call1!.id, seq: 2, status: 'applied', logSeq: 3 },
    ]);
    // The API is away now. The display and c2 hear everything: by the HLC order alone c2's earlier call wins.
    for (const other of [display, c2]) other.store.receivePeerMutations([...committed(kiosk), ...committed(c1), ...committed(c2)]);
    c1.store.receivePeerMutations(committed(c2));
    expect(display.store.live.queue.tickets[ticket.id]?.counterId).toBe('c2');
    expect(c1.store.live.queue.tickets[ticket.id]?.counterId, 'c1 heard its own call applied').toBe('c1');
    const told: Superseded[] = [];
    c2.store.onSuperseded((s) => told.push(s));
    // Asked, c1 tells what it heard of the seqs they hold undecided; c1's call wins everywhere, as the server will confirm.
    for (const other of [display, c2]) {
      const ranges = other.store.meshUndecidedRanges(100);
      expect(ranges.map((r) => r.deviceId).sort()).toEqual(['counter-c1', 'counter-c2', 'kiosk-1']);
      const decisions = c1.store.meshDecisions(ranges, 100);
      expect(decisions).toHaveLength(3);
      expect(other.store.receiveHeardDecisions(decisions)).toBe(3);
      expect(other.store.receiveHeardDecisions(decisions), 'told twice, nothing new').toBe(0);
      expect(other.store.live.queue.tickets[ticket.id]).toMatchObject({ status: 'called', counterId: 'c1' });
      expect(other.store.meshUndecidedRanges(100).map((r) => r.deviceId)).toEqual(['counter-c2']);
    }
    expect(told.map((s) => s.mutation.type)).toEqual(['callNext']);
    expect(liveTickets(display)).toEqual(liveTickets(c1));
    expect(liveTickets(c2)).toEqual(liveTickets(c1));
    // A rejection heard is never replayed; the station's own pull still settles the row (what the server says wins).
    const c2Call = committed(c2)[1]!;
    display.store.receiveHeardDecisions(c1.store.meshDecisions([{ deviceId: 'counter-c2', epoch: c2Call.epoch, low: 1, high: 2 }], 10));
    c1.store.recordResults([{ id: c2Call.id, seq: 2, status: 'rejected', code: 'ticket_not_waiting', reason: 'called elsewhere', deviceId: 'counter-c2', epoch: c2Call.epoch }]);
    expect(c1.store.meshDecisions([{ deviceId: 'counter-c2', epoch: c2Call.epoch, low: 1, high: 2 }], 10)).toEqual([{ id: c2Call.id, rejected: true }]);
    expect(display.store.receiveHeardDecisions(c1.store.meshDecisions([{ deviceId: 'counter-c2', epoch: c2Call.epoch, low: 1, high: 2 }], 10))).toBe(1);
    expect(display.store.live.queue.tickets[ticket.id]?.counterId).toBe('c1');
    expect(display.store.peerPendingCount(), 'heard decisions are advice: the rows wait for the server').toBe(5);
    for (const core of [kiosk, c1, c2, display]) core.close();
  });

  it('advertises what it holds and hands out what a peer lacks, its own included', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    for (let i = 0; i < 4; i++) kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const all = committed(kiosk);
    // Datagrams 2 and 3 were lost: the counter holds 1 and 4, so its vector stops at 1.
    counter.store.receivePeerMutations([all[0], all[3]].filter((m): m is Mutation => m !== undefined));
    const entry = counter.store.meshVector().find((e) => e.deviceId === 'kiosk-1');
    expect(entry?.seq).toBe(1);
    const missing = kiosk.store.meshMutationsAfter('kiosk-1', kiosk.store.epoch, entry?.seq ?? 0, 100);
    expect(missing.map((m) => m.seq)).toEqual([2, 3, 4]);
    counter.store.receivePeerMutations(missing);
    expect(counter.store.meshVector().find((e) => e.deviceId === 'kiosk-1')?.seq).toBe(4);
    expect(liveTickets(counter).map((x) => x.number)).toEqual(['A001', 'A002', 'A003', 'A004']);
    for (const core of [kiosk, counter]) core.close();
  });

  it('claims no run of a peer\'s seqs that does not start at its first (a late seq heard before the earlier ones)', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    for (let i = 0; i < 3; i++) kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const all = committed(kiosk);
    // A partition heals while seq 3 is being resent: it arrives before 1 and 2.
    counter.store.receivePeerMutations(all.slice(2));
    expect(counter.store.meshVector().find((e) => e.deviceId === 'kiosk-1')?.seq ?? 0).toBe(0);
    counter.store.receivePeerMutations(kiosk.store.meshMutationsAfter('kiosk-1', kiosk.store.epoch, 0, 100));
    expect(counter.store.meshVector().find((e) => e.deviceId === 'kiosk-1')?.seq).toBe(3);
    // Pruning decided rows keeps the vector where it was, and a resend of them is refused.
    counter.store.applyPage([], counter.store.cursor, [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 2 }]);
    t.advance(3 * 24 * 3600_000);
    expect(counter.store.prunePeerMutations(24 * 3600_000)).toBe(2);
    expect(counter.store.meshVector().find((e) => e.deviceId === 'kiosk-1')?.seq).toBe(3);
    expect(counter.store.receivePeerMutations(all.slice(0, 2))).toBe(0);
    for (const core of [kiosk, counter]) core.close();
  });

  it('pushes peers\' earlier mutations before its own, and a silent peer\'s after a while', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    counter.store.receivePeerMutations(committed(kiosk));
    expect(counter.store.pushCandidates(100)).toEqual([]);
    t.advance(5000);
    expect(counter.store.pushCandidates(100).map((m) => m.deviceId)).toEqual(['kiosk-1']);
    kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    counter.store.receivePeerMutations(committed(kiosk));
    counter.counterCommand('openCounter');
    expect(counter.store.pushCandidates(100).map((m) => `${m.deviceId}:${m.seq}`)).toEqual(['kiosk-1:1', 'kiosk-1:2', 'counter-c1:1']);
    // A device whose next seq is missing here is left out: the server takes seqs in order.
    const lateKiosk = station('kiosk-2', 'kiosk', t.now);
    lateKiosk.store.addNumberBlock({ queueId: 'qB', day: DAY, start: 1, end: 10 });
    lateKiosk.issueTicket({ serviceIds: ['s3'], kind: 'walk_in' });
    lateKiosk.issueTicket({ serviceIds: ['s3'], kind: 'walk_in' });
    counter.store.receivePeerMutations(committed(lateKiosk).slice(1));
    t.advance(5000);
    expect(counter.store.pushCandidates(100).some((m) => m.deviceId === 'kiosk-2')).toBe(false);
    for (const core of [kiosk, counter, lateKiosk]) core.close();
  });

  it('drops a peer\'s mutation once a pull page carries its effects, and a rejected one once the watermark covers it', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    const a = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const b = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const [ma] = committed(kiosk);
    counter.store.receivePeerMutations(committed(kiosk));
    expect(counter.store.peerPendingCount()).toBe(2);
    // The server applied A001 and refused A002.
    counter.store.applyPage(
      [{ seq: 1, change: { entity: 'ticket', id: a.id, data: a }, origin: { mutationId: ma?.id ?? '', deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 1 }, at: a.issuedAt }],
      1,
      [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 2 }],
    );
    expect(counter.store.peerPendingCount()).toBe(0);
    expect(counter.store.live.queue.tickets[a.id]).toBeDefined();
    expect(counter.store.live.queue.tickets[b.id]).toBeUndefined();
    // Heard again later (anti-entropy from a peer that lagged), it stays settled.
    expect(counter.store.receivePeerMutations(committed(kiosk))).toBe(0);
    for (const core of [kiosk, counter]) core.close();
  });

  it('advertises the gap-free run of seqs above what the server decided: a lost datagram the watermark covers does not stall it, a missing first one is not claimed', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    const tickets = Array.from({ length: 5 }, () => kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }));
    const all = committed(kiosk);
    const entry = (core: StationCore) => core.store.meshVector().find((e) => e.deviceId === 'kiosk-1')?.seq;
    // The counter heard 1, lost 2, heard 3; the server applied 1 and 2 and the counter pulled that.
    counter.store.receivePeerMutations([all[0], all[2]].filter((m): m is Mutation => m !== undefined));
    expect(entry(counter)).toBe(1);
    const origin = (m: Mutation | undefined) => ({ mutationId: m?.id ?? '', deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: m?.seq ?? 0 });
    counter.store.applyPage(
      [0, 1].map((i) => ({ seq: i + 1, change: { entity: 'ticket' as const, id: tickets[i]!.id, data: tickets[i]! }, origin: origin(all[i]), at: tickets[i]!.issuedAt })),
      2,
      [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 2 }],
    );
    // Seq 2 is decided: it is refused if heard now, and no longer a gap.
    expect(counter.store.receivePeerMutations(all.slice(1, 2))).toBe(0);
    expect(entry(counter)).toBe(3);
    counter.store.receivePeerMutations(all.slice(4));
    expect(entry(counter)).toBe(3);
    counter.store.receivePeerMutations(all.slice(3, 4));
    expect(entry(counter)).toBe(5);
    expect(liveTickets(counter).map((x) => x.number)).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
    // A station that heard a device's later mutations but not its first ones does not claim them.
    const late = station('counter-c3', 'counter', t.now, 'c3');
    late.store.receivePeerMutations(all.slice(3));
    expect(entry(late) ?? 0).toBe(0);
    late.store.receivePeerMutations(all.slice(0, 3));
    expect(entry(late)).toBe(5);
    late.close();
    // A device the server decided for but nothing of which is held here is advertised at its watermark.
    const fresh = station('counter-c2', 'counter', t.now, 'c2');
    fresh.store.applyPage([], 0, [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 2 }]);
    expect(entry(fresh)).toBe(2);
    for (const core of [kiosk, counter, fresh]) core.close();
  });

  it('echoes the form a citizen filled at the kiosk at the counter before the central API has it, and forgets the values once it has', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const kase = kiosk.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: { phone: '13800000000' } });
    counter.store.receivePeerMutations(committed(kiosk));
    expect(counter.store.live.cases[kase.id]?.ticketId).toBe(ticket.id);
    expect(counter.store.peerCaseForms({ ticketId: ticket.id }).map((f) => [f.caseId, f.values])).toEqual([[kase.id, { phone: '13800000000' }]]);
    counter.store.applyPage([], 0, [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 2 }]);
    expect(counter.store.peerCaseForms({ caseId: kase.id })).toEqual([]);
    const stored = counter.store.db.prepare<[], { payload: string }>(`SELECT payload FROM peer_mutations WHERE type = 'submitForm'`).get();
    expect(stored?.payload).not.toContain('13800000000');
    for (const core of [kiosk, counter]) core.close();
  });

  it('does not replay on a snapshot the peer mutations it already reflects', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const counter = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    counter.store.receivePeerMutations(committed(kiosk));
    // The server called the ticket at counter 2 after applying the kiosk's issue; the counter takes a snapshot.
    const called = { ...ticket, status: 'called' as const, counterId: 'c2', calledAt: ticket.issuedAt, lastCalledAt: ticket.issuedAt, callCount: 1 };
    counter.store.applySnapshot({ cursor: 2, tickets: [called], counters: [], cases: [], settled: [{ deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 1 }] });
    expect(counter.store.peerPendingCount()).toBe(0);
    expect(counter.store.live.queue.tickets[ticket.id]).toMatchObject({ status: 'called', counterId: 'c2' });
    for (const core of [kiosk, counter]) core.close();
  });

  it('shows one hall on every station, whatever order the LAN delivers in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('issue', 'c1', 'c2', 'c3', 'finish1', 'finish2'), { minLength: 3, maxLength: 18 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
        (ops, seeds, linkUp) => {
          const t = clock();
          const kiosk = station('kiosk-1', 'kiosk', t.now);
          kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 50 });
          const counters = ['c1', 'c2', 'c3'].map((id) => station(`counter-${id}`, 'counter', t.now, id));
          const everyone = [kiosk, ...counters];
          for (const c of counters) c.counterCommand('openCounter');
          // Partial, lossy exchange as the stations act: whether each op is preceded by a sync varies.
          ops.forEach((op, i) => {
            t.advance(7);
            if (linkUp[i]) for (const a of everyone) for (const b of everyone) if (a !== b) b.store.receivePeerMutations(committed(a));
            try {
              if (op === 'issue') kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
              else if (op.startsWith('finish')) {
                const c = counters[Number(op.slice(-1)) - 1];
                const current = c && Object.values(c.store.live.queue.tickets).find((x) => x.counterId === c.identity.counterId && x.status === 'called');
                if (c && current) c.ticketCommand('finish', current.id);
              } else counters[Number(op.slice(1)) - 1]?.callNext();
            } catch {
              // a locally refused action leaves nothing behind
            }
          });
          // The LAN heals: every station hears everything, each in its own shuffled order.
          const all = everyone.flatMap(committed);
          everyone.forEach((core, i) => {
            const order = [...all].sort((x, y) => ((x.id + String(seeds[i % 3])).localeCompare(y.id + String(seeds[i % 3]))));
            for (const m of order) core.store.receivePeerMutations([m]);
          });
          const expected = liveTickets(kiosk);
          for (const core of counters) expect(liveTickets(core)).toEqual(expected);
          // No ticket is held by two counters.
          for (const core of everyone) core.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('what a station pushes after a long outage', () => {
  it('reaches past a long run of a peer\'s rows it cannot push yet to fill its batch with its own', () => {
    const t = clock();
    const kiosk = station('kiosk-1', 'kiosk', t.now);
    const c1 = station('counter-c1', 'counter', t.now, 'c1');
    kiosk.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 200 });
    for (let i = 0; i < 90; i++) kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    // The kiosk's first ticket never reached counter 1: the server takes the kiosk's seqs in order only.
    c1.store.receivePeerMutations(committed(kiosk).slice(1));
    t.advance(10);
    for (let i = 0; i < 12; i++) c1.counterCommand(i % 2 === 0 ? 'openCounter' : 'closeCounter');
    const batch = c1.store.pushCandidates(10, 0);
    expect(batch).toHaveLength(10);
    expect(batch.every((m) => m.deviceId === 'counter-c1')).toBe(true);
    expect(batch.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('leaves to their origin the peer mutations the server will not take from it: without a device proof, or refused as unproven', () => {
    const t = clock();
    const keyless = station('kiosk-1', 'kiosk', t.now);
    keyless.deviceProver = undefined;
    const kiosk2 = station('kiosk-2', 'kiosk', t.now);
    const c1 = station('counter-c1', 'counter', t.now, 'c1');
    keyless.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 10 });
    kiosk2.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 11, end: 20 });
    keyless.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    keyless.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    c1.store.receivePeerMutations(committed(keyless));
    t.advance(10);
    kiosk2.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    c1.store.receivePeerMutations(committed(kiosk2));
    t.advance(10);
    c1.counterCommand('openCounter');
    const pushed = (batch: Mutation[]) => batch.map((m) => `${m.deviceId}:${m.seq}`);
    // At first the hall waits for the keyless kiosk to push its own, as for any peer.
    expect(pushed(c1.store.pushCandidates(10, 1000))).toEqual([]);
    t.advance(1000);
    // Then its mutations are left out, both of them; a proven peer's and the counter's own go.
    expect(pushed(c1.store.pushCandidates(10, 1000))).toEqual(['kiosk-2:1', 'counter-c1:1']);
    // The server refused kiosk 2's (say its key is of an earlier enrollment): not relayed again.
    expect(c1.store.recordUnrelayable([{ deviceId: 'kiosk-2', epoch: kiosk2.store.epoch, seq: 1 }])).toBe(1);
    expect(c1.store.recordUnrelayable([{ deviceId: 'kiosk-2', epoch: kiosk2.store.epoch, seq: 1 }])).toBe(0);
    expect(pushed(c1.store.pushCandidates(10, 1000))).toEqual(['counter-c1:1']);
  });
});
