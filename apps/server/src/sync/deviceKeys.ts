import { randomBytes } from 'node:crypto';
import { DEVICE_PROOF_FIELD, DeviceProofSchema, deviceMutationMessage, type DeviceKey, type Mutation } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { loadOnce, mac, sameMac } from './macs';
import type { SyncDb } from './tables';

/**
 * Device keys (packages/shared/src/sync/deviceProof.ts): one per enrollment of a device, sealed
 * under the data-encryption key (SEALED_COLUMNS). A key belongs to the credential it was issued
 * under, so a re-enrolled device's old key proves nothing more.
 */
export const deviceKeyTables: Migration = {
  name: '1270_device_keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('device_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('credential_hash', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('device_keys_device').on('device_keys').columns(['device_id', 'credential_hash']).execute();
  },
};

type DeviceKeyTables = { device_keys: { id: string; device_id: string; credential_hash: string; key: string; created_at: string } };
const SEALED = { table: 'device_keys', column: 'key' } as const;

/** The key of the device's current enrollment, created on first need. */
export async function deviceKeyFor(database: Kysely<Database>, keyring: DataKeyring, deviceId: string, now: Date): Promise<DeviceKey> {
  const db = database.withTables<DeviceKeyTables>();
  const device = await db.selectFrom('devices').select('credential_hash').where('id', '=', deviceId).executeTakeFirstOrThrow();
  if (device.credential_hash === null) throw new Error(`device ${deviceId} is not enrolled`);
  const current = await db
    .selectFrom('device_keys')
    .select(['id', 'key'])
    .where('device_id', '=', deviceId)
    .where('credential_hash', '=', device.credential_hash)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (current) return { keyId: current.id, key: keyring.open(current.key, sealContext(SEALED, current.id)) };
  const keyId = `dk-${randomBytes(12).toString('hex')}`;
  const key = randomBytes(32).toString('base64url');
  await db
    .insertInto('device_keys')
    .values({ id: keyId, device_id: deviceId, credential_hash: device.credential_hash, key: keyring.seal(key, sealContext(SEALED, keyId)), created_at: now.toISOString() })
    .execute();
  return { keyId, key };
}

/**
 * The device keys a push batch's relayed mutations name, loaded once each. A relayed mutation
 * is decided only when it carries a proof made with its origin's key of the origin's current
 * enrollment; the pusher's own need none (its credential names it).
 */
export class DeviceKeyBook {
  private readonly keys = new Map<string, Promise<{ deviceId: string; secret: Buffer; current: boolean } | undefined>>();
  constructor(
    private readonly database: SyncDb,
    private readonly keyring: DataKeyring,
  ) {}

  private key(id: string) {
    return loadOnce(this.keys, id, () =>
      this.database
        .withTables<DeviceKeyTables>()
        .selectFrom('device_keys as k')
        .innerJoin('devices as d', 'd.id', 'k.device_id')
        .select(['k.device_id', 'k.key', 'k.credential_hash', 'd.credential_hash as enrolled_hash'])
        .where('k.id', '=', id)
        .executeTakeFirst()
        .then((row) =>
          row
            ? { deviceId: row.device_id, secret: Buffer.from(this.keyring.open(row.key, sealContext(SEALED, id)), 'base64url'), current: row.credential_hash === row.enrolled_hash }
            : undefined,
        ),
    );
  }

  /** Why the relayed mutation does not prove its origin, or undefined when it does. */
  async check(mutation: Mutation): Promise<string | undefined> {
    const raw = mutation.payload[DEVICE_PROOF_FIELD];
    if (raw === undefined) return `carries no proof that device ${mutation.deviceId} made it`;
    const parsed = DeviceProofSchema.safeParse(raw);
    if (!parsed.success) return 'malformed device proof';
    const key = await this.key(parsed.data.keyId);
    if (!key || key.deviceId !== mutation.deviceId) return `unknown device key for device ${mutation.deviceId}`;
    if (!key.current) return `the device key of an earlier enrollment of device ${mutation.deviceId}`;
    if (!sameMac(mac(key.secret, deviceMutationMessage(mutation)), parsed.data.mac)) return 'the mutation does not verify under its device key';
    return undefined;
  }
}
