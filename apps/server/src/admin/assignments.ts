import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema } from '@hall/shared';
import type { Database } from '../db/schema';
import { decodeJson, encodeJson } from '../db/json';
import { unknownReference } from '../http/errors';
import { listCounters, listQueues } from '../store/layout';

/** Counters and queues a clerk may serve; empty lists mean no restriction has been set. */
export const AssignmentSchema = z.object({
  counterIds: z.array(IdSchema).max(200),
  queueIds: z.array(IdSchema).max(200),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

const Ids = z.array(IdSchema);

interface AssignmentTable {
  staff_id: string;
  hall_id: string;
  counter_ids_json: string;
  queue_ids_json: string;
  updated_at: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ staff_assignments: AssignmentTable }>();

export async function listAssignments(db: Kysely<Database>, hallId: string): Promise<Map<string, Assignment>> {
  const rows = await tables(db).selectFrom('staff_assignments').selectAll().where('hall_id', '=', hallId).execute();
  return new Map(
    rows.map((r) => [
      r.staff_id,
      { counterIds: decodeJson(Ids, r.counter_ids_json, `assignment ${r.staff_id}`), queueIds: decodeJson(Ids, r.queue_ids_json, `assignment ${r.staff_id}`) },
    ]),
  );
}

/** Every counter and queue named must be the hall's own (422 otherwise); duplicates collapse. */
export async function checkAssignment(db: Kysely<Database>, hallId: string, assignment: Assignment): Promise<Assignment> {
  const counters = new Set((await listCounters(db, hallId)).map((c) => c.id));
  const queues = new Set((await listQueues(db, hallId)).map((q) => q.id));
  const foreign = [...assignment.counterIds.filter((id) => !counters.has(id)), ...assignment.queueIds.filter((id) => !queues.has(id))];
  if (foreign.length > 0) throw unknownReference(`not in hall ${hallId}: ${foreign.join(', ')}`, { ids: foreign });
  return { counterIds: [...new Set(assignment.counterIds)], queueIds: [...new Set(assignment.queueIds)] };
}

export async function putAssignment(db: Kysely<Database>, staffId: string, hallId: string, assignment: Assignment, at: Date): Promise<void> {
  const row = {
    hall_id: hallId,
    counter_ids_json: encodeJson(Ids, assignment.counterIds),
    queue_ids_json: encodeJson(Ids, assignment.queueIds),
    updated_at: at.toISOString(),
  };
  const existing = await tables(db).selectFrom('staff_assignments').select('staff_id').where('staff_id', '=', staffId).executeTakeFirst();
  if (existing) await tables(db).updateTable('staff_assignments').set(row).where('staff_id', '=', staffId).execute();
  else await tables(db).insertInto('staff_assignments').values({ staff_id: staffId, ...row }).execute();
}
