// Restores that lose nothing (issue 15): a station's database restored from a backup, and
// the central API's database restored from a backup, each with a real central API and real
// stations; nothing done after the backup is lost, nothing is applied twice.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '@hall/devices/testing';
import { eventually, startCentral, startTestStation, type Central } from './harness';
import { openFormValues } from '../../apps/server/src/sync/formValues';

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
  // Form values are sealed at rest under the central API's data key.
  return new Map(
    (rows as { case_id: string; values_json: string }[]).map((r) => [r.case_id, (openFormValues(central.app.hall.dataKeys, r.case_id, r.values_json) as { name: string }).name]),
  );
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

/** The central database goes back to a backup taken after c1: c2 and c3, applied since, are gone from it. */
async function centralRestoreScenario(central: Central, backup: () => Promise<void>, restore: () => Promise<void>): Promise<void> {
  const kiosk = await kioskOn(central);
  cleanups.push(() => kiosk.stop());
  const c1 = submit(kiosk, 'one');
  await drained(kiosk);
  expect(await eventually(() => kiosk.core.store.base.cases[c1] !== undefined, 5000)).toBe(true);
  await backup();
  const c2 = submit(kiosk, 'two');
  const c3 = submit(kiosk, 'three');
  await drained(kiosk);
  // The station has seen the central API's log past the backup, and holds c2 and c3 as applied.
  expect(await eventually(() => kiosk.core.store.base.cases[c3] !== undefined, 5000)).toBe(true);
  const epoch = kiosk.core.store.epoch;

  await restore();
  expect(await eventually(async () => (await serverCases(central)).size === 3, 15_000)).toBe(true);
  await drained(kiosk);
  expect(kiosk.core.store.epoch).not.toBe(epoch);
  expect(kiosk.core.store.snapshotDue).toBe(false);
  // Resent with the form values the station kept past acknowledgement.
  expect(Object.fromEntries(await serverCases(central))).toEqual({ [c1]: 'one', [c2]: 'two', [c3]: 'three' });
  // Work goes on, and the station's view is the server's.
  const c4 = submit(kiosk, 'four');
  await drained(kiosk);
  expect(await eventually(() => [c1, c2, c3, c4].every((id) => kiosk.core.store.base.cases[id] !== undefined), 5000)).toBe(true);
  const recorded = await central.database.db.selectFrom('sync_mutations' as never).select('id' as never).execute();
  expect(recorded).toHaveLength(4);
  expect(kiosk.rejections()).toEqual([]);
}

describe('the central database restored from a backup', () => {
  it('SQLite (the file copied while the API is stopped): stations resend what it lost, with their form values', async () => {
    const central = await startCentral();
    cleanups.push(() => central.close());
    const file = central.location.file ?? '';
    const backupFile = `${file}.backup`;
    await centralRestoreScenario(
      central,
      () => central.offline(() => copyFileSync(file, backupFile)),
      () =>
        central.offline(() => {
          for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
          copyFileSync(backupFile, file);
        }),
    );
  });

  // pg_dump refuses servers newer than itself: with the Debian client tools (15) the test
  // runs its own PostgreSQL 15 cluster and backs up with pg_dump/pg_restore; without them
  // it copies the database with CREATE DATABASE … TEMPLATE on the test server.
  const PG_BIN = '/usr/lib/postgresql/15/bin';
  const withPgDump = existsSync(join(PG_BIN, 'initdb')) && existsSync('/usr/bin/pg_dump') && process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), 'hall-restore-pg-'));
  const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { stdio: 'pipe' });
  afterAll(() => {
    if (existsSync(join(base, 'data', 'postmaster.pid'))) asPostgres('pg_ctl', ['-D', join(base, 'data'), '-m', 'immediate', 'stop']);
    rmSync(base, { recursive: true, force: true });
  });

  async function adminQuery(adminUrl: string, text: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  it(`PostgreSQL (${withPgDump ? 'pg_dump / pg_restore' : 'a template copy'}): stations resend what it lost, with their form values`, async () => {
    let adminUrl = inject('postgresUrl');
    if (withPgDump) {
      execFileSync('chown', ['postgres:postgres', base]);
      asPostgres('initdb', ['-D', join(base, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      // A port the OS just handed out (a random one collided once on a busy CI machine); the log says why if it still fails.
      const port = await freePort();
      try {
        asPostgres('pg_ctl', ['-D', join(base, 'data'), '-w', '-l', join(base, 'log'), '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      } catch (error) {
        throw new Error(`PostgreSQL for the restore test did not start: ${existsSync(join(base, 'log')) ? readFileSync(join(base, 'log'), 'utf8').slice(-2000) : String(error)}`);
      }
      adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    }
    const central = await startCentral({ dialect: 'postgres', postgresAdminUrl: adminUrl });
    cleanups.push(() => central.close());
    const url = central.location.url ?? '';
    const name = new URL(url).pathname.slice(1);
    const dumpFile = join(base, 'hall.dump');
    const backup = withPgDump
      ? async () => void execFileSync('pg_dump', ['-Fc', '-f', dumpFile, url])
      : () => central.offline(() => adminQuery(adminUrl, `CREATE DATABASE ${name}_backup TEMPLATE ${name}`));
    const restore = () =>
      central.offline(async () => {
        await adminQuery(adminUrl, `DROP DATABASE ${name} WITH (FORCE)`);
        if (withPgDump) {
          await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
          execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, dumpFile]);
        } else {
          await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${name}_backup`);
          cleanups.push(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name}_backup WITH (FORCE)`));
        }
      });
    await centralRestoreScenario(central, backup, restore);
  }, 90_000);
});
