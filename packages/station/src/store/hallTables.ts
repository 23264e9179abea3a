import type Database from 'better-sqlite3';
import { applyChange, changeKey, emptyHallState, type Change, type HallState } from '@hall/shared';
import { sameJson } from './rules/sameJson';

/** `base` is the server's state as of the pull cursor; `live` is base plus the hall's unreflected mutations. */
export type Layer = 'base' | 'live';

/** A live entity that changed, with its value before the change (undefined if new). */
export interface ChangeNote {
  change: Change;
  previous: unknown;
}

const ENTITY_TABLE = { ticket: 'tickets', counter: 'counters', case: 'cases' } as const;
type EntityTable = (typeof ENTITY_TABLE)[keyof typeof ENTITY_TABLE];

/** The hall state's tables (tickets, counters, cases), each row in one layer. Callers hold the store's transaction. */
export class HallTables {
  private readonly upsert: Record<EntityTable, Database.Statement<[string, string, string]>>;
  private readonly remove: Record<EntityTable, Database.Statement<[string, string]>>;

  constructor(private readonly db: Database.Database) {
    const upsert = (table: EntityTable) =>
      db.prepare<[string, string, string]>(
        `INSERT INTO ${table} (layer, id, data) VALUES (?, ?, ?) ON CONFLICT (layer, id) DO UPDATE SET data = excluded.data`,
      );
    const remove = (table: EntityTable) => db.prepare<[string, string]>(`DELETE FROM ${table} WHERE layer = ? AND id = ?`);
    this.upsert = { tickets: upsert('tickets'), counters: upsert('counters'), cases: upsert('cases') };
    this.remove = { tickets: remove('tickets'), counters: remove('counters'), cases: remove('cases') };
  }

  load(layer: Layer): HallState {
    const state = emptyHallState();
    const rows = (table: EntityTable) =>
      this.db.prepare<[string], { id: string; data: string }>(`SELECT id, data FROM ${table} WHERE layer = ?`).all(layer);
    for (const row of rows('tickets')) applyChange(state, { entity: 'ticket', id: row.id, data: JSON.parse(row.data) });
    for (const row of rows('counters')) applyChange(state, { entity: 'counter', id: row.id, data: JSON.parse(row.data) });
    for (const row of rows('cases')) applyChange(state, { entity: 'case', id: row.id, data: JSON.parse(row.data) });
    return state;
  }

  writeChanges(layer: Layer, changes: readonly Change[]): void {
    // Each write replaces the entity's row, so only its last change in the list is written
    // (a pull page calls, starts and finishes the same ticket: one write, not three).
    const last = new Map<string, Change>();
    for (const change of changes) last.set(changeKey(change), change);
    for (const change of last.values()) this.upsert[ENTITY_TABLE[change.entity]].run(layer, change.id, JSON.stringify(change.data));
  }

  /** Replaces the base layer with `state` (a server snapshot). */
  replaceBase(state: HallState): void {
    for (const table of Object.values(ENTITY_TABLE)) this.db.prepare(`DELETE FROM ${table} WHERE layer = 'base'`).run();
    for (const [id, t] of Object.entries(state.queue.tickets)) this.upsert.tickets.run('base', id, JSON.stringify(t));
    for (const [id, c] of Object.entries(state.queue.counters)) this.upsert.counters.run('base', id, JSON.stringify(c));
    for (const [id, c] of Object.entries(state.cases)) this.upsert.cases.run('base', id, JSON.stringify(c));
  }

  /** Writes to the live layer what differs between two live states; returns those changes. */
  writeLiveDiff(before: HallState, after: HallState): ChangeNote[] {
    const pairs = [
      ['ticket', 'tickets', before.queue.tickets, after.queue.tickets],
      ['counter', 'counters', before.queue.counters, after.queue.counters],
      ['case', 'cases', before.cases, after.cases],
    ] as const;
    const notes: ChangeNote[] = [];
    for (const [entity, table, old, next] of pairs) {
      for (const [id, value] of Object.entries(next)) {
        const previous = (old as Record<string, unknown>)[id];
        if (previous === value || (previous !== undefined && sameJson(previous, value))) continue;
        this.upsert[table].run('live', id, JSON.stringify(value));
        notes.push({ change: { entity, id, data: value } as Change, previous });
      }
      // Entities only leave the live layer when a rejected mutation had created them.
      for (const id of Object.keys(old)) if (!(id in next)) this.remove[table].run('live', id);
    }
    return notes;
  }
}
