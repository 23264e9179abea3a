import { randomBytes } from 'node:crypto';
import type { LanKeyRing } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { lanKeyDb, type LanKeyDb } from './tables';

const SEALED = { table: 'hall_lan_keys', column: 'key' } as const;

/**
 * How long a rotated-out key stays accepted: long enough for every station of the hall to
 * fetch the new ring (on the rotation poke, at its next periodic refresh, or when it comes
 * back online) before the old key stops opening its messages.
 */
export const LAN_KEY_GRACE_MS = 24 * 3600 * 1000;
/** At most this many keys are handed out (newest first): rotating again and again within a day cannot grow the ring past what stations accept. */
export const LAN_KEYS_MAX_ACCEPTED = 16;

/** What the console shows of a key: never the key itself. */
export interface LanKeyInfo {
  kid: string;
  createdAt: string;
  /** Null for the current key. */
  retiredAt: string | null;
  /** When a retired key stops being accepted; null for the current key. */
  acceptedUntil: string | null;
}

export interface LanKeyStatus {
  hallId: string;
  current: LanKeyInfo | null;
  /** Retired keys still accepted, newest first. */
  previous: LanKeyInfo[];
  graceSeconds: number;
}

interface Row {
  kid: string;
  key: string;
  created_at: string;
  retired_at: string | null;
}

/** Readable in the console and the audit log, unique by its random part: lk20260302-1a2b3c4d5e6f. */
export function newLanKid(now: Date): string {
  return `lk${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(6).toString('hex')}`;
}

async function insertCurrent(db: LanKeyDb, keyring: DataKeyring, hallId: string, now: Date): Promise<string> {
  const kid = newLanKid(now);
  await db
    .insertInto('hall_lan_keys')
    .values({ kid, hall_id: hallId, key: keyring.seal(randomBytes(32).toString('base64'), sealContext(SEALED, kid)), created_at: now.toISOString(), retired_at: null })
    .onConflict((oc) => oc.column('hall_id').where('retired_at', 'is', null).doNothing())
    .execute();
  return kid;
}

function cutoff(now: Date): string {
  return new Date(now.getTime() - LAN_KEY_GRACE_MS).toISOString();
}

/** The hall's current key and the retired keys still within the grace period, newest first. */
async function liveRows(db: LanKeyDb, hallId: string, now: Date): Promise<Row[]> {
  return db
    .selectFrom('hall_lan_keys')
    .select(['kid', 'key', 'created_at', 'retired_at'])
    .where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', cutoff(now))]))
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
}

/** Keys past their grace period open nothing any more: their material is deleted, not kept. */
async function dropExpired(db: LanKeyDb, hallId: string, now: Date): Promise<void> {
  await db.deleteFrom('hall_lan_keys').where('hall_id', '=', hallId).where('retired_at', 'is not', null).where('retired_at', '<=', cutoff(now)).execute();
}

/**
 * The hall's LAN key ring as stations receive it, created on first need (two instances
 * racing make one key: the unique index keeps one current key per hall).
 */
export async function hallLanKeyRing(database: Kysely<Database>, keyring: DataKeyring, hallId: string, now: Date): Promise<LanKeyRing> {
  const db = lanKeyDb(database);
  let rows = await liveRows(db, hallId, now);
  if (!rows.some((r) => r.retired_at === null)) {
    await insertCurrent(db, keyring, hallId, now);
    rows = await liveRows(db, hallId, now);
  }
  await dropExpired(db, hallId, now);
  const current = rows.find((r) => r.retired_at === null);
  if (!current) throw new Error(`hall ${hallId}: no current LAN key after creating one`);
  const wire = (r: Row) => ({ kid: r.kid, key: keyring.open(r.key, sealContext(SEALED, r.kid)) });
  return { current: wire(current), accepted: [current, ...rows.filter((r) => r !== current)].slice(0, LAN_KEYS_MAX_ACCEPTED).map(wire) };
}

/**
 * Makes `kid` (newLanKid) the hall's current key; the one it replaces is retired now and
 * stays accepted for LAN_KEY_GRACE_MS. Runs inside the caller's (audited) transaction. Two
 * rotations racing: the second fails on the unique index (409) and changes nothing.
 */
export async function rotateHallLanKey(
  database: Kysely<Database>,
  keyring: DataKeyring,
  hallId: string,
  kid: string,
  now: Date,
): Promise<{ kid: string; retiredKid: string | null }> {
  const db = lanKeyDb(database);
  const previous = await db.selectFrom('hall_lan_keys').select('kid').where('hall_id', '=', hallId).where('retired_at', 'is', null).executeTakeFirst();
  if (previous) await db.updateTable('hall_lan_keys').set({ retired_at: now.toISOString() }).where('kid', '=', previous.kid).where('retired_at', 'is', null).execute();
  await dropExpired(db, hallId, now);
  await db
    .insertInto('hall_lan_keys')
    .values({ kid, hall_id: hallId, key: keyring.seal(randomBytes(32).toString('base64'), sealContext(SEALED, kid)), created_at: now.toISOString(), retired_at: null })
    .execute();
  return { kid, retiredKid: previous?.kid ?? null };
}

/** Key ids and dates of the hall's keys, for the console: no key material. */
export async function hallLanKeyStatus(database: Kysely<Database>, hallId: string, now: Date): Promise<LanKeyStatus> {
  const rows = await liveRows(lanKeyDb(database), hallId, now);
  const info = (r: Row): LanKeyInfo => ({
    kid: r.kid,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
    acceptedUntil: r.retired_at === null ? null : new Date(Date.parse(r.retired_at) + LAN_KEY_GRACE_MS).toISOString(),
  });
  const current = rows.find((r) => r.retired_at === null);
  return { hallId, current: current ? info(current) : null, previous: rows.filter((r) => r.retired_at !== null).map(info), graceSeconds: LAN_KEY_GRACE_MS / 1000 };
}
