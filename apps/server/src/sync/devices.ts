import { randomBytes } from 'node:crypto';
import { CITIZEN_KEY_ROLES, LAN_KEY_ROLES, type EnrollResponse, type StationRole } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { hashToken, newToken } from '../auth/tokens';
import { ApiError } from '../http/errors';
import { hallLanKeyRing } from '../lan-keys/keys';
import { citizenKey } from '../residence-code/keys';
import { DeviceRoleSchema } from '../store/devices';

/** Readable one-time code: 4 groups of 4 from an alphabet without 0/O/1/I. */
function enrollmentCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A counter a device may be bound to: one of the hall's own counters. */
async function requireHallCounter(db: Kysely<Database>, hallId: string, counterId: string): Promise<void> {
  const counter = await db.selectFrom('counters').select('id').where('id', '=', counterId).where('hall_id', '=', hallId).executeTakeFirst();
  if (!counter) throw new ApiError(400, 'unknown_counter', `counter ${counterId} is not a counter of hall ${hallId}`);
}

/**
 * Creates (or re-arms) a device and returns its one-time enrollment code, usable for
 * `ctx.enrollmentCodeHours` (default 72 h); only its hash is stored. A counter device names
 * the counter it serves (`counterId`), the only one it may act for; re-arming without one
 * keeps the counter it had.
 */
export async function createEnrollmentCode(
  ctx: ServerContext,
  input: { id: string; hallId: string; role: StationRole; name: string; counterId?: string | undefined },
): Promise<{ code: string; expiresAt: string }> {
  if (input.counterId !== undefined) {
    if (input.role !== 'counter') throw new ApiError(400, 'invalid_request', 'only a counter device serves a counter');
    await requireHallCounter(ctx.db, input.hallId, input.counterId);
  }
  const code = enrollmentCode();
  const now = ctx.clock();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + ctx.enrollmentCodeHours * 3_600_000).toISOString();
  const existing = await ctx.db.selectFrom('devices').select(['hall_id', 'revoked_at']).where('id', '=', input.id).executeTakeFirst();
  if (existing) {
    if (existing.hall_id !== input.hallId) throw new ApiError(409, 'conflict', `device ${input.id} belongs to another hall`);
    if (existing.revoked_at !== null) throw new ApiError(409, 'device_revoked', `device ${input.id} is revoked; create a new device id`);
    await ctx.db
      .updateTable('devices')
      .set({
        enrollment_code_hash: hashToken(code),
        enrollment_expires_at: expiresAt,
        role: input.role,
        name: input.name,
        // Another role serves no counter; a counter re-armed without one keeps its binding.
        ...(input.role !== 'counter' ? { counter_id: null } : input.counterId !== undefined ? { counter_id: input.counterId } : {}),
      })
      .where('id', '=', input.id)
      .execute();
  } else {
    await ctx.db
      .insertInto('devices')
      .values({
        id: input.id,
        hall_id: input.hallId,
        role: input.role,
        name: input.name,
        counter_id: input.counterId ?? null,
        credential_hash: null,
        enrollment_code_hash: hashToken(code),
        enrollment_expires_at: expiresAt,
        enrolled_at: null,
        revoked_at: null,
        last_seen_at: null,
        created_at: at,
      })
      .execute();
  }
  return { code, expiresAt };
}

/**
 * Exchanges an enrollment code for a device credential.
 *
 * The code is spent only once the station has its credential on disk, which the server
 * learns from the credential's first use (a station writes and fsyncs it before using it;
 * see `confirmCredential`). Until then the same code may be exchanged again: a station that
 * crashed or lost the answer between the exchange and the write enrolls again instead of
 * being stranded with a spent code. Each exchange replaces the credential (only hashes are
 * stored, so an earlier credential cannot be handed out again), and the latest one wins:
 * of two exchanges racing, the earlier credential simply never works. Once the credential
 * has been used, the code is gone; an expired code never works.
 *
 * Re-enrolling replaces the credential: the old one stops working at once.
 */
export async function enroll(ctx: ServerContext, code: string): Promise<EnrollResponse> {
  const codeHash = hashToken(code.trim().toUpperCase());
  const device = await ctx.db
    .selectFrom('devices')
    .select(['id', 'hall_id', 'role', 'counter_id', 'revoked_at', 'enrollment_expires_at'])
    .where('enrollment_code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!device || device.revoked_at !== null) throw new ApiError(401, 'invalid_enrollment_code', 'enrollment code is unknown, used or revoked');
  const now = ctx.clock().toISOString();
  if (device.enrollment_expires_at === null || device.enrollment_expires_at <= now) {
    throw new ApiError(
      401,
      'enrollment_code_expired',
      `enrollment code expired${device.enrollment_expires_at ? ` at ${device.enrollment_expires_at}` : ''}; create a new one for device ${device.id} in the console`,
    );
  }
  const role = DeviceRoleSchema.parse(device.role);
  // Stations that hash ID cards get the city's key with their identity, so no one copies it by
  // hand. Read before the code is spent: a failure here leaves the code usable.
  const withKey = (CITIZEN_KEY_ROLES as readonly string[]).includes(role) ? { citizenKey: await citizenKey(ctx.db, ctx.dataKeys) } : {};
  // Every station of the hall seals and opens LAN traffic (call feed, hall mesh) with the hall's key ring.
  const withLanKeys = (LAN_KEY_ROLES as readonly string[]).includes(role) ? { lanKeys: await hallLanKeyRing(ctx.db, ctx.dataKeys, device.hall_id, ctx.clock()) } : {};
  const credential = newToken('device');
  const updated = await ctx.db
    .updateTable('devices')
    .set({ credential_hash: hashToken(credential), enrolled_at: now, credential_confirmed_at: null })
    .where('id', '=', device.id)
    .where('enrollment_code_hash', '=', codeHash)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ApiError(401, 'invalid_enrollment_code', 'enrollment code is unknown, used or revoked');
  const withCounter = role === 'counter' && device.counter_id ? { counterId: device.counter_id } : {};
  return { deviceId: device.id, hallId: device.hall_id, role, ...withCounter, credential, ...withKey, ...withLanKeys };
}

/** A counter device's hall, checked bindable: it exists, is a counter and is not revoked. */
export async function bindableCounterDevice(ctx: ServerContext, id: string): Promise<{ hallId: string }> {
  const device = await ctx.db.selectFrom('devices').select(['hall_id', 'role', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!device) throw new ApiError(404, 'not_found', `device ${id} does not exist`);
  if (device.role !== 'counter') throw new ApiError(400, 'invalid_request', `device ${id} is a ${device.role}; only a counter device serves a counter`);
  if (device.revoked_at !== null) throw new ApiError(409, 'device_revoked', `device ${id} is revoked`);
  return { hallId: device.hall_id };
}

/** Binds a counter device to the counter it serves, without re-enrolling it (effective on its next push). */
export async function bindDeviceCounter(db: Kysely<Database>, hallId: string, id: string, counterId: string): Promise<void> {
  await requireHallCounter(db, hallId, counterId);
  await db.updateTable('devices').set({ counter_id: counterId }).where('id', '=', id).where('hall_id', '=', hallId).execute();
}

export async function revokeDevice(ctx: ServerContext, id: string): Promise<{ hallId: string }> {
  const device = await ctx.db.selectFrom('devices').select(['hall_id']).where('id', '=', id).executeTakeFirst();
  if (!device) throw new ApiError(404, 'not_found', `device ${id} does not exist`);
  await ctx.db
    .updateTable('devices')
    .set({ revoked_at: ctx.clock().toISOString(), credential_hash: null, enrollment_code_hash: null, enrollment_expires_at: null })
    .where('id', '=', id)
    .execute();
  return { hallId: device.hall_id };
}

export async function deviceHall(ctx: ServerContext, id: string): Promise<string | undefined> {
  return (await ctx.db.selectFrom('devices').select('hall_id').where('id', '=', id).executeTakeFirst())?.hall_id;
}
