import type { Kysely } from 'kysely';
import type { SlipKind, SlipTemplate } from '@hall/shared';
import type { Database } from '../db/schema';

interface SlipTemplateTable {
  hall_id: string;
  kind: string;
  service_id: string;
  body: string;
  updated_at: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ slip_templates: SlipTemplateTable }>();

/** '' keys the hall default (migration.ts). */
const serviceKey = (serviceId: string | null) => serviceId ?? '';

export async function listSlipTemplates(db: Kysely<Database>, hallId: string): Promise<(SlipTemplate & { updatedAt: string })[]> {
  const rows = await tables(db).selectFrom('slip_templates').selectAll().where('hall_id', '=', hallId).orderBy('kind').orderBy('service_id').execute();
  return rows.map((r) => ({ kind: r.kind as SlipKind, serviceId: r.service_id === '' ? null : r.service_id, body: r.body, updatedAt: r.updated_at }));
}

export async function putSlipTemplate(db: Kysely<Database>, hallId: string, template: SlipTemplate, at: Date): Promise<void> {
  const key = { hall_id: hallId, kind: template.kind, service_id: serviceKey(template.serviceId) };
  const updated = await tables(db)
    .updateTable('slip_templates')
    .set({ body: template.body, updated_at: at.toISOString() })
    .where('hall_id', '=', key.hall_id)
    .where('kind', '=', key.kind)
    .where('service_id', '=', key.service_id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tables(db).insertInto('slip_templates').values({ ...key, body: template.body, updated_at: at.toISOString() }).execute();
}

/** Back to the hall default (or the built-in wording); answers whether there was one. */
export async function deleteSlipTemplate(db: Kysely<Database>, hallId: string, kind: SlipKind, serviceId: string | null): Promise<boolean> {
  const deleted = await tables(db)
    .deleteFrom('slip_templates')
    .where('hall_id', '=', hallId)
    .where('kind', '=', kind)
    .where('service_id', '=', serviceKey(serviceId))
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
