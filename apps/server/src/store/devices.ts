import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { hashToken } from '../auth/tokens';

export const DeviceRoleSchema = z.enum(['kiosk', 'counter', 'display', 'locker']);
export type DeviceRole = z.infer<typeof DeviceRoleSchema>;

export interface DeviceIdentity {
  id: string;
  hallId: string;
  role: DeviceRole;
  /** Counter devices: the counter the device serves (set when the device is created). */
  counterId?: string;
}

/** An enrolled, unrevoked device holding this credential; enrollment itself is issue 3's. */
export async function findDeviceByCredential(db: Kysely<Database>, credential: string, now = new Date()): Promise<DeviceIdentity | undefined> {
  const credentialHash = hashToken(credential);
  const row = await db
    .selectFrom('devices')
    .select(['id', 'hall_id', 'role', 'credential_confirmed_at', 'counter_id'])
    .where('credential_hash', '=', credentialHash)
    .where('enrolled_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.credential_confirmed_at === null) await confirmCredential(db, row.id, credentialHash, now);
  const role = DeviceRoleSchema.safeParse(row.role);
  return role.success ? { id: row.id, hallId: row.hall_id, role: role.data, ...(row.counter_id ? { counterId: row.counter_id } : {}) } : undefined;
}

/**
 * The first call with a new credential proves the station stored it: its enrollment code is
 * spent now (sync/devices.ts `enroll`). Conditional on the credential, so a code re-armed
 * later is not spent by an older credential.
 */
async function confirmCredential(db: Kysely<Database>, deviceId: string, credentialHash: string, now: Date): Promise<void> {
  await db
    .updateTable('devices')
    .set({ credential_confirmed_at: now.toISOString(), enrollment_code_hash: null, enrollment_expires_at: null })
    .where('id', '=', deviceId)
    .where('credential_hash', '=', credentialHash)
    .where('credential_confirmed_at', 'is', null)
    .execute();
}

/** Writes a device's last contact at most this often (per device; the console calls 5 minutes offline). */
export const CONTACT_STAMP_MS = 30_000;

/**
 * Stamps a device's last contact (`devices.last_seen_at`, what the console's live page shows).
 * Written at most every CONTACT_STAMP_MS: the condition keeps instances sharing a database
 * from rewriting the row on every sync call.
 */
export async function touchDevice(db: Kysely<Database>, deviceId: string, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - CONTACT_STAMP_MS).toISOString();
  await db
    .updateTable('devices')
    .set({ last_seen_at: now.toISOString() })
    .where('id', '=', deviceId)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', staleBefore)]))
    .execute();
}
