import { applyChange, emptyHallState, type Change, type HallState, buildTicketIndex } from '@hall/shared';
import { num, type SyncDb } from './tables';

interface Cached {
  /** Log head the state reflects; -1 while a transaction is changing it. */
  head: number;
  state: HallState;
}

const caches = new WeakMap<object, Map<string, Cached>>();

/** How often a push found the state current, caught it up from the log, or read every row. */
export interface HallStateCounts {
  current: number;
  caughtUp: number;
  reloaded: number;
}
const counts = new WeakMap<object, HallStateCounts>();

export function hallStateCounts(owner: object): HallStateCounts {
  let found = counts.get(owner);
  if (!found) {
    found = { current: 0, caughtUp: 0, reloaded: 0 };
    counts.set(owner, found);
  }
  return found;
}

/** One cache per server instance (keyed by its context). */
function cacheOf(owner: object): Map<string, Cached> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  return cache;
}

/** Beyond this many entries behind, one read of the hall's rows is cheaper than replaying the log. */
const MAX_CATCH_UP = 5_000;

/**
 * The hall's authoritative state for deciding pushes. Kept in memory between pushes and
 * trusted only if it reflects exactly the head read under the hall lock. When another
 * writer (another server instance) moved the head, the log entries between the cached
 * head and the current one are applied to the cached state: each carries the entity's
 * whole row, so applying them in order gives the rows' state. Only if an entry is missing
 * (compacted away) or the gap is large is the whole hall reloaded from its rows.
 */
export async function hallStateAt(owner: object, trx: SyncDb, hallId: string, head: number): Promise<HallState> {
  const cache = cacheOf(owner);
  const hit = cache.get(hallId);
  if (hit && hit.head >= 0 && hit.head <= head && head - hit.head <= MAX_CATCH_UP) {
    const from = hit.head;
    hit.head = -1;
    if (head === from) {
      hallStateCounts(owner).current += 1;
      return hit.state;
    }
    if (await catchUp(trx, hallId, hit.state, from, head)) {
      hallStateCounts(owner).caughtUp += 1;
      return hit.state;
    }
  }
  hallStateCounts(owner).reloaded += 1;
  return reload(cache, trx, hallId);
}

/** Applies entries (from, to] in order; false (state untouched) if any entry is missing. */
async function catchUp(trx: SyncDb, hallId: string, state: HallState, from: number, to: number): Promise<boolean> {
  const rows = await trx
    .selectFrom('sync_log')
    .select(['seq', 'entity', 'entity_id', 'data_json'])
    .where('hall_id', '=', hallId)
    .where('seq', '>', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .execute();
  if (rows.length !== to - from || rows.some((row, i) => num(row.seq) !== from + 1 + i)) return false;
  for (const row of rows) applyChange(state, { entity: row.entity, id: row.entity_id, data: JSON.parse(row.data_json) } as Change);
  return true;
}

async function reload(cache: Map<string, Cached>, trx: SyncDb, hallId: string): Promise<HallState> {
  const state = emptyHallState();
  const rows = await trx.selectFrom('sync_entities').select(['entity', 'id', 'data_json']).where('hall_id', '=', hallId).execute();
  for (const row of rows) {
    applyChange(state, { entity: row.entity, id: row.id, data: JSON.parse(row.data_json) } as Change);
  }
  cache.set(hallId, { head: -1, state });
  return state;
}

/** After commit: the cached state now reflects `head`. */
export function hallStateCommitted(owner: object, hallId: string, state: HallState, head: number): void {
  cacheOf(owner).set(hallId, { head, state });
}

/** After a failed transaction the in-memory state may hold uncommitted changes. */
export function hallStateDiscard(owner: object, hallId: string): void {
  cacheOf(owner).delete(hallId);
}

/**
 * Past hall-days leave the cached state (retention.ts), in place and under the hall lock,
 * so the next push neither copies nor reloads them. Sequences of forgotten days go too.
 */
export function hallStateForget(owner: object, hallId: string, ticketIds: readonly string[], caseIds: readonly string[], firstKeptDay: string): void {
  const state = cacheOf(owner).get(hallId)?.state;
  if (!state) return;
  for (const id of ticketIds) delete state.queue.tickets[id];
  for (const id of caseIds) delete state.cases[id];
  for (const key of Object.keys(state.queue.lastSequence)) if ((key.split('|')[1] ?? '') < firstKeptDay) delete state.queue.lastSequence[key];
  if (state.index) state.index = buildTicketIndex(state.queue.tickets);
}

/** How many tickets and cases the cached state of a hall holds (tests and benchmarks). */
export function hallStateSize(owner: object, hallId: string): { tickets: number; cases: number } | undefined {
  const state = cacheOf(owner).get(hallId)?.state;
  return state ? { tickets: Object.keys(state.queue.tickets).length, cases: Object.keys(state.cases).length } : undefined;
}
