import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { hashToken } from '../auth/tokens';

export async function insertSession(db: Kysely<Database>, token: string, staffId: string, at: Date, expiresAt: Date): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({ token_hash: hashToken(token), staff_id: staffId, created_at: at.toISOString(), expires_at: expiresAt.toISOString() })
    .execute();
}

/** The live, unexpired session's active staff member, or nothing. */
export async function findSessionStaff(db: Kysely<Database>, token: string, now: Date) {
  return db
    .selectFrom('staff_sessions')
    .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
    .select(['staff.id', 'staff.hall_id', 'staff.login', 'staff.roles_json', 'staff_sessions.expires_at'])
    .where('staff_sessions.token_hash', '=', hashToken(token))
    .where('staff_sessions.expires_at', '>', now.toISOString())
    .where('staff.active', '=', 1)
    .executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<boolean> {
  const result = await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('staff_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Ends every session of a staff member (password reset): whoever held one must sign in again.
 * `keepToken`: the session making the change, when staff reset their own password.
 */
export async function deleteStaffSessions(db: Kysely<Database>, staffId: string, keepToken?: string): Promise<number> {
  let query = db.deleteFrom('staff_sessions').where('staff_id', '=', staffId);
  if (keepToken) query = query.where('token_hash', '!=', hashToken(keepToken));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
