import type { Kysely } from 'kysely';
import type { Mutation } from '@hall/shared';
import { localDay } from '@hall/shared';
import type { Database } from '../../db/schema';

export const COUNTER_ACTIVITY_KINDS = { openCounter: 'open', pauseCounter: 'pause', resumeCounter: 'resume', closeCounter: 'close' } as const;
export type CounterActivityKind = (typeof COUNTER_ACTIVITY_KINDS)[keyof typeof COUNTER_ACTIVITY_KINDS];

export interface CounterActivityTable {
  id: string;
  hall_id: string;
  counter_id: string;
  staff_id: string | null;
  kind: string;
  reason: string | null;
  day: string;
  at: string;
}
export const activityTables = (db: Kysely<Database>) => db.withTables<{ counter_activity: CounterActivityTable }>();

const isActivity = (type: string): type is keyof typeof COUNTER_ACTIVITY_KINDS => type in COUNTER_ACTIVITY_KINDS;

/**
 * Collects a push batch's applied counter commands (the stations already sync them) and
 * writes them with the batch: the hall's pauses and hours survive the sync log's compaction.
 */
export class CounterActivityBook {
  private readonly rows: CounterActivityTable[] = [];
  constructor(
    private readonly hallId: string,
    private readonly timeZone: string,
  ) {}

  record(m: Mutation): void {
    if (!isActivity(m.type)) return;
    const { counterId, staffId, reason, at } = m.payload as { counterId?: unknown; staffId?: unknown; reason?: unknown; at?: unknown };
    if (typeof counterId !== 'string' || typeof at !== 'string') return;
    this.rows.push({
      id: m.id,
      hall_id: this.hallId,
      counter_id: counterId,
      staff_id: typeof staffId === 'string' ? staffId : null,
      kind: COUNTER_ACTIVITY_KINDS[m.type],
      reason: typeof reason === 'string' ? reason.slice(0, 100) : null,
      day: localDay(at, this.timeZone),
      at,
    });
  }

  async flush(trx: Kysely<Database>): Promise<void> {
    if (this.rows.length === 0) return;
    await activityTables(trx).insertInto('counter_activity').values(this.rows).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
}
