import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { GroupBy } from './groups';
import { isPeriod } from './groups';

/** Display names of a dimension's keys within the halls in scope (small tables, one query). */
export async function dimensionLabels(db: Kysely<Database>, hallIds: readonly string[], groupBy: GroupBy): Promise<Record<string, string>> {
  if (isPeriod(groupBy) || hallIds.length === 0) return {};
  const ids = [...hallIds];
  let rows: { id: string; label: string }[];
  switch (groupBy) {
    case 'hall':
      rows = await db.selectFrom('halls').select(['id', 'name_zh as label']).where('id', 'in', ids).execute();
      break;
    case 'department':
      rows = await db.selectFrom('departments').select(['id', 'name_zh as label']).where('hall_id', 'in', ids).execute();
      break;
    case 'service':
      rows = await db
        .selectFrom('services as s')
        .innerJoin('queues as q', 'q.id', 's.queue_id')
        .select(['s.id', 's.name_zh as label'])
        .where('q.hall_id', 'in', ids)
        .execute();
      break;
    case 'counter':
      rows = (await db.selectFrom('counters').select(['id', 'name_zh', 'number']).where('hall_id', 'in', ids).execute()).map((c) => ({
        id: c.id,
        label: c.name_zh,
      }));
      break;
    case 'clerk':
      // Staff numbers, not names: exports travel further than the console.
      rows = (await db.selectFrom('staff').select(['id', 'staff_number', 'display_name']).where('hall_id', 'in', ids).execute()).map((s) => ({
        id: s.id,
        label: `${s.staff_number} ${s.display_name}`,
      }));
      break;
  }
  return Object.fromEntries(rows.map((r) => [r.id, r.label]));
}
