import type { Kysely, Selectable } from 'kysely';
import {
  CallingRulesSchema,
  DepartmentSchema,
  OpeningHoursSchema,
  type CallingRules,
  type Department,
  type Hall,
} from '@hall/shared';
import type { Database, DepartmentTable, HallTable } from '../db/schema';
import { decodeJson, encodeJson, localized } from '../db/json';

function hallFromRow(row: HallTable): Hall {
  return {
    id: row.id,
    name: localized(row.name_zh, row.name_en),
    address: row.address,
    timeZone: row.time_zone,
    openingHours: decodeJson(OpeningHoursSchema, row.opening_hours_json, `hall ${row.id} opening hours`),
  };
}

function departmentFromRow(row: Selectable<DepartmentTable>): Department {
  return DepartmentSchema.parse({ id: row.id, hallId: row.hall_id, name: localized(row.name_zh, row.name_en) });
}

export async function listHalls(db: Kysely<Database>): Promise<Hall[]> {
  return (await db.selectFrom('halls').selectAll().orderBy('id').execute()).map(hallFromRow);
}

export async function getHall(db: Kysely<Database>, id: string): Promise<Hall | undefined> {
  const row = await db.selectFrom('halls').selectAll().where('id', '=', id).executeTakeFirst();
  return row && hallFromRow(row);
}

export async function insertHall(db: Kysely<Database>, hall: Hall, at: Date): Promise<void> {
  await db
    .insertInto('halls')
    .values({
      id: hall.id,
      name_zh: hall.name.zh,
      name_en: hall.name.en ?? null,
      address: hall.address,
      time_zone: hall.timeZone,
      opening_hours_json: encodeJson(OpeningHoursSchema, hall.openingHours),
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })
    .execute();
}

export async function countHalls(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('halls').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listDepartments(db: Kysely<Database>, hallId?: string): Promise<Department[]> {
  let query = db.selectFrom('departments').selectAll().orderBy('id');
  if (hallId) query = query.where('hall_id', '=', hallId);
  return (await query.execute()).map(departmentFromRow);
}

export async function getDepartment(db: Kysely<Database>, id: string): Promise<Department | undefined> {
  const row = await db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && departmentFromRow(row);
}

export async function insertDepartment(db: Kysely<Database>, department: Department): Promise<void> {
  await db
    .insertInto('departments')
    .values({
      id: department.id,
      hall_id: department.hallId,
      name_zh: department.name.zh,
      name_en: department.name.en ?? null,
      // `active` is left to its default (1): the rollup migration test seeds a schema from before the column.
    })
    .execute();
}

export async function getCallingRules(db: Kysely<Database>, hallId: string): Promise<CallingRules | undefined> {
  const row = await db.selectFrom('calling_rules').selectAll().where('hall_id', '=', hallId).executeTakeFirst();
  return row && decodeJson(CallingRulesSchema, row.rules_json, `calling rules of hall ${hallId}`);
}

export async function putCallingRules(db: Kysely<Database>, hallId: string, rules: CallingRules, at: Date): Promise<void> {
  const values = { rules_json: encodeJson(CallingRulesSchema, rules), updated_at: at.toISOString() };
  await db
    .insertInto('calling_rules')
    .values({ hall_id: hallId, ...values })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet(values))
    .execute();
}
