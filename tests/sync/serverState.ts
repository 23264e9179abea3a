// What the central API recorded, read straight from its database, for fault tests' invariants.
import type { Ticket } from '@hall/shared';
import { HALL_ID, type Central } from './harness';

export interface ServerRow {
  id: string;
  device_id: string;
  epoch: string;
  seq: number;
  status: string;
  code: string | null;
  log_seq: number | null;
}

export async function serverState(central: Pick<Central, 'database'>) {
  const db = central.database.db.withTables<{
    sync_mutations: ServerRow;
    sync_entities: { hall_id: string; entity: string; id: string; data_json: string };
    sync_halls: { hall_id: string; head: number };
    sync_log: { hall_id: string; seq: number; mutation_id: string | null };
  }>();
  const mutations = (await db.selectFrom('sync_mutations').selectAll().execute()).map((r) => ({ ...r, seq: Number(r.seq), log_seq: r.log_seq === null ? null : Number(r.log_seq) }));
  const entities = await db.selectFrom('sync_entities').selectAll().where('hall_id', '=', HALL_ID).execute();
  const head = Number((await db.selectFrom('sync_halls').select('head').where('hall_id', '=', HALL_ID).executeTakeFirst())?.head ?? 0);
  const log = (await db.selectFrom('sync_log').select(['seq', 'mutation_id']).where('hall_id', '=', HALL_ID).orderBy('seq').execute()).map((r) => ({ seq: Number(r.seq), mutationId: r.mutation_id }));
  const tickets: Record<string, Ticket> = {};
  const counters: Record<string, unknown> = {};
  for (const e of entities) {
    if (e.entity === 'ticket') tickets[e.id] = JSON.parse(e.data_json);
    if (e.entity === 'counter') counters[e.id] = JSON.parse(e.data_json);
  }
  return { mutations, tickets, counters, head, log };
}

/** Ticket numbers given twice for one queue and day (queue|day|number). */
export function duplicateNumbers(tickets: Record<string, Ticket>): string[] {
  const seen = new Map<string, string>();
  const dups: string[] = [];
  for (const t of Object.values(tickets)) {
    const key = `${t.queueId}|${t.day}|${t.number}`;
    if (seen.has(key)) dups.push(key);
    seen.set(key, t.id);
  }
  return dups;
}
