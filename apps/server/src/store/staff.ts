import type { Kysely } from 'kysely';
import { z } from 'zod';
import { StaffRoleSchema, StaffSchema, type Staff } from '@hall/shared';
import type { Database, StaffTable } from '../db/schema';
import { decodeJson, encodeJson, orNull, toFlag } from '../db/json';

const RolesSchema = z.array(StaffRoleSchema).min(1);

/** Staff as the API shows them: never the password hash or lockout counters. */
export type StaffView = Staff & { active: boolean };

function staffFromRow(row: StaffTable): StaffView {
  const staff: StaffView = {
    id: row.id,
    hallId: row.hall_id,
    login: row.login,
    displayName: row.display_name,
    staffNumber: row.staff_number,
    roles: decodeJson(RolesSchema, row.roles_json, `staff ${row.id} roles`),
    active: row.active === 1,
  };
  if (row.department_id !== null) staff.departmentId = row.department_id;
  return staff;
}

export async function listStaff(db: Kysely<Database>, hallId: string): Promise<StaffView[]> {
  const rows = await db.selectFrom('staff').selectAll().where('hall_id', '=', hallId).orderBy('staff_number').execute();
  return rows.map(staffFromRow);
}

export async function getStaff(db: Kysely<Database>, id: string): Promise<StaffView | undefined> {
  const row = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  return row && staffFromRow(row);
}

export async function insertStaff(db: Kysely<Database>, input: Staff, passwordHash: string, at: Date): Promise<void> {
  const staff = StaffSchema.parse(input);
  await db
    .insertInto('staff')
    .values({
      id: staff.id,
      hall_id: staff.hallId,
      login: staff.login,
      display_name: staff.displayName,
      staff_number: staff.staffNumber,
      department_id: orNull(staff.departmentId),
      roles_json: encodeJson(RolesSchema, staff.roles),
      password_hash: passwordHash,
      failed_attempts: 0,
      locked_until: null,
      active: 1,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })
    .execute();
}

export interface StaffChanges {
  displayName?: string;
  staffNumber?: string;
  departmentId?: string | null;
  roles?: Staff['roles'];
  active?: boolean;
  passwordHash?: string;
}

export async function updateStaff(db: Kysely<Database>, id: string, changes: StaffChanges, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('staff')
    .set({
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.staffNumber !== undefined && { staff_number: changes.staffNumber }),
      ...(changes.departmentId !== undefined && { department_id: changes.departmentId }),
      ...(changes.roles !== undefined && { roles_json: encodeJson(RolesSchema, changes.roles) }),
      ...(changes.active !== undefined && { active: toFlag(changes.active) }),
      // A password reset by an administrator also lifts a lockout.
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash, failed_attempts: 0, locked_until: null }),
      updated_at: at.toISOString(),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** What login needs and nothing else leaves this module with the hash. */
export interface StaffCredentials {
  id: string;
  hallId: string | null;
  passwordHash: string;
  failedAttempts: number;
  lockedUntil: string | null;
  active: boolean;
}

export async function getCredentialsByLogin(db: Kysely<Database>, login: string): Promise<StaffCredentials | undefined> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'hall_id', 'password_hash', 'failed_attempts', 'locked_until', 'active'])
    .where('login', '=', login)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      hallId: row.hall_id,
      passwordHash: row.password_hash,
      failedAttempts: row.failed_attempts,
      lockedUntil: row.locked_until,
      active: row.active === 1,
    }
  );
}

/**
 * Counts a failure atomically in SQL (two wrong passwords racing both count) and returns
 * the new count so the caller can decide on a lockout.
 */
export async function recordFailedLogin(db: Kysely<Database>, id: string): Promise<number> {
  const row = await db
    .updateTable('staff')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirst();
  return row?.failed_attempts ?? 0;
}

export async function lockStaff(db: Kysely<Database>, id: string, until: Date): Promise<void> {
  await db.updateTable('staff').set({ locked_until: until.toISOString(), failed_attempts: 0 }).where('id', '=', id).execute();
}

export async function clearFailedLogins(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
}
