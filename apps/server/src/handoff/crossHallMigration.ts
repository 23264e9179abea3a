import { sql, type Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 跨厅流转 (issue 17): a case's row stays in its own hall, but its paper may sit in another
 * hall's desk. This column names the hall the paper is in now, so that hall's search and
 * overdue list find it. Filled for every hand-off already recorded (there the case's own hall).
 */
export const caseHandoffHallColumn: Migration = {
  name: '1260_case_handoff_hall',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').addColumn('handoff_hall_id', 'text').execute();
    await sql`update cases set handoff_hall_id = hall_id where handoff_id is not null`.execute(db);
    await db.schema.createIndex('cases_handoff_hall_idx').on('cases').columns(['handoff_hall_id', 'handoff_since']).execute();
  },
};
