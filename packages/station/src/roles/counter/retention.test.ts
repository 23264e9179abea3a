import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import type { CentralLogin } from './clerkAuth';
import { openCounterDb } from './counterDb';
import { CounterRole } from './role';
import { counterKeeps } from './rules/retention';

const DAY_MS = 86_400_000;
/** 10:00 in Shanghai on a past hall-day; the live day is three days later. */
const PAST = Date.parse('2026-03-02T02:00:00.000Z');
const PAST_AT = new Date(PAST).toISOString();
const LIVE_DAY = '2026-03-05';
const central: CentralLogin = async () => ({ status: 503, body: {} });

const opened: { core: StationCore; role: CounterRole }[] = [];
afterEach(() => {
  for (const { core, role } of opened.splice(0)) {
    role.close();
    core.close();
  }
});

/**
 * A counter whose counter.db holds a past day's work: some of it nothing needs any more,
 * some of it named by a mutation not yet sent, some of it of a case still open.
 */
function counterWithPastDay() {
  const clock = { now: PAST };
  const dir = mkdtempSync(join(tmpdir(), 'counter-retention-'));
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' }, () => clock.now);
  core.store.replaceCatalogue(testCatalogue());
  core.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 1, end: 50 });
  const db = openCounterDb(join(dir, 'counter.db'));
  const role = new CounterRole({ core, db, central, emit: () => undefined, idHashKey: 'unit-test-city-key', now: () => clock.now });
  opened.push({ core, role });
  // Still unsent (pending in the outbox): its ticket is named by a mutation to be decided.
  const unsent = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  // An open case (submitted, not decided): its receipt may be reprinted, its pages are still read.
  const openTicket = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  const openCase = core.submitForm({ serviceId: 's1', ticketId: openTicket.id, answers: {}, values: {} });

  const insert = {
    served: db.prepare('INSERT INTO served (ticket_id, staff_id, day, at) VALUES (?, ?, ?, ?)'),
    rating: db.prepare("INSERT INTO ratings (ticket_id, staff_id, counter_id, rating, defaulted, at) VALUES (?, 'staff-1', 'c1', 'satisfied', 0, ?)"),
    print: db.prepare("INSERT INTO prints (id, kind, ticket_id, case_id, staff_id, at, preview, escpos, printed, printer_error) VALUES (?, ?, ?, ?, 'staff-1', ?, '<svg/>', x'1b40', 1, NULL)"),
    work: db.prepare("INSERT INTO case_work (case_id, ticket_id, service_id, data, updated_at) VALUES (?, ?, 's1', '{}', ?)"),
    page: db.prepare("INSERT INTO pages (id, case_id, material_id, position, mime, width, height, source, bytes) VALUES (?, ?, 'm1', 0, 'image/png', 1, 1, 'scanner', x'00')"),
    photo: db.prepare("INSERT INTO collector_photos (id, case_id, mime, bytes, at) VALUES (?, ?, 'image/jpeg', x'00', ?)"),
  };
  const liveAt = new Date(PAST + 3 * DAY_MS).toISOString();
  for (const [id, day, at] of [['t-old', '2026-03-02', PAST_AT], [unsent.id, '2026-03-02', PAST_AT], ['t-live', LIVE_DAY, liveAt]] as const) insert.served.run(id, 'staff-1', day, at);
  for (const [id, at] of [['t-old', PAST_AT], [unsent.id, PAST_AT], ['t-live', liveAt]] as const) insert.rating.run(id, at);
  insert.print.run('p-old', 'acceptance_receipt', 't-old', 'case-closed', PAST_AT);
  insert.print.run('p-open', 'acceptance_receipt', openTicket.id, openCase.id, PAST_AT);
  insert.print.run('p-unsent', 'one_time_notice', unsent.id, null, PAST_AT);
  insert.print.run('p-live', 'one_time_notice', 't-live', null, liveAt);
  insert.work.run('case-closed', 't-old', PAST_AT);
  insert.work.run(openCase.id, openTicket.id, PAST_AT);
  insert.page.run('page-closed', 'case-closed');
  insert.page.run('page-open', openCase.id);
  insert.photo.run('photo-old', 'case-closed', PAST_AT);
  insert.photo.run('photo-open', openCase.id, PAST_AT);
  clock.now = PAST + 3 * DAY_MS;
  return { core, db, unsent, openTicket, openCase };
}

const ids = (db: ReturnType<typeof openCounterDb>, sql: string) => (db.prepare(sql).pluck().all() as string[]).sort();

describe('counter.db retention by hall-day', () => {
  it('forgets past days with the station store, keeping what a pending mutation, an open case or a reprint needs', () => {
    const { core, db, unsent, openTicket, openCase } = counterWithPastDay();
    core.store.forgetPastDays({ liveDay: LIVE_DAY, pastDays: 0, ackedBefore: new Date(PAST).toISOString(), timeZone: 'Asia/Shanghai' });

    expect(ids(db, 'SELECT ticket_id FROM served')).toEqual([unsent.id, 't-live'].sort());
    expect(ids(db, 'SELECT ticket_id FROM ratings')).toEqual([unsent.id, 't-live'].sort());
    // The open case's receipt can still be reprinted; so can the unsent ticket's notice.
    expect(ids(db, 'SELECT id FROM prints')).toEqual(['p-live', 'p-open', 'p-unsent']);
    expect(ids(db, 'SELECT case_id FROM case_work')).toEqual([openCase.id]);
    expect(ids(db, 'SELECT id FROM pages')).toEqual(['page-open']);
    expect(ids(db, 'SELECT id FROM collector_photos')).toEqual(['photo-open']);
    // The station store kept them too.
    expect(core.store.live.queue.tickets[unsent.id]).toBeDefined();
    expect(core.store.live.queue.tickets[openTicket.id]).toBeDefined();
    expect(core.store.live.cases[openCase.id]).toBeDefined();
  });

  it('keeps the past days a hall asks to keep', () => {
    const { core, db } = counterWithPastDay();
    core.store.forgetPastDays({ liveDay: LIVE_DAY, pastDays: 3, ackedBefore: new Date(PAST).toISOString(), timeZone: 'Asia/Shanghai' });
    expect(ids(db, 'SELECT id FROM prints')).toEqual(['p-live', 'p-old', 'p-open', 'p-unsent']);
    expect(ids(db, 'SELECT id FROM pages')).toEqual(['page-closed', 'page-open']);
  });

  it('keeps an open case (and its ticket) even once every mutation about it was decided, and nothing of a closed one', () => {
    const { core, openTicket, openCase } = counterWithPastDay();
    const live = core.store.live;
    const closed = { ...openCase, id: 'case-closed', ticketId: 't-old', status: 'refused' as const };
    const keeps = counterKeeps({ ...live, cases: { [openCase.id]: openCase, [closed.id]: closed } }, []);
    expect(keeps.has(openCase.id)).toBe(true);
    expect(keeps.has(openTicket.id)).toBe(true);
    expect(keeps.has('case-closed')).toBe(false);
    expect(keeps.has('t-old')).toBe(false);
  });
});
