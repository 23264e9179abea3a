// Station clocks that disagree with the central API's: a kiosk 5 minutes fast measures its
// offset on the sync round trips, reports it (the console reads it from the device row),
// and its online tickets queue where their citizens really stand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationRuntime } from '@hall/station';
import { eventually, numbersReady, startCentral, startTestStation, type Central } from './harness';

const MINUTE = 60_000;

/** The counter calls, serves and finishes up to `count` tickets; the ids in the order it called them. */
function serveInCallOrder(counter: StationRuntime, count: number): string[] {
  const called: string[] = [];
  for (let i = 0; i < count; i++) {
    const ticket = counter.core.callNext();
    if (!ticket) break;
    called.push(ticket.id);
    counter.core.ticketCommand('startServing', ticket.id);
    counter.core.ticketCommand('finish', ticket.id);
  }
  return called;
}

describe('station clock skew against a real central API', () => {
  let central: Central;
  beforeEach(async () => {
    central = await startCentral();
  });
  afterEach(async () => central.close());

  it('calls tickets issued alternately at two kiosks, one 5 minutes fast, in the order they were issued', async () => {
    const fast = await startTestStation({ deviceId: 's-kiosk-fast', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('s-kiosk-fast', 'kiosk'), start: { now: () => Date.now() + 5 * MINUTE } });
    const right = await startTestStation({ deviceId: 's-kiosk-right', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('s-kiosk-right', 'kiosk') });
    const counter = await startTestStation({ deviceId: 's-c1', role: 'counter', counterId: 't1-c1', apiUrl: central.url, code: await central.enrollmentCode('s-c1', 'counter', 't1-c1') });
    try {
      expect(await eventually(() => numbersReady(fast) && numbersReady(right), 5000)).toBe(true);
      // The fast kiosk knows it is off (server minus station ≈ -5 min) and says so.
      expect(await eventually(() => Math.abs((fast.sync.status().clockOffsetMs ?? 0) + 5 * MINUTE) < 2_000, 5000)).toBe(true);
      expect(Math.abs(right.sync.status().clockOffsetMs ?? Number.NaN)).toBeLessThan(2_000);

      const issued: string[] = [];
      for (let round = 0; round < 3; round++) {
        for (const kiosk of [right, fast]) {
          issued.push(kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' }).id);
          expect(await eventually(() => kiosk.sync.status().pending === 0, 5000)).toBe(true);
        }
      }
      expect(await eventually(() => issued.every((id) => counter.core.store.base.queue.tickets[id] !== undefined), 5000)).toBe(true);
      expect(await eventually(() => counter.core.store.catalogue !== undefined, 5000)).toBe(true);

      counter.core.counterCommand('openCounter');
      expect(serveInCallOrder(counter, issued.length)).toEqual(issued);

      // The console's device list reads the offset the station reported with its sync calls.
      const rows = await central.database.db.selectFrom('devices').select(['id', 'clock_offset_ms']).where('id', 'in', ['s-kiosk-fast', 's-kiosk-right']).execute();
      const offsets = new Map(rows.map((r) => [r.id, Number(r.clock_offset_ms)]));
      expect(Math.abs((offsets.get('s-kiosk-fast') ?? 0) + 5 * MINUTE)).toBeLessThan(2_000);
      expect(Math.abs(offsets.get('s-kiosk-right') ?? Number.NaN)).toBeLessThan(2_000);
    } finally {
      await Promise.all([fast.stop(), right.stop(), counter.stop()]);
    }
  });

  it('queues tickets issued offline by the hall clock: a kiosk 5 minutes fast keeps the order it measured before the outage', async () => {
    // `lag` moves both kiosks' clocks back while the API is away, so their tickets reach it
    // minutes old, as offline work does (not inside the online window the server stamps).
    let lag = 0;
    const fast = await startTestStation({ deviceId: 'o-kiosk-fast', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('o-kiosk-fast', 'kiosk'), start: { now: () => Date.now() + 5 * MINUTE - lag } });
    const right = await startTestStation({ deviceId: 'o-kiosk-right', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('o-kiosk-right', 'kiosk'), start: { now: () => Date.now() - lag } });
    const counter = await startTestStation({ deviceId: 'o-c1', role: 'counter', counterId: 't1-c1', apiUrl: central.url, code: await central.enrollmentCode('o-c1', 'counter', 't1-c1') });
    try {
      expect(await eventually(() => numbersReady(fast) && numbersReady(right), 5000)).toBe(true);
      expect(await eventually(() => Math.abs((fast.sync.status().clockOffsetMs ?? 0) + 5 * MINUTE) < 2_000, 5000)).toBe(true);
      const issued: string[] = [];
      await central.offline(async () => {
        lag = 3 * MINUTE;
        for (let round = 0; round < 3; round++) {
          for (const kiosk of [right, fast]) {
            issued.push(kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' }).id);
            // Citizens arrive seconds apart: more than the offset estimate's error (at most half a round trip).
            lag -= 2_000;
          }
        }
      });
      lag = 0;
      expect(await eventually(() => issued.every((id) => counter.core.store.base.queue.tickets[id] !== undefined), 10_000)).toBe(true);
      // Offline work: the server kept the hall's queue times (the fast kiosk's corrected by its offset).
      const fastTicket = counter.core.store.base.queue.tickets[issued[1]!]!;
      expect(Date.parse(fastTicket.issuedAt) - Date.parse(fastTicket.queuedAt)).toBeGreaterThan(4 * MINUTE);
      expect(await eventually(() => counter.core.store.catalogue !== undefined, 5000)).toBe(true);
      counter.core.counterCommand('openCounter');
      expect(serveInCallOrder(counter, issued.length)).toEqual(issued);
    } finally {
      await Promise.all([fast.stop(), right.stop(), counter.stop()]);
    }
  });
});
