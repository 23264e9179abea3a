// Retention by hall-day at the central API (issue 22): after a day change the sync state,
// the cached hall state and the snapshots a station is given cover the kept days and every
// open case; the history stays in the tickets and cases tables statistics read.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidV7, type Mutation, localDay } from '@hall/shared';
import { SyncClient } from '@hall/station';
import { forgetHallPastDays } from '../../apps/server/src/sync/retention';
import { hallStateSize } from '../../apps/server/src/sync/state';
import { eventually, freshEnrollmentCode, startCentral, startTestStation, type Central } from './harness';

const HALL = 't1-hall';
const DAY_MS = 86_400_000;
/** 10:00 in Shanghai on the first of three past hall-days; the fourth is the live day. */
const FIRST = Date.parse('2026-03-02T02:00:00.000Z');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A kiosk speaking the sync protocol directly, stamping its mutations with the central API's (simulated) clock. */
class Kiosk {
  private seq = 0;
  private readonly epoch = `e-${randomBytes(4).toString('hex')}`;
  constructor(
    readonly client: SyncClient,
    private readonly clock: { now: number },
  ) {}

  private async push(type: Mutation['type'], payload: Record<string, unknown>): Promise<void> {
    this.seq += 1;
    const at = new Date(this.clock.now).toISOString();
    const mutation: Mutation = { id: uuidV7(this.clock.now, randomBytes(10)), deviceId: 'ret-kiosk', epoch: this.epoch, seq: this.seq, type, payload: { ...payload, at }, hlc: String(this.seq) };
    const response = await this.client.push(this.epoch, [mutation]);
    expect(response.results[0]?.status, JSON.stringify(response.results[0])).toBe('applied');
  }

  async issue(count: number): Promise<string[]> {
    const block = await this.client.lease('t1-qa', localDay(this.clock.now, 'Asia/Shanghai'), count);
    const ids: string[] = [];
    for (let sequence = block.start; sequence <= block.end; sequence++) {
      const ticketId = uuidV7(this.clock.now, randomBytes(10));
      await this.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence });
      ids.push(ticketId);
    }
    return ids;
  }

  async submitForm(ticketId: string): Promise<string> {
    const caseId = uuidV7(this.clock.now, randomBytes(10));
    await this.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: {}, values: { name: 'retention' } });
    return caseId;
  }
}

async function hallWithHistory(): Promise<{ central: Central; clock: { now: number }; kiosk: Kiosk; past: string[]; caseTicket: string; caseId: string; live: string[] }> {
  const clock = { now: FIRST };
  const central = await startCentral({ server: { clock: () => new Date(clock.now) } });
  cleanups.push(() => central.close());
  const client = new SyncClient({ apiUrl: central.url, now: () => clock.now });
  client.setCredential((await client.enroll(await central.enrollmentCode('ret-kiosk', 'kiosk'))).credential);
  const kiosk = new Kiosk(client, clock);
  const past: string[] = [];
  const [caseTicket, ...day1] = await kiosk.issue(3);
  const caseId = await kiosk.submitForm(caseTicket!);
  past.push(...day1);
  for (const day of [1, 2]) {
    clock.now = FIRST + day * DAY_MS;
    past.push(...(await kiosk.issue(2)));
  }
  clock.now = FIRST + 3 * DAY_MS;
  const live = await kiosk.issue(2);
  return { central, clock, kiosk, past, caseTicket: caseTicket!, caseId, live };
}

describe('central API retention by hall-day', () => {
  it('keeps the live day and open cases in its state and snapshots after a day change, and the history in its tables', async () => {
    const { central, clock, kiosk, past, caseTicket, caseId, live } = await hallWithHistory();
    const ctx = central.app.hall;
    expect(hallStateSize(ctx, HALL)?.tickets).toBe(past.length + live.length + 1);

    const result = await forgetHallPastDays(ctx, HALL, new Date(clock.now), { pastDays: 0 });
    expect(result.tickets).toBe(past.length);
    expect(hallStateSize(ctx, HALL)).toEqual({ tickets: live.length + 1, cases: 1 });

    const snapshot = await kiosk.client.snapshot();
    expect(snapshot.tickets.map((t) => t.id).sort()).toEqual([...live, caseTicket].sort());
    expect(snapshot.cases.map((c) => c.id)).toEqual([caseId]);
    // Log entries of the past days are compacted: a station behind them takes the snapshot.
    expect(result.horizon).toBeGreaterThan(0);
    expect((await kiosk.client.pull(0, 100)).kind).toBe('snapshotRequired');

    // Statistics and the console still read every day's tickets and the case.
    const tickets = await central.database.db.selectFrom('tickets').select('id').where('hall_id', '=', HALL).execute();
    expect(tickets).toHaveLength(past.length + live.length + 1);
    expect(await central.database.db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst()).toBeDefined();

    // The live day goes on: numbering continues, and a second run forgets nothing more.
    expect(await kiosk.issue(1)).toHaveLength(1);
    expect((await forgetHallPastDays(ctx, HALL, new Date(clock.now), { pastDays: 0 })).tickets).toBe(0);
  });

  it('gives a new station of a hall with history only the kept days, and the station keeps only its own', async () => {
    const { central, clock, kiosk, past, live, caseTicket } = await hallWithHistory();
    await forgetHallPastDays(central.app.hall, HALL, new Date(clock.now), { pastDays: 1 });
    const yesterday = past.slice(-2);
    expect((await kiosk.client.snapshot()).tickets.map((t) => t.id).sort()).toEqual([...yesterday, ...live, caseTicket].sort());
    // The station lives on the same simulated day as the central API and is set to keep no
    // past day (its default keeps yesterday, as the API does).
    const station = await startTestStation({
      deviceId: 'ret-display',
      role: 'display',
      apiUrl: central.url,
      code: await freshEnrollmentCode(central, 'ret-display', 'display'),
      start: { now: () => clock.now, sync: { pastDaysKept: 0 } },
    });
    cleanups.push(() => station.stop());
    const expected = [...live, caseTicket].sort();
    const tickets = () => Object.keys(station.core.store.base.queue.tickets).sort();
    expect(await eventually(() => station.core.store.cursor > 0 && tickets().length === expected.length, 10_000)).toBe(true);
    expect(tickets()).toEqual(expected);
  });
});
