// Restores that lose nothing (issue 15): a station's database restored from a backup, and
// the central API's database restored from a backup, each with a real central API and real
// stations; nothing done after the backup is lost, nothing is applied twice.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startCentral, startTestStation, type Central } from './harness';

type Station = Awaited<ReturnType<typeof startTestStation>>;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function kioskOn(central: Central, dataDir?: string, code?: string): Promise<Station> {
  const station = await startTestStation({
    deviceId: 'r-kiosk',
    role: 'kiosk',
    apiUrl: central.url,
    code: code ?? (await central.enrollmentCode('r-kiosk', 'kiosk')),
    ...(dataDir ? { dataDir } : {}),
  });
  expect(await eventually(() => station.core.store.catalogue !== undefined, 5000)).toBe(true);
  return station;
}

function submit(station: Station, name: string): string {
  return station.core.submitForm({ serviceId: 't1-svc-1', answers: {}, values: { name } }).id;
}

async function drained(station: Station): Promise<void> {
  expect(await eventually(() => station.sync.status().pending === 0, 10_000)).toBe(true);
}

/** Cases the central API holds, with how many mutations it recorded for each. */
async function serverCases(central: Central): Promise<Map<string, string>> {
  const rows = await central.database.db.selectFrom('sync_case_forms' as never).select(['case_id' as never, 'values_json' as never]).execute();
  return new Map((rows as { case_id: string; values_json: string }[]).map((r) => [r.case_id, JSON.parse(r.values_json).name as string]));
}

describe('a station restored from a backup of its database', () => {
  it('renumbers its work under a new epoch and loses nothing of what it did after the restore', async () => {
    const central = await startCentral();
    cleanups.push(() => central.close());
    const code = await central.enrollmentCode('r-kiosk', 'kiosk');
    let kiosk = await kioskOn(central, undefined, code);
    const dataDir = kiosk.dataDir;
    const dbFile = join(dataDir, 'station.db');
    const backupFile = join(dataDir, 'backup.db');

    const c1 = submit(kiosk, 'one');
    await drained(kiosk);
    // c2 is still unconfirmed when the backup is taken; the server gets it later.
    await kiosk.sync.stop();
    const c2 = submit(kiosk, 'two');
    await kiosk.core.store.db.backup(backupFile);
    kiosk.sync.start();
    await drained(kiosk);
    const c3 = submit(kiosk, 'three');
    const c4 = submit(kiosk, 'four');
    await drained(kiosk);
    const epoch = kiosk.core.store.epoch;
    await kiosk.stop();

    // The station's disk is replaced by last night's backup.
    for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    copyFileSync(backupFile, dbFile);
    kiosk = await kioskOn(central, dataDir, code);
    cleanups.push(() => kiosk.stop());
    expect(kiosk.core.store.epoch).toBe(epoch);
    // New work reuses seqs 3 and 4, which the server decided for c3 and c4.
    const c5 = submit(kiosk, 'five');
    const c6 = submit(kiosk, 'six');
    await drained(kiosk);

    expect(kiosk.core.store.epoch).not.toBe(epoch);
    expect(kiosk.rejections()).toEqual([]);
    const cases = await serverCases(central);
    expect(Object.fromEntries(cases)).toEqual({ [c1]: 'one', [c2]: 'two', [c3]: 'three', [c4]: 'four', [c5]: 'five', [c6]: 'six' });
    // Applied once each: one recorded mutation and one log entry per case.
    const recorded = await central.database.db.selectFrom('sync_mutations' as never).select('id' as never).execute();
    expect(recorded).toHaveLength(6);
    const logged = (await central.database.db.selectFrom('sync_log' as never).select('entity_id' as never).where('entity' as never, '=', 'case' as never).execute()) as { entity_id: string }[];
    expect(logged.map((r) => r.entity_id).sort()).toEqual([c1, c2, c3, c4, c5, c6].sort());
    // And the station shows all of them, its own and those it lost with its disk.
    expect(await eventually(() => [c1, c2, c3, c4, c5, c6].every((id) => kiosk.core.store.live.cases[id] !== undefined), 5000)).toBe(true);
  });
});
