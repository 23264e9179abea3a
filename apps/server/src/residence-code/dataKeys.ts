import { createCipheriv, randomBytes } from 'node:crypto';
import {
  encodeBase64Url,
  decodeBase64Url,
  encodeResidenceFields,
  joinSealed,
  MAX_LIFETIME_SECONDS,
  SEAL_IV_BYTES,
  type DataKeyRing,
  type ResidenceFields,
} from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';

const DAY_MS = 24 * 3600 * 1000;
const KEY_COLUMN = { table: 'residence_data_keys', column: 'key' } as const;

/**
 * Data keys rotate monthly: each seals codes issued in its period; the next is handed to
 * stations a whole period before it seals (a station that syncs once a month never meets a
 * code it cannot open) and a retired one stays until the longest residence code it sealed
 * has expired, plus a day for clocks.
 */
export const DATA_KEY_ROTATION = {
  sealPeriodMs: 30 * DAY_MS,
  openGraceMs: MAX_LIFETIME_SECONDS.residence * 1000 + DAY_MS,
} as const;

type DataKeyTables = {
  residence_data_keys: { kid: string; key: string; seal_from: string; seal_until: string; open_until: string; created_at: string };
};

function keysDb(db: Kysely<Database>): Kysely<Database & DataKeyTables> {
  return db.withTables<DataKeyTables>();
}

/** 0990: the residence-code data keys, each sealed at rest under the data-encryption key. */
export const residenceDataKeyTables: Migration = {
  name: '0990_residence_data_keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('residence_data_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('seal_from', 'text', (c) => c.notNull())
      .addColumn('seal_until', 'text', (c) => c.notNull())
      .addColumn('open_until', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Makes sure a current and a next data key exist, and answers every key a station should hold. */
export async function dataKeyRing(database: Kysely<Database>, keyring: DataKeyring, now: Date): Promise<DataKeyRing> {
  const db = keysDb(database);
  const iso = now.toISOString();
  const insert = async (trx: typeof db, sealFromMs: number) => {
    const kid = randomBytes(4).toString('hex');
    const sealUntil = sealFromMs + DATA_KEY_ROTATION.sealPeriodMs;
    await trx
      .insertInto('residence_data_keys')
      .values({
        kid,
        key: keyring.seal(encodeBase64Url(new Uint8Array(randomBytes(32))), sealContext(KEY_COLUMN, kid)),
        seal_from: new Date(sealFromMs).toISOString(),
        seal_until: new Date(sealUntil).toISOString(),
        open_until: new Date(sealUntil + DATA_KEY_ROTATION.openGraceMs).toISOString(),
        created_at: iso,
      })
      .execute();
  };
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('residence_data_keys').selectAll().where('seal_until', '>', iso).orderBy('seal_from').execute();
    let current = rows.find((r) => r.seal_from <= iso);
    if (!current) {
      await insert(trx, now.getTime());
      current = await trx.selectFrom('residence_data_keys').selectAll().where('seal_from', '<=', iso).where('seal_until', '>', iso).executeTakeFirstOrThrow();
    }
    if (!rows.some((r) => r.seal_from >= current.seal_until)) await insert(trx, Date.parse(current.seal_until));
  });
  const rows = await db.selectFrom('residence_data_keys').selectAll().where('open_until', '>', iso).orderBy('seal_from').execute();
  return {
    generatedAt: iso,
    keys: rows.map((r) => ({ kid: r.kid, key: keyring.open(r.key, sealContext(KEY_COLUMN, r.kid)), sealFrom: r.seal_from, sealUntil: r.seal_until, openUntil: r.open_until })),
  };
}

/**
 * Seals a citizen's fields for a residence code with the key sealing now (AES-256-GCM, fresh
 * IV), bound to the code's header bytes as associated data.
 */
export async function sealResidenceFields(
  database: Kysely<Database>,
  keyring: DataKeyring,
  now: Date,
  fields: ResidenceFields,
  header: Uint8Array,
): Promise<Uint8Array> {
  const iso = now.toISOString();
  const key = (await dataKeyRing(database, keyring, now)).keys.find((k) => k.sealFrom <= iso && k.sealUntil > iso);
  const raw = key && decodeBase64Url(key.key);
  if (!key || !raw) throw new Error('no residence-code data key seals now');
  const iv = randomBytes(SEAL_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', raw, iv).setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(encodeResidenceFields(fields)), cipher.final()]);
  return joinSealed({ dataKid: key.kid, iv: new Uint8Array(iv), ciphertext: new Uint8Array(ciphertext), tag: new Uint8Array(cipher.getAuthTag()) });
}
