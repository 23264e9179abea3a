import { randomBytes } from 'node:crypto';
import {
  CLERK_PROOF_FIELD,
  CLERK_SESSION_EARLY_MS,
  CLERK_SESSION_HOURS,
  ClerkProofSchema,
  clerkMutationMessage,
  clerkSessionKeyLabel,
  clerkSessionStatement,
  COUNTER_BOUND_TYPES,
  mutationStaffId,
  type ClerkProof,
  type Mutation,
} from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { loadOnce, mac, sameMac } from './macs';
import type { SyncDb } from './tables';

/**
 * Clerk keys (packages/shared/src/sync/clerkProof.ts): one per clerk and counter device,
 * sealed under the data-encryption key (SEALED_COLUMNS). A password change or deactivation
 * retires the clerk's keys: sessions opened after that are refused, and so is anything made
 * after it in an older session.
 */
export const clerkKeyTables: Migration = {
  name: '0961_clerk_keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('clerk_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('clerk_keys_staff_device').on('clerk_keys').columns(['staff_id', 'device_id']).execute();
  },
};

/** Clerk sessions ended by a sign-out at their counter: nothing made in them after `ended_at` is accepted. */
export const clerkSessionEndTables: Migration = {
  name: '0995_clerk_session_ends',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('clerk_session_ends')
      .addColumn('session', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute();
  },
};

type ClerkKeyTables = {
  clerk_keys: { id: string; staff_id: string; device_id: string; key: string; created_at: string; revoked_at: string | null };
  clerk_session_ends: { session: string; key_id: string; device_id: string; ended_at: string; recorded_at: string };
};
type ClerkKeyDb = Kysely<Database & ClerkKeyTables>;
const clerkKeyDb = (db: Kysely<Database>): ClerkKeyDb => db.withTables<ClerkKeyTables>();

const SEALED = { table: 'clerk_keys', column: 'key' } as const;

/** The clerk's current key on this device, created on first need; the secret goes to the station once per sign-in. */
export async function clerkKeyFor(database: Kysely<Database>, keyring: DataKeyring, staffId: string, deviceId: string, now: Date): Promise<{ id: string; secret: string }> {
  const db = clerkKeyDb(database);
  const current = await db
    .selectFrom('clerk_keys')
    .select(['id', 'key'])
    .where('staff_id', '=', staffId)
    .where('device_id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (current) return { id: current.id, secret: keyring.open(current.key, sealContext(SEALED, current.id)) };
  const id = `ck-${randomBytes(12).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('clerk_keys')
    .values({ id, staff_id: staffId, device_id: deviceId, key: keyring.seal(secret, sealContext(SEALED, id)), created_at: now.toISOString(), revoked_at: null })
    .execute();
  return { id, secret };
}

/**
 * Ends a session at its clerk's sign-out. Only the device the key belongs to ends it, and the
 * first end stands (a repeated or later sign-out cannot reopen the session's hours).
 */
export async function endClerkSession(database: Kysely<Database>, deviceId: string, end: { keyId: string; session: string; endedAt: string }, now: Date): Promise<boolean> {
  const db = clerkKeyDb(database);
  const key = await db.selectFrom('clerk_keys').select('device_id').where('id', '=', end.keyId).executeTakeFirst();
  if (!key || key.device_id !== deviceId) return false;
  await db
    .insertInto('clerk_session_ends')
    .values({ session: end.session, key_id: end.keyId, device_id: deviceId, ended_at: new Date(end.endedAt).toISOString(), recorded_at: now.toISOString() })
    .onConflict((oc) => oc.column('session').doNothing())
    .execute();
  return true;
}

/** Retires every key of the clerk (password changed, account deactivated); runs in the caller's transaction. */
export async function retireClerkKeys(database: Kysely<Database>, staffId: string, now: Date): Promise<void> {
  await clerkKeyDb(database).updateTable('clerk_keys').set({ revoked_at: now.toISOString() }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).execute();
}

const COUNTER_BOUND: ReadonlySet<string> = new Set(COUNTER_BOUND_TYPES);


type Rejection = { ok: false; code: 'clerk_proof_missing' | 'clerk_proof_invalid'; reason: string };

/** The clerk keys a push batch names, loaded once each. */
export class ClerkKeyBook {
  private readonly keys = new Map<string, Promise<{ staffId: string; deviceId: string; secret: Buffer; revokedAt: string | null } | undefined>>();
  private readonly ends = new Map<string, Promise<string | undefined>>();
  private readonly sessions = new Map<string, Buffer | undefined>();
  constructor(
    private readonly database: SyncDb,
    private readonly keyring: DataKeyring,
  ) {}

  private key(id: string) {
    return loadOnce(this.keys, id, () =>
      this.database
        .withTables<ClerkKeyTables>()
        .selectFrom('clerk_keys')
        .select(['staff_id', 'device_id', 'key', 'revoked_at'])
        .where('id', '=', id)
        .executeTakeFirst()
        .then((row) =>
          row ? { staffId: row.staff_id, deviceId: row.device_id, secret: Buffer.from(this.keyring.open(row.key, sealContext(SEALED, id)), 'base64url'), revokedAt: row.revoked_at } : undefined,
        ),
    );
  }

  private ended(session: string, deviceId: string): Promise<string | undefined> {
    return loadOnce(this.ends, session, () =>
      this.database
        .withTables<ClerkKeyTables>()
        .selectFrom('clerk_session_ends')
        .select('ended_at')
        .where('session', '=', session)
        .where('device_id', '=', deviceId)
        .executeTakeFirst()
        .then((row) => row?.ended_at),
    );
  }

  /**
   * The session key of a proof whose session statement verifies, else undefined. A batch
   * carries a session's statement on each of its hundreds of mutations: verified and
   * derived once per batch (two of the three HMACs per mutation), by the exact facts signed.
   */
  private sessionKey(secret: Buffer, proof: ClerkProof, deviceId: string): Buffer | undefined {
    const statement = clerkSessionStatement({ ...proof, deviceId });
    const cacheKey = `${proof.keyId}\n${proof.sessionMac}\n${statement}`;
    if (this.sessions.has(cacheKey)) return this.sessions.get(cacheKey);
    const derived = sameMac(mac(secret, statement), proof.sessionMac) ? mac(secret, clerkSessionKeyLabel(proof.session)) : undefined;
    this.sessions.set(cacheKey, derived);
    return derived;
  }

  /**
   * A counter mutation must carry a proof that the clerk it names signed in at its origin
   * device, for that device's counter, within CLERK_SESSION_HOURS before `at`. Other types
   * need none. Undefined when the proof holds.
   */
  async check(origin: { id: string; counterId?: string | null | undefined }, mutation: Mutation, at: string): Promise<Rejection | undefined> {
    if (!COUNTER_BOUND.has(mutation.type)) return undefined;
    const invalid = (reason: string): Rejection => ({ ok: false, code: 'clerk_proof_invalid', reason: `${mutation.type} ${mutation.id}: ${reason}` });
    const raw = mutation.payload[CLERK_PROOF_FIELD];
    if (raw === undefined) {
      return { ok: false, code: 'clerk_proof_missing', reason: `${mutation.type} carries no proof that a clerk signed in at device ${origin.id}` };
    }
    const parsed = ClerkProofSchema.safeParse(raw);
    if (!parsed.success) return invalid(`malformed clerk proof (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
    const proof = parsed.data;
    if (mutationStaffId(mutation.payload) !== proof.staffId) return invalid('the clerk named differs from the clerk who signed in');
    if (proof.counterId !== origin.counterId) return invalid(`the session was opened for counter ${proof.counterId}, the device serves ${origin.counterId ?? 'none'}`);
    const key = await this.key(proof.keyId);
    if (!key || key.staffId !== proof.staffId || key.deviceId !== origin.id) return invalid('unknown clerk key for this clerk and device');
    const sessionKey = this.sessionKey(key.secret, proof, origin.id);
    if (!sessionKey) return invalid('the session statement does not verify');
    if (!sameMac(mac(sessionKey, clerkMutationMessage(mutation)), proof.mac)) return invalid('the mutation does not verify under its session');
    const started = Date.parse(proof.startedAt);
    const made = Date.parse(at);
    const ended = await this.ended(proof.session, origin.id);
    if (ended !== undefined && made > Date.parse(ended)) return invalid(`made at ${at}, after the clerk signed out at ${ended}`);
    if (made < started - CLERK_SESSION_EARLY_MS || made > started + CLERK_SESSION_HOURS * 3_600_000) {
      return invalid(`made at ${at}, outside the session opened at ${proof.startedAt} (${CLERK_SESSION_HOURS} h)`);
    }
    if (key.revokedAt !== null && Math.max(started, made) >= Date.parse(key.revokedAt)) {
      return invalid(`the clerk's key was retired at ${key.revokedAt} (password changed or account deactivated)`);
    }
    return undefined;
  }
}
