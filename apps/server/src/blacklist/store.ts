import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BlacklistTable, Database } from '../db/schema';
import { addDays, DEFAULT_NO_SHOW_RULE, type NoShowRule } from './rule';

/** An entry as the console and the counter see it: the hash only, never a number. */
export interface BlacklistView {
  id: string;
  hallId: string | null;
  idHash: string;
  maskedName: string | null;
  reason: string;
  source: 'no_show' | 'manual' | 'legacy' | 'case_overdue';
  from: string;
  until: string;
  createdAt: string | null;
  createdBy: string | null;
  lifted?: { at: string; by: string | null; reason: string | null };
}

export function viewOf(r: BlacklistTable): BlacklistView {
  return {
    id: r.id,
    hallId: r.hall_id,
    idHash: r.id_hash,
    maskedName: r.masked_name,
    reason: r.reason,
    source: r.source === 'no_show' || r.source === 'manual' || r.source === 'case_overdue' ? r.source : 'legacy',
    from: r.from_date,
    until: r.until_date,
    createdAt: r.created_at,
    createdBy: r.created_by,
    ...(r.lifted_at ? { lifted: { at: r.lifted_at, by: r.lifted_by, reason: r.lift_reason } } : {}),
  };
}

export async function hallRule(db: Kysely<Database>, hallId: string): Promise<NoShowRule> {
  const row = await db.selectFrom('no_show_rules').selectAll().where('hall_id', '=', hallId).executeTakeFirst();
  return row ? { noShows: row.no_shows, windowDays: row.window_days, barDays: row.bar_days } : DEFAULT_NO_SHOW_RULE;
}

export async function saveHallRule(db: Kysely<Database>, hallId: string, rule: NoShowRule, at: string): Promise<void> {
  const values = { no_shows: rule.noShows, window_days: rule.windowDays, bar_days: rule.barDays, updated_at: at };
  await db
    .insertInto('no_show_rules')
    .values({ hall_id: hallId, ...values })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet(values))
    .execute();
}

/** Entries that bar a citizen in a hall on `day`: the hall's own and city-wide ones, not lifted. */
export async function activeEntries(db: Kysely<Database>, hallId: string | undefined, day: string, idHash?: string): Promise<BlacklistTable[]> {
  let query = db
    .selectFrom('blacklist')
    .selectAll()
    .where('lifted_at', 'is', null)
    .where('from_date', '<=', day)
    .where('until_date', '>=', day);
  if (hallId !== undefined) query = query.where((eb) => eb.or([eb('hall_id', 'is', null), eb('hall_id', '=', hallId)]));
  if (idHash !== undefined) query = query.where('id_hash', '=', idHash);
  return query.orderBy('until_date', 'desc').orderBy('id').execute();
}

/** The hall's entries for the console: active first, then lifted or expired ones of the last year. */
export async function hallEntries(db: Kysely<Database>, hallId: string, filter: { idHash?: string; name?: string }, today: string): Promise<BlacklistView[]> {
  let query = db
    .selectFrom('blacklist')
    .selectAll()
    .where((eb) => eb.or([eb('hall_id', 'is', null), eb('hall_id', '=', hallId)]))
    .where('until_date', '>=', addDays(today, -366));
  if (filter.idHash) query = query.where('id_hash', '=', filter.idHash);
  if (filter.name) query = query.where('masked_name', 'like', `%${filter.name.replace(/[%_\\]/g, '')}%`);
  const rows = await query.orderBy('until_date', 'desc').orderBy('id').limit(500).execute();
  const active = (r: BlacklistTable) => r.lifted_at === null && r.until_date >= today;
  return [...rows.filter(active), ...rows.filter((r) => !active(r))].map(viewOf);
}

export async function addEntry(
  db: Kysely<Database>,
  entry: { hallId: string; idHash: string; maskedName: string | null; reason: string; source: 'no_show' | 'manual' | 'case_overdue'; from: string; until: string; by: string; at: string },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('blacklist')
    .values({
      id,
      id_hash: entry.idHash,
      reason: entry.reason,
      from_date: entry.from,
      until_date: entry.until,
      hall_id: entry.hallId,
      source: entry.source,
      masked_name: entry.maskedName,
      created_at: entry.at,
      created_by: entry.by,
      lifted_at: null,
      lifted_by: null,
      lift_reason: null,
    })
    .execute();
  return id;
}

/** Lifts an entry once: a second lift (or one racing it) changes nothing. */
export async function liftEntry(db: Kysely<Database>, id: string, lift: { by: string; reason: string; at: string }): Promise<boolean> {
  const result = await db
    .updateTable('blacklist')
    .set({ lifted_at: lift.at, lifted_by: lift.by, lift_reason: lift.reason })
    .where('id', '=', id)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The dates of a citizen's no-shows in a hall since `from`. */
export async function noShowDates(db: Kysely<Database>, hallId: string, idHash: string, from: string): Promise<string[]> {
  const rows = await db
    .selectFrom('appointments')
    .select('date')
    .where('hall_id', '=', hallId)
    .where('citizen_id_hash', '=', idHash)
    .where('status', '=', 'no_show')
    .where('date', '>=', from)
    .execute();
  return rows.map((r) => r.date);
}
