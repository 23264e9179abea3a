import { createHash, pbkdf2Sync, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RELEASE_CODE_DIGITS, RELEASE_PBKDF2_ITERATIONS, ReleaseKindSchema, ReleaseReasonSchema, type ReleaseKind, type ReleaseReason, type ReleaseVerifier } from '@hall/shared';
import type { Database } from '../db/schema';

export interface ReleasePasswordRow {
  id: string;
  hall_id: string;
  day: string;
  serial: number;
  kind: string;
  priority_group_id: string | null;
  max_uses: number;
  salt: string;
  verifier: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

export interface ReleaseUseRow {
  ticket_id: string;
  password_id: string;
  hall_id: string;
  day: string;
  number: string;
  serial: number;
  kind: string;
  priority_group_id: string | null;
  reason: string;
  note: string | null;
  device_id: string;
  issued_at: string;
}

type ReleaseTables = { release_passwords: ReleasePasswordRow; release_uses: ReleaseUseRow };
/** Works on the plain database and on a push transaction (which carries the sync tables too). */
export const releaseDb = <D extends Database>(db: Kysely<D>): Kysely<D & ReleaseTables> => db.withTables<ReleaseTables>();

/** The verifier of a proof: SHA-256, so the stored value does not open the kiosk's check. */
export const verifierOf = (proof: Buffer): string => createHash('sha256').update(proof).digest('base64url');

/** A new code with its salt and verifier; the code goes to the manager once and is then gone. */
export function mintReleaseCode(): { code: string; salt: string; verifier: string } {
  const code = String(randomInt(0, 10 ** RELEASE_CODE_DIGITS)).padStart(RELEASE_CODE_DIGITS, '0');
  const salt = randomBytes(32);
  const proof = pbkdf2Sync(code, salt, RELEASE_PBKDF2_ITERATIONS, 32, 'sha256');
  return { code, salt: salt.toString('base64url'), verifier: verifierOf(proof) };
}

/** Whether a ticket's proof opens the password's verifier (constant time). */
export function proofMatches(row: Pick<ReleasePasswordRow, 'verifier'>, proof: string): boolean {
  const expected = Buffer.from(row.verifier, 'base64url');
  const got = Buffer.from(verifierOf(Buffer.from(proof, 'base64url')), 'base64url');
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export interface NewRelease {
  hallId: string;
  day: string;
  kind: ReleaseKind;
  priorityGroupId?: string | undefined;
  maxUses: number;
  createdBy: string;
}

export async function createRelease(db: Kysely<Database>, release: NewRelease, at: Date): Promise<{ id: string; serial: number; code: string }> {
  const rdb = releaseDb(db);
  const last = await rdb
    .selectFrom('release_passwords')
    .select((eb) => eb.fn.max('serial').as('serial'))
    .where('hall_id', '=', release.hallId)
    .where('day', '=', release.day)
    .executeTakeFirst();
  const serial = Number(last?.serial ?? 0) + 1;
  const id = randomUUID();
  const { code, salt, verifier } = mintReleaseCode();
  await rdb
    .insertInto('release_passwords')
    .values({
      id,
      hall_id: release.hallId,
      day: release.day,
      serial,
      kind: release.kind,
      priority_group_id: release.priorityGroupId ?? null,
      max_uses: release.maxUses,
      salt,
      verifier,
      created_by: release.createdBy,
      created_at: at.toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, serial, code };
}

export async function revokeRelease(db: Kysely<Database>, hallId: string, id: string, at: Date): Promise<boolean> {
  const result = await releaseDb(db)
    .updateTable('release_passwords')
    .set({ revoked_at: at.toISOString() })
    .where('id', '=', id)
    .where('hall_id', '=', hallId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

async function useCounts(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await releaseDb(db)
    .selectFrom('release_uses')
    .select(['password_id', (eb) => eb.fn.countAll().as('uses')])
    .where('password_id', 'in', ids)
    .groupBy('password_id')
    .execute();
  return new Map(rows.map((r) => [r.password_id, Number(r.uses)]));
}

/** What the console lists: never the code, nor the salt or verifier. */
export interface ReleaseListing {
  id: string;
  day: string;
  serial: number;
  kind: ReleaseKind;
  priorityGroupId: string | null;
  maxUses: number;
  used: number;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listReleases(db: Kysely<Database>, hallId: string, from: string, to: string): Promise<ReleaseListing[]> {
  const rows = await releaseDb(db)
    .selectFrom('release_passwords')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day', 'desc')
    .orderBy('serial', 'desc')
    .execute();
  const uses = await useCounts(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    serial: Number(r.serial),
    kind: ReleaseKindSchema.parse(r.kind),
    priorityGroupId: r.priority_group_id,
    maxUses: Number(r.max_uses),
    used: uses.get(r.id) ?? 0,
    createdBy: r.created_by,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** The kiosks' copy: live passwords of the given days, with the uses recorded so far. */
export async function releaseVerifiers(db: Kysely<Database>, hallId: string, days: readonly string[]): Promise<ReleaseVerifier[]> {
  const rows = await releaseDb(db)
    .selectFrom('release_passwords')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('day', 'in', [...days])
    .where('revoked_at', 'is', null)
    .orderBy('day')
    .orderBy('serial')
    .execute();
  const uses = await useCounts(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    serial: Number(r.serial),
    day: r.day,
    kind: ReleaseKindSchema.parse(r.kind),
    ...(r.priority_group_id ? { priorityGroupId: r.priority_group_id } : {}),
    maxUses: Number(r.max_uses),
    used: uses.get(r.id) ?? 0,
    salt: r.salt,
    verifier: r.verifier,
  }));
}

/** One released ticket, for supervision (现场号/特殊号登记监督). */
export interface ReleasedTicket {
  ticketId: string;
  day: string;
  number: string;
  serial: number;
  kind: ReleaseKind;
  priorityGroupId: string | null;
  reason: ReleaseReason;
  note: string | null;
  deviceId: string;
  issuedAt: string;
}

export async function listReleasedTickets(db: Kysely<Database>, hallId: string, query: { from: string; to: string; kind?: ReleaseKind | undefined }): Promise<ReleasedTicket[]> {
  let q = releaseDb(db).selectFrom('release_uses').selectAll().where('hall_id', '=', hallId).where('day', '>=', query.from).where('day', '<=', query.to);
  if (query.kind) q = q.where('kind', '=', query.kind);
  const rows = await q.orderBy('issued_at', 'desc').limit(5000).execute();
  return rows.map((r) => ({
    ticketId: r.ticket_id,
    day: r.day,
    number: r.number,
    serial: Number(r.serial),
    kind: ReleaseKindSchema.parse(r.kind),
    priorityGroupId: r.priority_group_id,
    reason: ReleaseReasonSchema.parse(r.reason),
    note: r.note,
    deviceId: r.device_id,
    issuedAt: r.issued_at,
  }));
}
