import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  DecisionTreeSchema,
  FormSchemaSchema,
  GuideSchema,
  MaterialSchema,
  ServiceSchema,
  type FormSchema,
  type Service,
} from '@hall/shared';
import type { Database, FormTable, ServiceTable } from '../db/schema';
import { decodeJson, encodeJson, localized, orNull } from '../db/json';

const MaterialsSchema = z.array(MaterialSchema);
const KeywordsSchema = z.array(z.string());

function serviceFromRow(row: ServiceTable): Service {
  const what = `service ${row.id}`;
  const service: Service = {
    id: row.id,
    code: row.code,
    name: localized(row.name_zh, row.name_en),
    departmentId: row.department_id,
    theme: row.theme,
    guide: decodeJson(GuideSchema, row.guide_json, `${what} guide`),
    materials: decodeJson(MaterialsSchema, row.materials_json, `${what} materials`),
    queueId: row.queue_id,
    keywords: decodeJson(KeywordsSchema, row.keywords_json, `${what} keywords`),
  };
  if (row.decision_tree_json !== null) {
    service.decisionTree = decodeJson(DecisionTreeSchema, row.decision_tree_json, `${what} decision tree`);
  }
  if (row.form_id !== null) service.formId = row.form_id;
  if (row.daily_cap !== null) service.dailyCap = row.daily_cap;
  if (row.tags_json !== null) service.tags = decodeJson(KeywordsSchema, row.tags_json, `${what} tags`);
  if (row.accept_pending_materials === 1) service.acceptWithPendingMaterials = true;
  return service;
}

function serviceToRow(input: Service, at: Date): ServiceTable {
  const service = ServiceSchema.parse(input);
  return {
    id: service.id,
    code: service.code,
    name_zh: service.name.zh,
    name_en: service.name.en ?? null,
    department_id: service.departmentId,
    theme: service.theme,
    guide_json: encodeJson(GuideSchema, service.guide),
    materials_json: encodeJson(MaterialsSchema, service.materials),
    decision_tree_json: service.decisionTree ? encodeJson(DecisionTreeSchema, service.decisionTree) : null,
    form_id: orNull(service.formId),
    queue_id: service.queueId,
    daily_cap: orNull(service.dailyCap),
    keywords_json: encodeJson(KeywordsSchema, service.keywords),
    updated_at: at.toISOString(),
    tags_json: service.tags && service.tags.length > 0 ? encodeJson(KeywordsSchema, service.tags) : null,
    accept_pending_materials: service.acceptWithPendingMaterials ? 1 : null,
  };
}

export interface ServiceFilter {
  hallId?: string;
  departmentId?: string;
  theme?: string;
  /** Matches name, code or keywords, case-insensitively. */
  text?: string;
}

export async function listServices(db: Kysely<Database>, filter: ServiceFilter = {}): Promise<Service[]> {
  let query = db.selectFrom('services').selectAll('services').orderBy('services.code');
  if (filter.hallId) {
    query = query
      .innerJoin('departments', 'departments.id', 'services.department_id')
      .where('departments.hall_id', '=', filter.hallId);
  }
  if (filter.departmentId) query = query.where('services.department_id', '=', filter.departmentId);
  if (filter.theme) query = query.where('services.theme', '=', filter.theme);
  if (filter.text) {
    // LIKE escapes differ between SQLite and PostgreSQL, so wildcards are dropped instead.
    const needle = filter.text.toLowerCase().replace(/[\\%_]/g, '');
    if (needle === '') return [];
    const pattern = `%${needle}%`;
    query = query.where((eb) =>
      eb.or(
        ['services.name_zh', 'services.name_en', 'services.code', 'services.keywords_json'].map((column) =>
          eb(eb.fn('lower', [eb.ref(column as 'services.name_zh')]), 'like', eb.val(pattern)),
        ),
      ),
    );
  }
  return (await query.execute()).map(serviceFromRow);
}

export async function getService(db: Kysely<Database>, id: string): Promise<Service | undefined> {
  const row = await db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  return row && serviceFromRow(row);
}

/** The hall a service belongs to, through its department. */
export async function hallOfService(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('services')
    .innerJoin('departments', 'departments.id', 'services.department_id')
    .select('departments.hall_id')
    .where('services.id', '=', id)
    .executeTakeFirst();
  return row?.hall_id;
}

export async function insertService(db: Kysely<Database>, service: Service, at: Date): Promise<void> {
  // Empty columns are left out (they default to null), so a seed also fits a schema from before
  // later migrations added them: the statistics rollup migration test seeds one.
  const row = Object.fromEntries(Object.entries(serviceToRow(service, at)).filter(([, value]) => value !== null)) as ServiceTable;
  await db.insertInto('services').values(row).execute();
}

export async function updateService(db: Kysely<Database>, service: Service, at: Date): Promise<boolean> {
  const { id, ...values } = serviceToRow(service, at);
  const result = await db.updateTable('services').set(values).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listThemes(db: Kysely<Database>, hallId?: string): Promise<{ theme: string; serviceCount: number }[]> {
  let query = db
    .selectFrom('services')
    .select((eb) => ['services.theme', eb.fn.countAll().as('n')])
    .groupBy('services.theme')
    .orderBy('services.theme');
  if (hallId) {
    query = query
      .innerJoin('departments', 'departments.id', 'services.department_id')
      .where('departments.hall_id', '=', hallId);
  }
  return (await query.execute()).map((r) => ({ theme: r.theme, serviceCount: Number(r.n) }));
}

function formFromRow(row: FormTable): FormSchema {
  return decodeJson(FormSchemaSchema, row.schema_json, `form ${row.id} v${row.version}`);
}

/** Latest version of each form. */
export async function listForms(db: Kysely<Database>): Promise<FormSchema[]> {
  const rows = await db
    .selectFrom('forms as f')
    .selectAll('f')
    .where(({ eb, selectFrom }) =>
      eb('f.version', '=', selectFrom('forms as g').select((g) => g.fn.max('g.version').as('v')).whereRef('g.id', '=', 'f.id')),
    )
    .orderBy('f.id')
    .execute();
  return rows.map(formFromRow);
}

export async function getForm(db: Kysely<Database>, id: string, version?: number): Promise<FormSchema | undefined> {
  let query = db.selectFrom('forms').selectAll().where('id', '=', id);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row && formFromRow(row);
}

export async function insertForm(db: Kysely<Database>, form: FormSchema, at: Date): Promise<void> {
  await db
    .insertInto('forms')
    .values({
      id: form.id,
      version: form.version,
      title_zh: form.title.zh,
      title_en: form.title.en ?? null,
      schema_json: encodeJson(FormSchemaSchema, form),
      created_at: at.toISOString(),
    })
    .execute();
}
