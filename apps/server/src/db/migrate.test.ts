import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from './connection';
import { migrate } from './migrate';
import { migrations } from './migrations/index';
import type { Migration } from './migrations/types';
import { BACKENDS, createPostgresDatabase, openTestDatabase, type TestDatabase } from '../testing/databases';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('migrations on %s', (dialect) => {
  const opened: TestDatabase[] = [];
  const fresh = async () => {
    const db = await openTestDatabase(dialect, pgUrl, { migrated: false });
    opened.push(db);
    return db.database;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.dispose()));
  });

  it('names migrations in the order they are applied, so a database reads back in that order', () => {
    const names = migrations.map((m) => m.name);
    expect([...names].sort()).toEqual(names);
  });

  it('applies every migration once and nothing on a second run', async () => {
    const database = await fresh();
    expect((await migrate(database)).applied).toEqual(migrations.map((m) => m.name));
    expect((await migrate(database)).applied).toEqual([]);
    const tables = await database.db.introspection.getTables();
    const names = tables.map((t) => t.name);
    for (const table of ['halls', 'services', 'staff', 'staff_sessions', 'devices', 'tickets', 'cases', 'audit_log', 'blacklist']) {
      expect(names).toContain(table);
    }
    const recorded = await database.db.selectFrom('hall_migrations').select('name').execute();
    expect(recorded.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('rolls back every step of a failing run', async () => {
    const database = await fresh();
    const broken: Migration = {
      name: '999_broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute();
        throw new Error('boom');
      },
    };
    await expect(migrate(database, [...migrations, broken])).rejects.toThrow('boom');
    const names = (await database.db.introspection.getTables()).map((t) => t.name);
    expect(names).not.toContain('half_done');
    // The good migrations of the same run were rolled back with it.
    expect(names).not.toContain('halls');
    expect((await migrate(database)).applied).toEqual(migrations.map((m) => m.name));
  });

  it('refuses a database migrated by a newer build', async () => {
    const database = await fresh();
    const newer: Migration = { name: '998_newer', up: async () => {} };
    await migrate(database, [...migrations, newer]);
    await expect(migrate(database)).rejects.toThrow(/998_newer/);
  });

  it('lets concurrent starters race without double-applying', async () => {
    if (dialect === 'postgres') {
      const created = await createPostgresDatabase(pgUrl);
      const handles = [0, 1].map(() => openDatabase({ dialect: 'postgres', url: created.url, poolSize: 2 }));
      try {
        const reports = await Promise.all(handles.map((h) => migrate(h)));
        expect(reports.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.name).sort());
      } finally {
        await Promise.all(handles.map((h) => h.close()));
        await created.drop();
      }
      return;
    }
    // better-sqlite3 is synchronous, so real contention needs separate processes.
    const dir = mkdtempSync(path.join(tmpdir(), 'hall-race-'));
    try {
      const file = path.join(dir, 'hall.sqlite');
      const child = fileURLToPath(new URL('../testing/migrate-once.ts', import.meta.url));
      const run = () =>
        new Promise<{ applied: string[] }>((resolve, reject) => {
          execFile(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, HALL_DB_FILE: file } }, (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as { applied: string[] }),
          );
        });
      const reports = await Promise.all([run(), run()]);
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.name).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
