// Generated hall activity for the console tests: tickets over the past weeks and today,
// ratings, appointments and cases around their time limits, written straight to the
// central API's tables (what sync projects there), relative to the real clock.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../apps/server/src/db/schema';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** The hall-local (UTC+8) day of an instant. */
const localDay = (ms: number) => iso(ms + 8 * 3600_000).slice(0, 10);

export interface Activity {
  tickets: number;
  /** 咨询号 among them (every seventh ticket). */
  consultations: number;
  casesByLight: Record<'red' | 'orange' | 'yellow', string[]>;
}

export async function seedActivity(db: Kysely<Database>, hallId: string, now = Date.now()): Promise<Activity> {
  const services = await db
    .selectFrom('services as s')
    .innerJoin('queues as q', 'q.id', 's.queue_id')
    .select(['s.id', 's.queue_id', 'q.prefix'])
    .where('q.hall_id', '=', hallId)
    .orderBy('s.id')
    .execute();
  const counters = (await db.selectFrom('counters').select('id').where('hall_id', '=', hallId).orderBy('number').execute()).map((c) => c.id);
  const clerks = (await db.selectFrom('staff').select('id').where('hall_id', '=', hallId).orderBy('id').execute()).map((s) => s.id);
  let n = 0;
  let consultations = 0;
  const numbers = new Map<string, number>();
  const ratings = ['very_satisfied', 'satisfied', 'satisfied', 'neutral', 'unsatisfied'];
  const insertTicket = async (at: number, status: string, withService: boolean, day = localDay(at)) => {
    n += 1;
    const svc = services[n % services.length]!;
    const key = `${svc.queue_id}|${day}`;
    const number = (numbers.get(key) ?? 0) + 1;
    numbers.set(key, number);
    const counter = counters[n % counters.length]!;
    const clerk = clerks[n % clerks.length]!;
    const called = withService ? at + ((n * 97) % 1500) * 1000 : null;
    const start = status === 'finished' && called ? called + 20_000 : null;
    const end = start ? start + (180 + ((n * 53) % 600)) * 1000 : null;
    const id = `e2e-t${n}`;
    const kind = n % 7 === 0 ? 'consultation' : 'walk_in';
    if (kind === 'consultation') consultations += 1;
    await sql`insert into tickets (id, hall_id, queue_id, day, number, kind, service_ids_json, issued_at, queued_at, status, counter_id,
        called_at, call_count, missed_at, serving_started_at, finished_at, staff_id, transfer_count)
      values (${id}, ${hallId}, ${svc.queue_id}, ${day}, ${`${svc.prefix}${String(number).padStart(3, '0')}`}, ${kind}, ${JSON.stringify([svc.id])},
        ${iso(at)}, ${iso(at)}, ${status}, ${called ? counter : null}, ${called ? iso(called) : null}, ${called ? 1 : 0},
        ${status === 'missed' && called ? iso(called + 60_000) : null}, ${start ? iso(start) : null}, ${end ? iso(end) : null}, ${called ? clerk : null}, ${n % 29 === 0 ? 1 : 0})`.execute(db);
    if (end) {
      await sql`insert into evaluations (id, hall_id, ticket_id, counter_id, staff_id, rating, defaulted, at)
        values (${`e2e-e${n}`}, ${hallId}, ${id}, ${counter}, ${clerk}, ${ratings[n % ratings.length]!}, ${n % 4 === 0 ? 1 : 0}, ${iso(end + 5000)})`.execute(db);
    }
  };
  await db.transaction().execute(async (trx) => {
    const saved = db;
    db = trx;
    // 120 days back: a few dozen tickets a day at 09:00–12:00 local.
    for (let d = 120; d >= 1; d--) {
      const open = Date.parse(`${localDay(now - d * DAY_MS)}T01:00:00Z`);
      const count = 12 + ((d * 7) % 9);
      for (let k = 0; k < count; k++) await insertTicket(open + k * 9 * 60_000, k % 9 === 0 ? 'missed' : 'finished', true);
      await sql`insert into appointments (id, hall_id, service_id, date, slot_from, slot_to, citizen_masked_name, citizen_id_hash, status, booked_at)
        values (${`e2e-a${d}`}, ${hallId}, ${services[d % services.length]!.id}, ${localDay(now - d * DAY_MS)}, '09:00', '09:30', '李*明', ${'0'.repeat(64)},
          ${d % 4 === 0 ? 'no_show' : 'checked_in'}, ${iso(now - (d + 3) * DAY_MS)})`.execute(db);
    }
    // Today: some served, and a waiting line whose oldest ticket is 40 minutes old. They
    // belong to today's hall day even when the run starts just after local midnight and
    // their instants fall on the day before (the live hall counts by hall day).
    const today = localDay(now);
    for (let k = 0; k < 6; k++) await insertTicket(now - (90 - k * 5) * 60_000, 'finished', true, today);
    for (let k = 0; k < 9; k++) await insertTicket(now - (40 - k * 4) * 60_000, 'waiting', false, today);
    db = saved;
  });

  // Cases around their time limits; working days are Monday–Friday.
  const casesByLight: Activity['casesByLight'] = { red: [], orange: [], yellow: [] };
  // The due instant with exactly k working days in (due day, today], weekends or not.
  const workingDaysBack = (k: number): number => {
    let t = now;
    let left = k;
    while (left > 0) {
      const wd = new Date(t + 8 * 3600_000).getUTCDay();
      if (wd !== 0 && wd !== 6) left -= 1;
      t -= DAY_MS;
    }
    return t;
  };
  const kase = async (id: string, dueMs: number) => {
    const due = `${localDay(dueMs)}T09:30:00.000Z`;
    await sql`insert into cases (id, hall_id, service_id, answers_json, status, materials_json, submitted_at, accepted_at, due_at)
      values (${id}, ${hallId}, ${services[id.length % services.length]!.id}, '{}', 'accepted', '[]', ${iso(now - 20 * DAY_MS)}, ${iso(now - 20 * DAY_MS)}, ${due})`.execute(db);
  };
  for (const [light, back] of [['red', 3], ['orange', 1], ['yellow', 0]] as const) {
    const id = `SW-2026-${light.toUpperCase()}-01`;
    await kase(id, workingDaysBack(back));
    casesByLight[light].push(id);
  }
  return { tickets: n, consultations, casesByLight };
}
