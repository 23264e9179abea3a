// Uploads never get stuck (issue 15): push requests stay within the central API's body
// limit, a 413 (the API's or a proxy's smaller limit) halves the batch, and a mutation the
// API would refuse for its size is refused at commit.
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_LIMITS, type Mutation, type SyncStatus } from '@hall/shared';
import { boundedBatch } from '@hall/station';
import { eventually, startCentral, startTestStation, type Central } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** 40 forms of about 60 kB each: 2.4 MB, more than one push request may carry. */
const FORMS = 40;
const bigValue = (i: number) => `${i}:`.padEnd(60_000, 'x');

async function offlineKioskWithBigForms(central: Central, sync: Record<string, unknown>) {
  const kiosk = await startTestStation({ deviceId: 'u-kiosk', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('u-kiosk', 'kiosk'), start: { sync } });
  cleanups.push(() => kiosk.stop());
  expect(await eventually(() => kiosk.core.store.catalogue !== undefined, 5000)).toBe(true);
  await kiosk.sync.stop();
  for (let i = 0; i < FORMS; i++) kiosk.core.submitForm({ serviceId: 't1-svc-1', answers: {}, values: { note: bigValue(i) } });
  const errors: string[] = [];
  kiosk.sync.on('status', (status: SyncStatus) => {
    if (status.lastError) errors.push(status.lastError);
  });
  return { kiosk, errors };
}

async function serverCaseCount(central: Central): Promise<number> {
  return (await central.database.db.selectFrom('sync_case_forms' as never).select('case_id' as never).execute()).length;
}

describe('uploads never get stuck', () => {
  it('bounds a push by bytes as well as by count: a backlog larger than the body limit drains without a 413', async () => {
    const central = await startCentral();
    cleanups.push(() => central.close());
    const { kiosk, errors } = await offlineKioskWithBigForms(central, {});
    kiosk.sync.start();
    expect(await eventually(() => kiosk.sync.status().pending === 0, 20_000)).toBe(true);
    expect(await serverCaseCount(central)).toBe(FORMS);
    expect(errors).toEqual([]);
  });

  it('halves the batch on a 413 (a proxy or server limit smaller than the station thinks) until it passes', async () => {
    const central = await startCentral();
    cleanups.push(() => central.close());
    // This station believes requests may be 64 MB: the central API's 2 MB limit answers 413.
    const { kiosk, errors } = await offlineKioskWithBigForms(central, { pushBytes: 64 * 1024 * 1024 });
    kiosk.sync.start();
    expect(await eventually(() => kiosk.sync.status().pending === 0, 20_000)).toBe(true);
    expect(await serverCaseCount(central)).toBe(FORMS);
    expect(kiosk.rejections()).toEqual([]);
    // At most one 413 was met per halving, never a loop of them.
    expect(errors.length).toBeLessThanOrEqual(1);
  });

  it('refuses at commit a form the central API would refuse for its size, and keeps syncing the rest', async () => {
    const central = await startCentral();
    cleanups.push(() => central.close());
    const kiosk = await startTestStation({ deviceId: 'u-big', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('u-big', 'kiosk') });
    cleanups.push(() => kiosk.stop());
    expect(await eventually(() => kiosk.core.store.catalogue !== undefined, 5000)).toBe(true);
    expect(() => kiosk.core.submitForm({ serviceId: 't1-svc-1', answers: {}, values: { note: 'x'.repeat(SYNC_LIMITS.maxPayloadBytes + 1) } })).toThrow(
      expect.objectContaining({ name: 'LocalRejection', code: 'payload_too_large' }),
    );
    kiosk.core.submitForm({ serviceId: 't1-svc-1', answers: {}, values: { note: 'fits' } });
    expect(await eventually(() => kiosk.sync.status().pending === 0, 5000)).toBe(true);
    expect(await serverCaseCount(central)).toBe(1);
  });

  it('cuts a batch at the byte bound, keeping at least one mutation', () => {
    const m = (seq: number, size: number): Mutation => ({ id: `m${seq}`, deviceId: 'd', epoch: 'e', seq, type: 'submitForm', payload: { note: 'x'.repeat(size) }, hlc: `h${seq}` });
    const batch = [m(1, 1000), m(2, 1000), m(3, 1000)];
    expect(boundedBatch(batch, 1_000_000)).toHaveLength(3);
    expect(boundedBatch(batch, 2500)).toHaveLength(2);
    expect(boundedBatch(batch, 10)).toHaveLength(1);
    expect(boundedBatch([], 10)).toEqual([]);
  });
});
