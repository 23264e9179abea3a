import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callKindOf, emptyHallState, type HallState, type Ticket } from '@hall/shared';
import { testCatalogue } from '../../testing/hall';
import type { LanCall } from '../../lan/message';
import { DisplayBoard } from './board';
import { callKey } from './rules/calls';
import { CallStore } from './callStore';
import { DEFAULT_DISPLAY_SETTINGS } from './config';

const T0 = Date.parse('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai
const iso = (ms: number) => new Date(ms).toISOString();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ticket(id: string, number: string, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    hallId: 'hall-1',
    queueId: number.startsWith('A') ? 'qA' : 'qB',
    day: '2026-03-02',
    number,
    kind: 'walk_in',
    serviceIds: ['s1'],
    issuedAt: iso(T0 - 600_000),
    queuedAt: iso(T0 - 600_000),
    status: 'waiting',
    callCount: 0,
    ...overrides,
  };
}

function called(t: Ticket, counterId: string, at: number, recall = false): Ticket {
  return { ...t, status: 'called', counterId, lastCalledAt: iso(at), calledAt: t.calledAt ?? iso(at), callCount: t.callCount + 1, recallCount: recall ? (t.recallCount ?? 0) + 1 : 0 };
}

function lanCall(t: Ticket, counterId: string, counterNumber = '99'): LanCall {
  return { ticketId: t.id, ticketNumber: t.number, counterId, counterNumber, kind: callKindOf(t), calledAt: t.lastCalledAt ?? '', callCount: t.callCount };
}

function setup(file?: string, names: 'masked' | 'hidden' = 'masked') {
  const dir = mkdtempSync(join(tmpdir(), 'board-'));
  dirs.push(dir);
  const clock = { now: T0 };
  const live: HallState = emptyHallState();
  const catalogue = testCatalogue();
  const store = new CallStore(file ?? join(dir, 'calls.sqlite'));
  const make = () =>
    new DisplayBoard({
      store,
      live: () => live,
      catalogue: () => catalogue,
      online: () => true,
      settings: { ...DEFAULT_DISPLAY_SETTINGS, historySize: 5, names },
      notices: ['今日办理截止 17:00'],
      freshMs: 60_000,
      voice: true,
      now: () => clock.now,
    });
  const board = make();
  board.start();
  const sync = (t: Ticket) => {
    live.queue.tickets[t.id] = t;
    board.ingestChanges([{ change: { entity: 'ticket', id: t.id, data: t } }]);
  };
  return { board, live, clock, store, sync, dir, make, catalogue };
}

describe('display board', () => {
  it('shows a call once whichever path brings it first, and announces it once', () => {
    const { board, sync, clock } = setup();
    const a = called(ticket('t1', 'A001'), 'c3', T0 - 500);
    expect(board.ingestLanCall(lanCall(a, 'c3'))).toBe(true);
    clock.now += 200;
    sync(a);
    expect(board.ingestLanCall(lanCall(a, 'c3'))).toBe(false);
    const state = board.state();
    expect(state.recent.map((c) => [c.ticketNumber, c.counterNumber, c.source])).toEqual([['A001', '3', 'lan']]);
    expect(state.announcements.map((a) => a.text)).toEqual(['请A001号到3号窗口办理']);

    const b = called(ticket('t2', 'B001'), 'c1', T0 + 1000);
    sync(b);
    board.ingestLanCall(lanCall(b, 'c1'));
    expect(board.state().recent.map((c) => `${c.ticketNumber}:${c.source}`)).toEqual(['B001:sync', 'A001:lan']);
    expect(board.state().announcements.map((a) => a.ticketNumber)).toEqual(['A001', 'B001']);

    board.announcementDone(callKey('t1', a.lastCalledAt ?? ''), 'played');
    expect(board.state().announcements.map((a) => a.ticketNumber)).toEqual(['B001']);
  });

  it('names the counter by the hall catalogue, not by the LAN message', () => {
    const { board } = setup();
    const a = called(ticket('t1', 'A001'), 'c2', T0);
    board.ingestLanCall(lanCall(a, 'c2', '9'));
    expect(board.state().latest?.counterNumber).toBe('2');
    expect(board.ingestLanCall(lanCall(called(ticket('t9', 'A009'), 'c-unknown', T0), 'c-unknown'))).toBe(false);
  });

  it('announces a recall as a new call with 再次', () => {
    const { board, sync } = setup();
    const first = called(ticket('t1', 'A001'), 'c1', T0 - 30_000);
    sync(first);
    const again = called(first, 'c1', T0, true);
    sync(again);
    expect(board.state().announcements.map((a) => a.text)).toEqual(['请A001号到1号窗口办理', '请A001号再次到1号窗口办理']);
    expect(board.state().recent).toHaveLength(2);
  });

  it('catches up on old calls without announcing them', () => {
    const { board, sync } = setup();
    sync(called(ticket('t1', 'A001'), 'c1', T0 - 5 * 60_000));
    expect(board.state().recent.map((c) => c.ticketNumber)).toEqual(['A001']);
    expect(board.state().announcements).toEqual([]);
  });

  it('drops announcements nobody played in time', () => {
    const { board, sync, clock } = setup();
    sync(called(ticket('t1', 'A001'), 'c1', T0));
    clock.now += 61_000;
    expect(board.state().announcements).toEqual([]);
  });

  it('after a restart keeps the calls, finishes the unplayed announcement and never repeats a played one', () => {
    const first = setup();
    const a = called(ticket('t1', 'A001'), 'c1', T0);
    const b = called(ticket('t2', 'A002'), 'c2', T0 + 100);
    first.board.ingestLanCall(lanCall(a, 'c1'));
    first.board.ingestLanCall(lanCall(b, 'c2'));
    first.board.announcementDone(callKey('t1', a.lastCalledAt ?? ''), 'played');
    first.clock.now += 5000;
    // Restart: a new board on the same call store and the (empty) synced state.
    const board = first.make();
    board.start();
    expect(board.state().recent.map((c) => c.ticketNumber)).toEqual(['A002', 'A001']);
    expect(board.state().announcements.map((x) => x.ticketNumber)).toEqual(['A002']);
    expect(board.ingestLanCall(lanCall(a, 'c1'))).toBe(false);
  });

  it('shows counter states, LAN states until sync reports the counter, and waiting counts', () => {
    const { board, live, sync } = setup();
    live.queue.counters.c1 = { state: { status: 'paused', reason: '午休' } } as never;
    live.queue.counters.c2 = { state: { status: 'open' } } as never;
    sync(ticket('w1', 'A010'));
    sync(ticket('w2', 'A011'));
    sync(ticket('w3', 'B010'));
    let state = board.state();
    expect(state.counters.map((c) => [c.number, c.status, c.reason])).toEqual([
      ['1', 'paused', '午休'],
      ['2', 'open', undefined],
      ['3', 'closed', undefined],
    ]);
    expect(state.queues.map((q) => [q.prefix, q.waiting])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    const w1 = live.queue.tickets.w1;
    if (!w1) throw new Error('w1');
    board.ingestLanCall(lanCall(called(w1, 'c2', T0), 'c2'));
    board.ingestLanCounterState({ counterId: 'c1', counterNumber: '1', state: { status: 'open' }, at: iso(T0) });
    state = board.state();
    expect(state.counters.map((c) => [c.status, c.servingTicketNumber])).toEqual([
      ['open', undefined],
      ['serving', 'A010'],
      ['closed', undefined],
    ]);
    expect(state.queues[0]?.waiting).toBe(1);
    live.queue.counters.c1 = { state: { status: 'paused', reason: '系统维护' } } as never;
    board.ingestChanges([{ change: { entity: 'counter', id: 'c1', data: live.queue.counters.c1 } as never }]);
    expect(board.state().counters[0]).toMatchObject({ status: 'paused', reason: '系统维护' });
    expect(board.state().notices).toEqual(['今日办理截止 17:00']);
  });

  it('adds the notices the hall publishes in the catalogue after its own', () => {
    const { board, catalogue } = setup();
    catalogue.notices = [{ id: 'n1', text: { zh: '今日下午出入境业务暂停', en: 'No exit-entry service this afternoon' } }];
    expect(board.state().notices).toEqual(['今日办理截止 17:00', '今日下午出入境业务暂停']);
  });

  it('shows masked names only when the hall wants them', () => {
    const { board, sync } = setup();
    sync(called(ticket('t1', 'A001', { citizen: { maskedName: '张*丰', idHash: 'a'.repeat(64) } }), 'c1', T0));
    expect(board.state().latest?.maskedName).toBe('张*丰');
    const hidden = setup(undefined, 'hidden');
    hidden.sync(called(ticket('t1', 'A001', { citizen: { maskedName: '张*丰', idHash: 'a'.repeat(64) } }), 'c1', T0));
    expect(hidden.board.state().latest).not.toHaveProperty('maskedName');
  });

  it('marks a 咨询号 by its ticket, or by its queue\'s consultation letter while only the LAN call is known', () => {
    const { board, sync, catalogue } = setup();
    catalogue.queues = catalogue.queues.map((q) => (q.id === 'qA' ? { ...q, consultationPrefix: 'Z' } : q));
    // Only the counter's LAN call so far: the letter says it.
    board.ingestLanCall(lanCall(called(ticket('t1', 'Z001', { queueId: 'qA', kind: 'consultation' }), 'c1', T0), 'c1'));
    expect(board.state().latest).toMatchObject({ ticketNumber: 'Z001', consultation: true });
    // The synced ticket's kind decides once it is known, whatever its letter.
    sync(called(ticket('t2', 'A002', { kind: 'consultation' }), 'c2', T0 + 1000));
    sync(called(ticket('t3', 'A003'), 'c3', T0 + 2000));
    expect(board.state().recent.map((c) => [c.ticketNumber, c.consultation ?? false])).toEqual([
      ['A003', false],
      ['A002', true],
      ['Z001', true],
    ]);
  });
});
