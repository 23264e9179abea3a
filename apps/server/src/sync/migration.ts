import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/** Form values of cases submitted through sync: the server keeps them, stations scrub theirs. */
export const syncCaseFormTables: Migration = {
  name: '0904_sync_case_forms',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sync_case_forms')
      .addColumn('case_id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text', (c) => c.notNull())
      .addColumn('values_json', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Who refused a case (不予受理), beside who accepted one. */
export const caseRefusedByColumn: Migration = {
  name: '0922_case_refused_by',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').addColumn('refused_by_staff_id', 'text').execute();
  },
};

/**
 * Enrollment codes expire (HALL_ENROLLMENT_CODE_HOURS, default 72 h), and a code is spent
 * only once the station has used its credential (it writes the credential to disk first),
 * so a station that crashed between the exchange and the write enrolls again with the same
 * code. Codes issued before this migration get the default lifetime from now; devices
 * already enrolled count as confirmed.
 */
export const enrollmentExpiryColumns: Migration = {
  name: '0942_enrollment_expiry',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('enrollment_expires_at', 'text').execute();
    await db.schema.alterTable('devices').addColumn('credential_confirmed_at', 'text').execute();
    const loose = db as unknown as Kysely<{ devices: { enrollment_code_hash: string | null; enrollment_expires_at: string | null; credential_confirmed_at: string | null; enrolled_at: string | null } }>;
    await loose
      .updateTable('devices')
      .set({ enrollment_expires_at: new Date(Date.now() + 72 * 3_600_000).toISOString() })
      .where('enrollment_code_hash', 'is not', null)
      .execute();
    await loose.updateTable('devices').set((eb) => ({ credential_confirmed_at: eb.ref('enrolled_at') })).where('enrolled_at', 'is not', null).execute();
  },
};

/**
 * The counter a counter device serves: the central API lets a counter device act for that
 * counter only. Devices created before have none and send no counter mutation until a hall
 * manager binds them (POST /sync/devices/:id/counter).
 */
export const deviceCounterColumn: Migration = {
  name: '0943_device_counter',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('counter_id', 'text').execute();
  },
};
