import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Table of the hall LAN keys, typed here so the shared schema file stays untouched. */
export type LanKeyTables = {
  hall_lan_keys: { kid: string; hall_id: string; key: string; created_at: string; retired_at: string | null };
};

export type LanKeyDb = Kysely<Database & LanKeyTables>;

export function lanKeyDb(db: Kysely<Database>): LanKeyDb {
  return db.withTables<LanKeyTables>();
}
