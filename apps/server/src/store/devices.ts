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
}

/** An enrolled, unrevoked device holding this credential; enrollment itself is issue 3's. */
export async function findDeviceByCredential(db: Kysely<Database>, credential: string): Promise<DeviceIdentity | undefined> {
  const row = await db
    .selectFrom('devices')
    .select(['id', 'hall_id', 'role'])
    .where('credential_hash', '=', hashToken(credential))
    .where('enrolled_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const role = DeviceRoleSchema.safeParse(row.role);
  return role.success ? { id: row.id, hallId: row.hall_id, role: role.data } : undefined;
}
