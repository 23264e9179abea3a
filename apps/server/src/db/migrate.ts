import { sql, type Kysely } from 'kysely';
import type { DialectName, HallDatabase } from './connection';
import { migrations as allMigrations, type Migration } from './migrations/index';
import type { Database } from './schema';

/** Arbitrary constant naming the PostgreSQL advisory lock that serialises migrators. */
const PG_MIGRATION_LOCK = 7_261_989;

export interface MigrationReport {
  applied: string[];
}

/**
 * Applies pending migrations in one transaction: either all of them land or none.
 * Safe to call on every start and from several instances at once (PostgreSQL: advisory
 * lock; SQLite: BEGIN IMMEDIATE takes the write lock before reading the applied list).
 */
export async function migrate(
  database: HallDatabase,
  migrations: readonly Migration[] = allMigrations,
  now: () => Date = () => new Date(),
): Promise<MigrationReport> {
  const { db, dialect } = database;
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`.execute(trx);
      return applyPending(trx, dialect, migrations, now);
    });
  }
  // Kysely's SQLite transactions begin DEFERRED; take the write lock up front instead so
  // two processes opening the same file cannot both decide a migration is pending.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const report = await applyPending(conn, dialect, migrations, now);
      await sql`commit`.execute(conn);
      return report;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

async function applyPending(
  db: Kysely<Database>,
  dialect: DialectName,
  migrations: readonly Migration[],
  now: () => Date,
): Promise<MigrationReport> {
  await db.schema
    .createTable('hall_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const done = new Set((await db.selectFrom('hall_migrations').select('name').execute()).map((r) => r.name));
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...done].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`database has migrations this build does not know (${unknown.join(', ')}); refusing to run an older build on it`);
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await migration.up(db as unknown as Kysely<unknown>, dialect);
    await db.insertInto('hall_migrations').values({ name: migration.name, applied_at: now().toISOString() }).execute();
    applied.push(migration.name);
  }
  return { applied };
}
