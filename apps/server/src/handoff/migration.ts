import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 物料流转 (issue 17): the hand-off rides on the case (data_json); these columns let the API
 * find a slip's cases, search by hand-off number and list paper sitting too long at a desk.
 */
export const caseHandoffColumns: Migration = {
  name: '1170_case_handoff',
  async up(db: Kysely<unknown>) {
    for (const column of ['handoff_id', 'handoff_number', 'handoff_step', 'handoff_since']) {
      await db.schema.alterTable('cases').addColumn(column, 'text').execute();
    }
    await db.schema.createIndex('cases_hall_handoff_idx').on('cases').columns(['hall_id', 'handoff_id']).execute();
    await db.schema.createIndex('cases_hall_handoff_number_idx').on('cases').columns(['hall_id', 'handoff_number']).execute();
  },
};
