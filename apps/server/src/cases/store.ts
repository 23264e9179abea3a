import type { Kysely } from 'kysely';
import { CaseRulesSchema, CaseSchema, DEFAULT_CASE_RULES, type Case, type CaseRules } from '@hall/shared';
import type { Database } from '../db/schema';

type RulesTables = { hall_case_rules: { hall_id: string; rules_json: string; updated_at: string } };
const rulesDb = (db: Kysely<Database>) => db.withTables<RulesTables>();

/** The hall's case time limits; the defaults until a manager sets them. */
export async function hallCaseRules(db: Kysely<Database>, hallId: string): Promise<CaseRules> {
  const row = await rulesDb(db).selectFrom('hall_case_rules').select('rules_json').where('hall_id', '=', hallId).executeTakeFirst();
  return row ? CaseRulesSchema.parse(JSON.parse(row.rules_json)) : DEFAULT_CASE_RULES;
}

export async function saveHallCaseRules(db: Kysely<Database>, hallId: string, rules: CaseRules, at: string): Promise<void> {
  const rules_json = JSON.stringify(rules);
  await rulesDb(db)
    .insertInto('hall_case_rules')
    .values({ hall_id: hallId, rules_json, updated_at: at })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet({ rules_json, updated_at: at }))
    .execute();
}

/** A case row's whole case; rows written before the lifecycle columns existed have none. */
export function caseOfRow(row: { data_json: string | null }): Case | undefined {
  if (!row.data_json) return undefined;
  const parsed = CaseSchema.safeParse(JSON.parse(row.data_json));
  return parsed.success ? parsed.data : undefined;
}

/** A hall's case by its id or by the number on its receipt. */
export async function findCase(db: Kysely<Database>, hallId: string, idOrNumber: string): Promise<Case | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('data_json')
    .where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb('id', '=', idOrNumber), eb('number', '=', idOrNumber)]))
    .executeTakeFirst();
  return row ? caseOfRow(row) : undefined;
}
