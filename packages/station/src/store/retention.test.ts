import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case, LogEntry, Ticket } from '@hall/shared';
import { shiftLocalDay } from '@hall/shared';
import { StationCore } from '../core';
import { testCatalogue } from '../testing/hall';

const DAY_MS = 86_400_000;
/** 10:00 in Shanghai on the first of three past hall-days; the live day is the fourth. */
const FIRST = Date.parse('2026-03-02T02:00:00.000Z');
const LIVE_DAY = '2026-03-05';

function kioskAt(file: string, clock: { now: number }): StationCore {
  const core = StationCore.open(file, { deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk' }, () => clock.now);
  if (!core.store.catalogue) core.store.replaceCatalogue(testCatalogue());
  return core;
}

function caseRow(id: string, status: Case['status'], at: string, ticketId?: string): Case {
  return { id, hallId: 'hall-1', serviceId: 's1', status, answers: {}, timeline: [{ at, kind: status === 'refused' ? 'refused' : 'accepted' }], ...(ticketId ? { ticketId } : {}) } as unknown as Case;
}

/**
 * A kiosk that worked three past hall-days: day 1 fully synced (its rows acknowledged and
 * pulled back), day 2's last ticket still unsent, day 3's ticket named by an open case, and a
 * case closed on day 1; then a ticket of the live day.
 */
function stationWithHistory(file: string) {
  const clock = { now: FIRST };
  const core = kioskAt(file, clock);
  const days = [0, 1, 2, 3].map((n) => shiftLocalDay('2026-03-02', n));
  for (const day of days) core.store.addNumberBlock({ queueId: 'qA', day, start: 1, end: 50 });
  const synced = [core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }), core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' })];
  const at = new Date(clock.now).toISOString();
  core.store.recordResults(synced.map((t, i) => ({ id: `m${i}`, seq: i + 1, status: 'applied' as const, logSeq: i + 1 })));
  const closed = caseRow('case-closed', 'refused', at, synced[0]!.id);
  const entries: LogEntry[] = [
    ...synced.map((t, i) => ({ seq: i + 1, change: { entity: 'ticket' as const, id: t.id, data: t }, origin: { mutationId: core.store.outbox()[i]!.id, deviceId: 'kiosk-1', epoch: core.store.epoch, seq: i + 1 }, at })),
    { seq: 3, change: { entity: 'case', id: closed.id, data: closed }, at },
  ];
  core.store.applyPage(entries, 3);

  clock.now = FIRST + DAY_MS;
  const unsent = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  clock.now = FIRST + 2 * DAY_MS;
  const withCase: Ticket = { ...core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }) };
  const day3 = new Date(clock.now).toISOString();
  core.store.recordResults([{ id: 'm4', seq: 4, status: 'applied', logSeq: 4 }]);
  const open = caseRow('case-open', 'accepted', day3, withCase.id);
  const origin = { mutationId: core.store.outbox().find((r) => r.seq === 4)!.id, deviceId: 'kiosk-1', epoch: core.store.epoch, seq: 4 };
  core.store.applyPage(
    [
      { seq: 4, change: { entity: 'ticket', id: withCase.id, data: withCase }, origin, at: day3 },
      { seq: 5, change: { entity: 'case', id: open.id, data: open }, at: day3 },
    ],
    5,
  );
  clock.now = FIRST + 3 * DAY_MS;
  const today = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  return { core, clock, synced, unsent, withCase, today };
}

describe('station retention by hall-day', () => {
  it('keeps only the live day and what a pending mutation or an open case needs, across a reopen', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'station-retention-')), 'station.db');
    const { core, clock, synced, unsent, withCase, today } = stationWithHistory(file);
    expect(Object.keys(core.store.live.queue.tickets)).toHaveLength(5);
    const acked = core.store.outbox().filter((r) => r.status === 'applied');
    expect(acked).toHaveLength(3);

    const result = core.store.forgetPastDays({ liveDay: LIVE_DAY, pastDays: 0, ackedBefore: new Date(clock.now - 48 * 3600_000).toISOString(), timeZone: 'Asia/Shanghai' });
    expect(result).toMatchObject({ tickets: 4, cases: 2, outbox: 2 });
    const check = (station: StationCore) => {
      const live = Object.keys(station.store.live.queue.tickets).sort();
      expect(live).toEqual([unsent.id, withCase.id, today.id].sort());
      for (const t of synced) expect(station.store.base.queue.tickets[t.id]).toBeUndefined();
      expect(Object.keys(station.store.live.cases)).toEqual(['case-open']);
      // The unsent mutations are still there to push; the acknowledged ones went.
      expect(station.store.outbox().map((r) => r.status)).toEqual(['pending', 'applied', 'pending']);
      expect(station.store.base.queue.tickets[withCase.id]).toBeDefined();
      expect(station.store.remainingNumbers('qA', '2026-03-02')).toBe(0);
      expect(station.store.remainingNumbers('qA', LIVE_DAY)).toBe(49);
    };
    check(core);
    core.close();
    const reopened = kioskAt(file, clock);
    check(reopened);
    // The live day goes on as before: numbering continues after the kept ticket.
    expect(reopened.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }).number).toBe('A002');
    reopened.close();
  });

  it('keeps the configured past days and acknowledged rows within the restore horizon', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'station-retention-')), 'station.db');
    const { core, clock, synced } = stationWithHistory(file);
    const result = core.store.forgetPastDays({ liveDay: LIVE_DAY, pastDays: 3, ackedBefore: new Date(clock.now - 96 * 3600_000).toISOString(), timeZone: 'Asia/Shanghai' });
    expect(result).toMatchObject({ tickets: 0, cases: 0, outbox: 0 });
    for (const t of synced) expect(core.store.base.queue.tickets[t.id]).toBeDefined();
    expect(Object.keys(core.store.live.cases).sort()).toEqual(['case-closed', 'case-open']);
    core.close();
  });
});
