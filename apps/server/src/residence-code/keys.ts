import { createHmac, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  encodeBase64Url,
  encodeCodePayload,
  formatCode,
  MAX_LIFETIME_SECONDS,
  normaliseIdNumber,
  SEAL_AAD_BYTES,
  type CodeBody,
  type CodePayload,
  type KeySet,
} from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { residenceDb, type ResidenceDb } from './tables';

const PRIVATE_KEY = { table: 'residence_keys', column: 'private_key' } as const;
const SECRET = { table: 'residence_secrets', column: 'value' } as const;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Key rotation: each key signs for one period; the next key is published a whole period
 * before it signs, so stations that sync at least once a period always know it; a retired
 * key stays trusted for the longest code lifetime after it stops signing.
 */
export const ROTATION = {
  signPeriodMs: 7 * DAY_MS,
  verifyGraceMs: MAX_LIFETIME_SECONDS.deposit * 1000 + DAY_MS,
} as const;

export const ISSUER = 'hall-central-api';

interface KeyRow {
  kid: string;
  public_key: string;
  private_key: string;
  sign_from: string;
  sign_until: string;
  verify_until: string;
}

async function insertKey(db: ResidenceDb, keyring: DataKeyring, signFromMs: number, nowMs: number): Promise<void> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const signUntil = signFromMs + ROTATION.signPeriodMs;
  const kid = randomBytes(8).toString('hex');
  await db
    .insertInto('residence_keys')
    .values({
      kid,
      public_key: encodeBase64Url(new Uint8Array(der.subarray(der.length - 32))),
      private_key: keyring.seal(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), sealContext(PRIVATE_KEY, kid)),
      sign_from: new Date(signFromMs).toISOString(),
      sign_until: new Date(signUntil).toISOString(),
      verify_until: new Date(signUntil + ROTATION.verifyGraceMs).toISOString(),
      created_at: new Date(nowMs).toISOString(),
    })
    .execute();
}

/** Makes sure a current and a next key exist; cheap when they do. */
export async function ensureKeys(database: Kysely<Database>, keyring: DataKeyring, now: Date): Promise<void> {
  const db = residenceDb(database);
  const nowMs = now.getTime();
  const iso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('residence_keys').selectAll().where('sign_until', '>', iso).orderBy('sign_from').execute();
    let current = rows.find((r) => r.sign_from <= iso);
    if (!current) {
      await insertKey(trx, keyring, nowMs, nowMs);
      current = await trx.selectFrom('residence_keys').selectAll().where('sign_from', '<=', iso).where('sign_until', '>', iso).executeTakeFirstOrThrow();
    }
    const hasNext = rows.some((r) => r.sign_from >= current.sign_until);
    if (!hasNext) await insertKey(trx, keyring, Date.parse(current.sign_until), nowMs);
  });
}

export async function publishedKeySet(database: Kysely<Database>, keyring: DataKeyring, now: Date): Promise<KeySet> {
  await ensureKeys(database, keyring, now);
  const rows = await residenceDb(database)
    .selectFrom('residence_keys')
    .select(['kid', 'public_key', 'sign_from', 'sign_until', 'verify_until'])
    .where('verify_until', '>', now.toISOString())
    .orderBy('sign_from')
    .execute();
  return {
    issuer: ISSUER,
    generatedAt: now.toISOString(),
    keys: rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, signFrom: r.sign_from, signUntil: r.sign_until, verifyUntil: r.verify_until })),
  };
}

async function signingKey(database: Kysely<Database>, keyring: DataKeyring, now: Date): Promise<KeyRow> {
  await ensureKeys(database, keyring, now);
  const iso = now.toISOString();
  return residenceDb(database)
    .selectFrom('residence_keys')
    .selectAll()
    .where('sign_from', '<=', iso)
    .where('sign_until', '>', iso)
    .orderBy('sign_from', 'desc')
    .executeTakeFirstOrThrow();
}

/**
 * Signs other bytes with the current city key: a counter's delegation certificate, whose
 * layout (its own kind byte) keeps it apart from every code. `bytesFor` gets the key id.
 */
export async function signWithCityKey(
  database: Kysely<Database>,
  keyring: DataKeyring,
  now: Date,
  bytesFor: (kid: string) => Uint8Array,
): Promise<{ kid: string; signed: Uint8Array; signature: Uint8Array }> {
  const key = await signingKey(database, keyring, now);
  const signed = bytesFor(key.kid);
  const privateKey = createPrivateKey({ key: Buffer.from(keyring.open(key.private_key, sealContext(PRIVATE_KEY, key.kid)), 'base64'), format: 'der', type: 'pkcs8' });
  return { kid: key.kid, signed, signature: new Uint8Array(sign(null, signed, privateKey)) };
}

/** The city keys as a key set, read inside a transaction (publishedKeySet also makes keys, and so opens its own). */
export async function cityKeySet(database: Kysely<Database>, now: Date): Promise<KeySet> {
  const rows = await residenceDb(database)
    .selectFrom('residence_keys')
    .select(['kid', 'public_key', 'sign_from', 'sign_until', 'verify_until'])
    .where('verify_until', '>', now.toISOString())
    .orderBy('sign_from')
    .execute();
  return {
    issuer: ISSUER,
    generatedAt: now.toISOString(),
    keys: rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, signFrom: r.sign_from, signUntil: r.sign_until, verifyUntil: r.verify_until })),
  };
}

/** Signs a code of any kind with the current key. */
export async function issueCode(
  database: Kysely<Database>,
  keyring: DataKeyring,
  body: CodeBody,
  now: Date,
  lifetimeSeconds: number,
  /** Residence codes with the citizen's fields: seals them bound to the code's header bytes. */
  seal?: (header: Uint8Array) => Promise<Uint8Array>,
): Promise<{ code: string; expiresAt: string; kid: string }> {
  if (lifetimeSeconds <= 0 || lifetimeSeconds > MAX_LIFETIME_SECONDS[body.kind]) throw new RangeError('code lifetime out of range');
  const key = await signingKey(database, keyring, now);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const payload: CodePayload = { ...body, kid: key.kid, issuedAt, expiresAt: issuedAt + lifetimeSeconds, nonce: randomBytes(12).toString('hex') };
  if (seal && payload.kind === 'residence') payload.sealed = await seal(encodeCodePayload(payload).slice(0, SEAL_AAD_BYTES));
  const signed = encodeCodePayload(payload);
  const privateKey = createPrivateKey({ key: Buffer.from(keyring.open(key.private_key, sealContext(PRIVATE_KEY, key.kid)), 'base64'), format: 'der', type: 'pkcs8' });
  const signature = new Uint8Array(sign(null, signed, privateKey));
  return { code: formatCode(body.kind, signed, signature), expiresAt: new Date((issuedAt + lifetimeSeconds) * 1000).toISOString(), kid: key.kid };
}

/**
 * The city's citizen-hash key (HMAC-SHA256 key, as text): made once, sealed at rest. Kiosks
 * and counters hash ID cards with the same key (it reaches them at enrollment), so a
 * residence code's subject equals the hash a station computes from the citizen's card.
 */
export async function citizenKey(database: Kysely<Database>, keyring: DataKeyring): Promise<string> {
  const db = residenceDb(database);
  let row = await db.selectFrom('residence_secrets').select('value').where('name', '=', 'citizen_hmac').executeTakeFirst();
  if (!row) {
    await db
      .insertInto('residence_secrets')
      .values({ name: 'citizen_hmac', value: keyring.seal(randomBytes(32).toString('base64'), sealContext(SECRET, 'citizen_hmac')) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    row = await db.selectFrom('residence_secrets').select('value').where('name', '=', 'citizen_hmac').executeTakeFirstOrThrow();
  }
  return keyring.open(row.value, sealContext(SECRET, 'citizen_hmac'));
}

/**
 * The citizen's subject: HMAC-SHA256 of the normalised ID number under the citizen key (its
 * UTF-8 text is the HMAC key, as on the stations), so a code or a locker database names a
 * person without revealing the number.
 */
export async function citizenSubject(database: Kysely<Database>, keyring: DataKeyring, idNumber: string): Promise<Uint8Array> {
  const key = await citizenKey(database, keyring);
  return new Uint8Array(createHmac('sha256', key).update(normaliseIdNumber(idNumber)).digest());
}
