import type { Kysely } from 'kysely';
import type { PhoneLinks } from '@hall/shared';
import type { Database } from '../../db/schema';

interface HallPhoneLinksTable {
  hall_id: string;
  base_url: string;
  updated_at: string;
  updated_by: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ hall_phone_links: HallPhoneLinksTable }>();

/** The hall's public address of the phone pages, or undefined while the console has none. */
export async function hallPhoneLinks(db: Kysely<Database>, hallId: string): Promise<PhoneLinks | undefined> {
  const row = await tables(db).selectFrom('hall_phone_links').select('base_url').where('hall_id', '=', hallId).executeTakeFirst();
  return row ? { baseUrl: row.base_url } : undefined;
}

/** Sets (or, with null, removes) the address. */
export async function saveHallPhoneLinks(db: Kysely<Database>, hallId: string, links: PhoneLinks | null, by: string, at: Date): Promise<void> {
  if (links === null) {
    await tables(db).deleteFrom('hall_phone_links').where('hall_id', '=', hallId).execute();
    return;
  }
  const values = { base_url: links.baseUrl, updated_at: at.toISOString(), updated_by: by };
  await tables(db)
    .insertInto('hall_phone_links')
    .values({ hall_id: hallId, ...values })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet(values))
    .execute();
}
