import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYNC_LIMITS, type LogEntry, type Ticket } from '@hall/shared';
import { StationCore } from '../core';
import { testCatalogue, waitingTicket } from '../testing/hall';
import { LocalRejection } from './store';

const NOW = Date.parse('2026-03-02T02:00:00.000Z'); // 10:00 in Shanghai

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'station-store-')), 'station.db');
}

function kiosk(file = tempFile(), now = () => NOW): StationCore {
  const core = StationCore.open(file, { deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk' }, now);
  if (!core.store.catalogue) core.store.replaceCatalogue(testCatalogue());
  return core;
}

function counter(file = tempFile(), counterId = 'c1'): StationCore {
  const core = StationCore.open(file, { deviceId: `counter-${counterId}`, hallId: 'hall-1', role: 'counter', counterId }, () => NOW);
  core.store.replaceCatalogue(testCatalogue());
  return core;
}

describe('station store', () => {
  it('commits intent and outbox together with gap-free seqs, surviving a reopen', () => {
    const file = tempFile();
    const station = kiosk(file);
    station.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 21, end: 23 });
    const tickets = [0, 1, 2].map(() => station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }));
    expect(tickets.map((t) => t.number)).toEqual(['A021', 'A022', 'A023']);
    expect(() => station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' })).toThrow(LocalRejection);
    const outbox = station.store.outbox();
    expect(outbox.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(outbox.every((r) => r.status === 'pending' && r.type === 'issueTicket')).toBe(true);
    const epoch = station.store.epoch;
    station.close();

    const reopened = kiosk(file);
    expect(reopened.store.epoch).toBe(epoch);
    expect(reopened.store.nextSeq).toBe(4);
    expect(Object.values(reopened.store.live.queue.tickets).map((t) => t.number).sort()).toEqual(['A021', 'A022', 'A023']);
    expect(reopened.store.remainingNumbers('qA', '2026-03-02')).toBe(0);
    reopened.close();
  });

  it('keeps the hall\'s published notices with the catalogue across a reopen', () => {
    const file = tempFile();
    const station = kiosk(file);
    const notices = [{ id: 'n1', text: { zh: '今日下午出入境业务暂停' } }];
    station.store.replaceCatalogue({ ...testCatalogue(), notices, version: 'with-notices' });
    station.close();
    const reopened = kiosk(file);
    expect(reopened.store.catalogue?.notices).toEqual(notices);
    reopened.store.replaceCatalogue({ ...testCatalogue(), version: 'without' });
    expect(reopened.store.catalogue?.notices).toBeUndefined();
    reopened.close();
    const again = kiosk(file);
    expect(again.store.catalogue?.notices).toEqual([]);
    again.close();
  });

  it('starts a new epoch for a new database and refuses another device\'s database', () => {
    const file = tempFile();
    const a = kiosk(file);
    const epoch = a.store.epoch;
    a.close();
    const b = kiosk(tempFile());
    expect(b.store.epoch).not.toBe(epoch);
    b.close();
    expect(() => StationCore.open(file, { deviceId: 'kiosk-2', hallId: 'hall-1', role: 'kiosk' })).toThrow(/belongs to device "kiosk-1"/);
  });

  it('leaves nothing behind when the engine refuses an intent locally', () => {
    const station = counter();
    expect(() => station.ticketCommand('finish', 'nope')).toThrow(/holds no ticket/);
    expect(station.callNext).toThrow();
    try {
      station.callNext();
    } catch (error) {
      expect((error as LocalRejection).code).toBe('counter_closed');
    }
    expect(station.store.outbox()).toEqual([]);
    expect(station.store.nextSeq).toBe(1);
  });

  it('rebases pending mutations onto pulled server state', () => {
    const station = counter();
    station.counterCommand('openCounter');
    // The server says a kiosk issued A001 and A002.
    const issued = (n: number): Ticket => waitingTicket(n, NOW);
    const entries: LogEntry[] = [1, 2].map((n) => ({ seq: n, change: { entity: 'ticket', id: `t${n}`, data: issued(n) }, at: new Date(NOW).toISOString() }));
    station.store.applyPage(entries, 2);
    expect(station.store.cursor).toBe(2);
    // Pending openCounter was rebased on top of the page: the counter is still open locally.
    expect(station.store.live.queue.counters.c1?.state).toEqual({ status: 'open' });
    expect(station.store.base.queue.counters.c1).toBeUndefined();
    const called = station.callNext();
    expect(called?.number).toBe('A001');
    expect(station.store.outbox().map((r) => r.type)).toEqual(['openCounter', 'callNext']);
    expect(station.store.outbox()[1]?.payload).toMatchObject({ counterId: 'c1', ticketId: 't1' });

    // Another counter's call of t1 reaches the server first: t1 is now at c2 in the log.
    const atC2: Ticket = { ...issued(1), status: 'called', counterId: 'c2', calledAt: new Date(NOW).toISOString(), callCount: 1 };
    station.store.applyPage([{ seq: 3, change: { entity: 'ticket', id: 't1', data: atC2 }, at: new Date(NOW).toISOString() }], 3);
    // The pending call no longer applies: live shows the server's truth until the server answers.
    expect(station.store.live.queue.tickets.t1?.counterId).toBe('c2');
    const rejected = station.store.recordResults([
      { id: 'x', seq: 1, status: 'applied', logSeq: 4 },
      { id: 'y', seq: 2, status: 'rejected', code: 'ticket_not_callable', reason: 'ticket A001 is not waiting for counter 1' },
    ]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ seq: 2, status: 'rejected', code: 'ticket_not_callable' });
    expect(station.store.outboxCounts()).toMatchObject({ pending: 0, applied: 1, rejected: 1 });
    // The applied openCounter is still replayed until the cursor passes its log position.
    expect(station.store.live.queue.counters.c1?.state).toEqual({ status: 'open' });
  });

  it('removes the effect of a rejected mutation but keeps its reason', () => {
    const station = kiosk();
    station.store.addNumberBlock({ queueId: 'qB', day: '2026-03-02', start: 1, end: 5 });
    const ticket = station.issueTicket({ serviceIds: ['s3'], kind: 'walk_in' });
    station.store.recordResults([{ id: 'x', seq: 1, status: 'rejected', code: 'number_taken', reason: 'taken' }]);
    expect(station.store.live.queue.tickets[ticket.id]).toBeUndefined();
    const row = station.store.db.prepare('SELECT COUNT(*) AS n FROM tickets WHERE layer = ? AND id = ?').get('live', ticket.id) as { n: number };
    expect(row.n).toBe(0);
    expect(station.store.outbox()[0]).toMatchObject({ status: 'rejected', reason: 'taken' });
  });

  it('confirms its own mutations without replaying the outbox, and rebases when the server differs', () => {
    const station = kiosk();
    station.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 1, end: 9 });
    const [a, b] = [station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }), station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' })];
    station.store.recordResults([
      { id: 'm1', seq: 1, status: 'applied', logSeq: 1 },
      { id: 'm2', seq: 2, status: 'applied', logSeq: 2 },
    ]);
    const origin = (seq: number) => ({ mutationId: `m${seq}`, deviceId: 'kiosk-1', epoch: station.store.epoch, seq });
    const fired: string[] = [];
    station.store.onLiveChange((changes) => fired.push(...changes.map((c) => c.change.id)));
    // The server echoes A001 as issued, with its keys in another order.
    const echoed = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    station.store.applyPage([{ seq: 1, change: { entity: 'ticket', id: a.id, data: echoed }, origin: origin(1), at: a.issuedAt }], 1);
    expect(fired).toEqual([]);
    expect(station.store.base.queue.tickets[a.id]).toEqual(a);
    // The server's value for A002 differs (another counter called it): full rebase, listeners told.
    const called = { ...b, status: 'called' as const, counterId: 'c2', callCount: 1 };
    station.store.applyPage([{ seq: 2, change: { entity: 'ticket', id: b.id, data: called }, origin: origin(2), at: b.issuedAt }], 2);
    expect(fired).toEqual([b.id]);
    expect(station.store.live.queue.tickets[b.id]?.status).toBe('called');
    const row = station.store.db.prepare(`SELECT data FROM tickets WHERE layer = 'live' AND id = ?`).get(b.id) as { data: string };
    expect(JSON.parse(row.data).status).toBe('called');
  });

  it('keeps form values past acknowledgement until the restore horizon, and none past a rejection', () => {
    const station = kiosk();
    const created = station.submitForm({ serviceId: 's1', answers: {}, values: { name: 'fixture-name', phone: '1'.padEnd(11, '0') } });
    const refused = station.submitForm({ serviceId: 's1', answers: {}, values: { name: 'other-name' } });
    expect(created.status).toBe('submitted');
    expect(station.store.outbox()[0]?.payload).toMatchObject({ values: { name: 'fixture-name' } });
    station.store.recordResults([
      { id: 'x', seq: 1, status: 'applied', logSeq: 9 },
      { id: 'y', seq: 2, status: 'rejected', code: 'no', reason: 'no' },
    ]);
    const payloadOf = (caseId: string) => station.store.outbox().find((r) => (r.payload as { caseId: string }).caseId === caseId)?.payload as { values: unknown; caseId: string };
    // A central database restored from last night's backup may need the values again.
    expect(payloadOf(created.id).values).toEqual({ name: 'fixture-name', phone: '10000000000' });
    // A rejected form is never sent again: its values go at once.
    expect(payloadOf(refused.id).values).toEqual({});
    expect(station.store.scrubAcknowledgedForms(new Date(NOW - 1000).toISOString())).toBe(0);
    expect(station.store.scrubAcknowledgedForms(new Date(NOW + 1000).toISOString())).toBe(1);
    expect(payloadOf(created.id).values).toEqual({});
    expect(payloadOf(created.id).caseId).toBe(created.id);
    // The case itself still replays from the scrubbed payload until the log reflects it.
    expect(station.store.live.cases[created.id]?.serviceId).toBe('s1');
  });

  it('refuses at commit a mutation larger than the central API takes, leaving nothing behind', () => {
    const station = kiosk();
    const huge = { name: 'x'.repeat(SYNC_LIMITS.maxPayloadBytes) };
    let thrown: unknown;
    try {
      station.submitForm({ serviceId: 's1', answers: {}, values: huge });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LocalRejection);
    expect(thrown).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/at most 65536 bytes/) });
    expect(station.store.outbox()).toEqual([]);
    expect(station.store.nextSeq).toBe(1);
    expect(Object.keys(station.store.live.cases)).toEqual([]);
    // Multi-byte characters count as the bytes they take on the wire.
    expect(() => station.submitForm({ serviceId: 's1', answers: {}, values: { name: '张'.repeat(SYNC_LIMITS.maxPayloadBytes / 3) } })).toThrow(LocalRejection);
    expect(station.submitForm({ serviceId: 's1', answers: {}, values: { name: 'fixture-name' } }).status).toBe('submitted');
  });

  it('opens a new epoch by renumbering only its unconfirmed rows from seq 1, ids kept', () => {
    const file = tempFile();
    const station = kiosk(file);
    station.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 1, end: 9 });
    for (let i = 0; i < 4; i++) station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    station.store.recordResults([
      { id: 'a', seq: 1, status: 'applied', logSeq: 1 },
      { id: 'b', seq: 2, status: 'rejected', code: 'no', reason: 'no' },
    ]);
    const before = station.store.outbox();
    const oldEpoch = station.store.epoch;
    const epoch = station.store.openNewEpoch();
    expect(epoch).not.toBe(oldEpoch);
    const after = station.store.outbox();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.map((r) => [r.epoch === epoch ? 'new' : 'old', r.seq, r.status])).toEqual([
      ['old', 1, 'applied'],
      ['old', 2, 'rejected'],
      ['new', 1, 'pending'],
      ['new', 2, 'pending'],
    ]);
    expect(station.store.pendingMutations(10).map((m) => [m.epoch, m.seq, m.id])).toEqual([
      [epoch, 1, before[2]?.id],
      [epoch, 2, before[3]?.id],
    ]);
    const next = station.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    expect(station.store.outbox().at(-1)).toMatchObject({ epoch, seq: 3, status: 'pending' });
    expect(station.store.outboxCounts()).toMatchObject({ pending: 3, applied: 1, rejected: 1 });
    // An answer names the current epoch's seq; the old epoch's seq 1 is left alone.
    station.store.recordResults([{ id: 'c', seq: 1, status: 'applied', logSeq: 5 }]);
    expect(station.store.outbox().filter((r) => r.status === 'applied').map((r) => [r.epoch === epoch, r.seq])).toEqual([
      [false, 1],
      [true, 1],
    ]);
    station.close();
    const reopened = kiosk(file);
    expect(reopened.store.epoch).toBe(epoch);
    expect(reopened.store.nextSeq).toBe(4);
    expect(reopened.store.outboxCounts()).toMatchObject({ pending: 2, applied: 2, rejected: 1 });
    expect(reopened.store.live.queue.tickets[next.id]).toBeDefined();
    reopened.close();
  });
});
