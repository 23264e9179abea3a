import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change, LogEntry, Ticket } from '@hall/shared';
import { StationCore, stationExecutor } from '../core';
import { testCatalogue, waitingTicket } from '../testing/hall';
import type { IntentExecutor } from './rules/replay';
import { StationStore } from './store';

const NOW = Date.parse('2026-03-02T02:00:00.000Z');
const identity = { deviceId: 'counter-c1', hallId: 'hall-1', role: 'counter' as const, counterId: 'c1' };

const waiting = (n: number): Ticket => waitingTicket(n, NOW);

/** A counter station whose executor counts its runs: a replay shows as runs beyond the commits. */
function countedStation(file: string) {
  const runs = { n: 0 };
  const executor: IntentExecutor = (state, intent, catalogue) => {
    runs.n++;
    return stationExecutor(state, intent, catalogue);
  };
  const core = new StationCore(StationStore.open(file, identity.deviceId, executor, () => NOW), identity, () => NOW);
  core.store.replaceCatalogue(testCatalogue());
  return { core, runs };
}

/** The log entries the server writes for applied mutations: each change in order, from `seq` up. */
function logged(made: { id: string; seq: number; changes: readonly Change[] }[], firstSeq: number): LogEntry[] {
  let seq = firstSeq;
  return made.flatMap((m) => m.changes.map((change) => ({ seq: seq++, change, origin: { mutationId: m.id, deviceId: identity.deviceId, epoch: 'e', seq: m.seq }, at: new Date(NOW).toISOString() })));
}

describe('the live state confirmed from its derivation', () => {
  it('takes pages that echo its own work without replaying it, ending where a replay would', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'station-derivation-')), 'station.db');
    const { core, runs } = countedStation(file);
    const store = core.store;
    // What the station pulls first: a kiosk's two tickets (this rebuilds live, and with it the derivation).
    store.applyPage(
      [1, 2].map((n) => ({ seq: n, change: { entity: 'ticket', id: `t${n}`, data: waiting(n) }, origin: { mutationId: `k${n}`, deviceId: 'kiosk-9', epoch: 'k', seq: n }, at: new Date(NOW).toISOString() })),
      2,
    );
    const made: { id: string; seq: number; changes: Change[] }[] = [];
    store.onLiveChange((notes) => made.push({ id: '', seq: 0, changes: notes.map((n) => n.change) }));
    core.counterCommand('openCounter');
    core.callNext();
    core.ticketCommand('startServing', 't1');
    core.ticketCommand('finish', 't1');
    store.outbox().forEach((row, i) => Object.assign(made[i]!, { id: row.id, seq: row.seq }));
    expect(made).toHaveLength(4);
    const entries = logged(made, 3);
    store.recordResults(made.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' as const, logSeq: entries.filter((e) => e.origin?.mutationId === m.id).at(-1)!.seq })));
    const live = store.live;
    const runsBefore = runs.n;

    const firstTwo = entries.filter((e) => e.origin?.mutationId === made[0]!.id || e.origin?.mutationId === made[1]!.id);
    store.applyPage(firstTwo, firstTwo.at(-1)!.seq);
    store.applyPage(entries.slice(firstTwo.length), entries.at(-1)!.seq);

    expect(runs.n).toBe(runsBefore);
    expect(store.live).toBe(live);
    expect(store.base.queue.tickets.t1).toMatchObject({ status: 'finished' });
    expect(store.base.queue.counters.c1).toEqual(store.live.queue.counters.c1);
    core.close();

    // Reopened, the tables hold what the confirmed states held.
    const reopened = countedStation(file).core;
    expect(reopened.store.base.queue.tickets).toEqual(live.queue.tickets);
    expect(reopened.store.live.queue.tickets).toEqual(live.queue.tickets);
    expect(reopened.store.base.queue.counters).toEqual(live.queue.counters);
    reopened.close();
  });

  it('replays when the server decided otherwise than live shows', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'station-derivation-')), 'station.db');
    const { core, runs } = countedStation(file);
    const store = core.store;
    store.applyPage([{ seq: 1, change: { entity: 'ticket', id: 't1', data: waiting(1) }, origin: { mutationId: 'k1', deviceId: 'kiosk-9', epoch: 'k', seq: 1 }, at: new Date(NOW).toISOString() }], 1);
    core.counterCommand('openCounter');
    core.callNext();
    const [row] = store.outbox();
    const opened = store.live.queue.counters.c1!;
    store.recordResults([{ id: row!.id, seq: row!.seq, status: 'applied', logSeq: 2 }]);
    const runsBefore = runs.n;
    // The server has the counter paused (a supervisor's order reached it first).
    const paused = { ...opened, state: { status: 'paused', reason: '临时离开', since: new Date(NOW).toISOString() } } as typeof opened;
    store.applyPage([{ seq: 2, change: { entity: 'counter', id: 'c1', data: paused }, origin: { mutationId: row!.id, deviceId: identity.deviceId, epoch: 'e', seq: 1 }, at: new Date(NOW).toISOString() }], 2);
    // The call made on the open counter is replayed on the paused one.
    expect(runs.n).toBeGreaterThan(runsBefore);
    expect(store.live.queue.counters.c1?.state).toEqual(paused.state);
    expect(store.live.queue.tickets.t1?.status).toBe('waiting');
    core.close();
  });
});
