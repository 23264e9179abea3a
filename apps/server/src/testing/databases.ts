import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DialectName, type HallDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { usePasswordCostForTests } from '../auth/password';

// Every test file that opens a database seeds staff; production-cost scrypt would dominate.
usePasswordCostForTests(10);

export const BACKENDS: readonly DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  database: HallDatabase;
  /** Closes the connection and deletes the file or drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database on `postgresAdminUrl`'s server, so test files running in
 * parallel never share state. Returns the new database's URL.
 */
export async function createPostgresDatabase(postgresAdminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hall_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** An empty (unmigrated unless asked) database of the given dialect. */
export async function openTestDatabase(
  dialect: DialectName,
  postgresAdminUrl: string,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  let database: HallDatabase;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'hall-sqlite-'));
    database = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'hall.sqlite') });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const created = await createPostgresDatabase(postgresAdminUrl);
    database = openDatabase({ dialect: 'postgres', url: created.url, poolSize: 4 });
    cleanup = created.drop;
  }
  if (options.migrated !== false) await migrate(database);
  return {
    database,
    async dispose() {
      try {
        await database.close();
      } finally {
        await cleanup();
      }
    },
  };
}
