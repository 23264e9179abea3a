import { sql, type Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * The halls' LAN keys (hall mesh, LAN call feed): one row per key version, the key sealed
 * under the data-encryption key (SEALED_COLUMNS). A hall has at most one current key
 * (retired_at null); a rotated key keeps its row, with the time it was retired, while
 * stations still accept it.
 */
export const hallLanKeyTables: Migration = {
  name: '0931_hall_lan_keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hall_lan_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .execute();
    await db.schema.createIndex('hall_lan_keys_hall').on('hall_lan_keys').columns(['hall_id', 'created_at']).execute();
    // Two instances creating a hall's first key (or two rotations racing) cannot leave two current keys.
    await db.schema
      .createIndex('hall_lan_keys_one_current')
      .on('hall_lan_keys')
      .column('hall_id')
      .unique()
      .where(sql.ref('retired_at'), 'is', null)
      .execute();
  },
};
