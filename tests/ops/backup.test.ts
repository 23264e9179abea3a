// Backup and restore as docs/OPERATIONS.md tells the IT team to do it: pg_dump/pg_restore
// (deploy/backup/pg-backup.sh) of a PostgreSQL database and SQLite's online backup API
// (deploy/backup/sqlite-backup.ts); each test backs up, wipes, restores and compares every
// table row for row, then serves a login from the restored database.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../apps/server/src/app';
import { openDatabase, type HallDatabase } from '../../apps/server/src/db/connection';
import { migrate } from '../../apps/server/src/db/migrate';
import { seedDemoHall } from '../../apps/server/src/demo/seed';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import '../../apps/server/src/testing/databases';
import { backupSqlite } from '../../deploy/backup/sqlite-backup';

const ROOT = join(import.meta.dirname, '..', '..');
/** pg_dump refuses servers newer than itself: the test runs a cluster of the installed client's version. */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const canRunPostgres15 = existsSync(join(PG_BIN, 'initdb')) && process.getuid?.() === 0;

/** Every table's rows as sorted JSON lines: equal snapshots mean equal databases. */
async function snapshot(database: HallDatabase): Promise<Record<string, string[]>> {
  const tables =
    database.dialect === 'postgres'
      ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(database.db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db)).rows;
  const result: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(database.db)).rows;
    result[name] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return result;
}

async function seeded(database: HallDatabase): Promise<void> {
  await migrate(database);
  await seedDemoHall(database.db, fixtureHall('b1', { withCityAdmin: true }));
}

async function loginWorks(database: HallDatabase): Promise<number> {
  const app = await buildServer({ database });
  try {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'b1-clerk', password: FIXTURE_PASSWORD } });
    return response.statusCode;
  } finally {
    await app.close();
  }
}

describe('SQLite: online backup API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hall-backup-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up a live database, survives a wipe, restores identical', async () => {
    const file = join(dir, 'hall.sqlite');
    let database = openDatabase({ dialect: 'sqlite', file });
    await seeded(database);
    const before = await snapshot(database);
    expect(Object.keys(before).length).toBeGreaterThan(10);
    expect(before.staff?.length).toBeGreaterThan(0);

    // The server still has the database open (WAL) while the backup runs.
    const { pages } = await backupSqlite(file, join(dir, 'backup.sqlite'));
    expect(pages).toBeGreaterThan(0);
    await sql`delete from audit_log`.execute(database.db);
    await database.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });

    copyFileSync(join(dir, 'backup.sqlite'), file);
    database = openDatabase({ dialect: 'sqlite', file });
    try {
      expect(await snapshot(database)).toEqual(before);
      expect(await loginWorks(database)).toBe(200);
    } finally {
      await database.close();
    }
  });

  it('refuses a source that does not exist instead of backing up an empty file', async () => {
    await expect(backupSqlite(join(dir, 'missing.sqlite'), join(dir, 'never.sqlite'))).rejects.toThrow();
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
  });
});

describe.skipIf(!canRunPostgres15)('PostgreSQL: pg_dump / pg_restore (a PostgreSQL 15 cluster, the installed client tools’ version)', () => {
  const base = mkdtempSync(join(tmpdir(), 'hall-backup-pg-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/hall_backup`;
  const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { stdio: 'pipe' });

  afterAll(() => {
    try {
      asPostgres('pg_ctl', ['-D', join(base, 'data'), '-m', 'immediate', 'stop']);
    } catch {
      // never started
    }
    rmSync(base, { recursive: true, force: true });
  });

  async function adminQuery(text: string): Promise<void> {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  it('dumps, wipes the database, restores it identical and serves from it', async () => {
    execFileSync('chown', ['postgres:postgres', base]);
    asPostgres('initdb', ['-D', join(base, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    asPostgres('pg_ctl', ['-D', join(base, 'data'), '-w', '-l', join(base, 'log'), '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    await adminQuery('CREATE DATABASE hall_backup');

    let database = openDatabase({ dialect: 'postgres', url, poolSize: 2 });
    await seeded(database);
    const before = await snapshot(database);
    await database.close();

    const dumpFile = execFileSync(join(ROOT, 'deploy/backup/pg-backup.sh'), { env: { ...process.env, DATABASE_URL: url, HALL_BACKUP_DIR: join(base, 'backups') }, encoding: 'utf8' }).trim();
    expect(dumpFile).toMatch(/hall-\d{8}T\d{6}Z\.dump$/);

    await adminQuery('DROP DATABASE hall_backup WITH (FORCE)');
    await adminQuery('CREATE DATABASE hall_backup');
    database = openDatabase({ dialect: 'postgres', url, poolSize: 2 });
    try {
      expect(await snapshot(database)).toEqual({});
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, dumpFile]);
      expect(await snapshot(database)).toEqual(before);
      // Nothing left to migrate, and the API serves from the restored database.
      expect((await migrate(database)).applied).toEqual([]);
      expect(await loginWorks(database)).toBe(200);
    } finally {
      await database.close();
    }
  }, 90_000);
});
