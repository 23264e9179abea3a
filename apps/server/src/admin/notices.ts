import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema } from '@hall/shared';
import type { Database } from '../db/schema';

/** A line for the wall display's notice strip (e.g. 今日出入境业务下午暂停). */
export const NoticeSchema = z.object({
  id: IdSchema,
  text: z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().max(200).optional() }),
  active: z.boolean(),
});
export type Notice = z.infer<typeof NoticeSchema>;

interface NoticeTable {
  id: string;
  hall_id: string;
  text_zh: string;
  text_en: string | null;
  active: number;
  updated_at: string;
}
const notices = (db: Kysely<Database>) => db.withTables<{ hall_notices: NoticeTable }>();

export async function listNotices(db: Kysely<Database>, hallId: string): Promise<Notice[]> {
  const rows = await notices(db).selectFrom('hall_notices').selectAll().where('hall_id', '=', hallId).orderBy('updated_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, text: { zh: r.text_zh, ...(r.text_en ? { en: r.text_en } : {}) }, active: r.active === 1 }));
}

/** Inserts or replaces a notice; returns false when the id belongs to another hall. */
export async function putNotice(db: Kysely<Database>, hallId: string, notice: Notice, at: Date): Promise<boolean> {
  const existing = await notices(db).selectFrom('hall_notices').select('hall_id').where('id', '=', notice.id).executeTakeFirst();
  if (existing && existing.hall_id !== hallId) return false;
  const row = { text_zh: notice.text.zh, text_en: notice.text.en ?? null, active: notice.active ? 1 : 0, updated_at: at.toISOString() };
  if (existing) await notices(db).updateTable('hall_notices').set(row).where('id', '=', notice.id).execute();
  else await notices(db).insertInto('hall_notices').values({ id: notice.id, hall_id: hallId, ...row }).execute();
  return true;
}
