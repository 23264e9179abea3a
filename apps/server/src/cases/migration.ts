import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * A case's whole life (issue 16): the cases table gains the lifecycle columns the back
 * office, supervision and statistics filter on (the full case, timeline included, is in
 * data_json); halls get their case time limits; staff get a notice inbox (转办, 咨询).
 */
export const caseLifecycleTables: Migration = {
  name: '1000_case_lifecycle',
  async up(db: Kysely<unknown>) {
    for (const column of ['number', 'department_id', 'assigned_staff_id', 'stage', 'stage_due_at', 'approved_at', 'delivered_at', 'closed_at', 'data_json']) {
      await db.schema.alterTable('cases').addColumn(column, 'text').execute();
    }
    await db.schema.createIndex('cases_hall_department_stage_idx').on('cases').columns(['hall_id', 'department_id', 'stage']).execute();
    await db.schema.createIndex('cases_hall_stage_due_idx').on('cases').columns(['hall_id', 'stage_due_at']).execute();
    await db.schema.createIndex('cases_hall_number_idx').on('cases').columns(['hall_id', 'number']).execute();
    await db.schema.createIndex('cases_hall_citizen_idx').on('cases').columns(['hall_id', 'citizen_id_hash']).execute();
    await db.schema
      .createTable('hall_case_rules')
      .addColumn('hall_id', 'text', (c) => c.primaryKey())
      .addColumn('rules_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('staff_notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema.createIndex('staff_notices_staff_idx').on('staff_notices').columns(['staff_id', 'created_at']).execute();
  },
};
