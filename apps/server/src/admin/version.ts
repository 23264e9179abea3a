import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Audited entities that make up a hall's configuration. */
export const CONFIG_ENTITIES = ['service', 'counter', 'queue', 'calling_rules', 'staff', 'notice', 'form', 'hall', 'sms_template', 'calendar', 'case_rules', 'department', 'slip_template', 'shared_material'] as const;
/** Changes only: logins and lockouts are audited on staff too, and seeding is not a change. */
const CHANGE_ACTIONS = ['create', 'update', 'delete'];

/**
 * The hall's configuration version: every configuration change is written together with
 * its audit entry (auditedWrite), so the number of configuration audit entries is a
 * version that rises by one per change and can never skip or repeat. City-wide forms
 * (audited without a hall) are not counted here.
 */
export async function configVersion(db: Kysely<Database>, hallId: string): Promise<{ version: number; changedAt: string | null }> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('at').as('last')])
    .where('hall_id', '=', hallId)
    .where('entity', 'in', [...CONFIG_ENTITIES])
    .where('action', 'in', CHANGE_ACTIONS)
    .executeTakeFirst();
  return { version: Number(row?.n ?? 0), changedAt: (row?.last as string | null | undefined) ?? null };
}
