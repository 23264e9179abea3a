import { applyChange, emptyHallState, type Change, type HallState } from '@hall/shared';
import type { SyncDb } from './tables';

interface Cached {
  /** Log head the state reflects; -1 while a transaction is changing it. */
  head: number;
  state: HallState;
}

const caches = new WeakMap<object, Map<string, Cached>>();

/** One cache per server instance (keyed by its context). */
function cacheOf(owner: object): Map<string, Cached> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  return cache;
}

/**
 * The hall's authoritative state for deciding pushes. Kept in memory between pushes and
 * trusted only if it reflects exactly the head read under the hall lock; any other
 * writer (another server instance, a failed transaction) makes it reload from the rows.
 */
export async function hallStateAt(owner: object, trx: SyncDb, hallId: string, head: number): Promise<HallState> {
  const cache = cacheOf(owner);
  const hit = cache.get(hallId);
  if (hit && hit.head === head) {
    hit.head = -1;
    return hit.state;
  }
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
