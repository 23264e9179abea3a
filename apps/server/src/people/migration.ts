import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Issue 20, people and permissions: departments can be switched off (kept for history,
 * never deleted), configurable roles (a named permission set scoped to the city, a hall or
 * a department) and which of them each staff member holds.
 */
export const peopleRoleTables: Migration = {
  name: '1190_people_roles',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s.alterTable('departments').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await s
      .createTable('role_definitions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.references('halls.id'))
      .addColumn('department_id', 'text', (c) => c.references('departments.id'))
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('permissions_json', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('staff_role_assignments')
      .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
      .addColumn('role_id', 'text', (c) => c.notNull().references('role_definitions.id'))
      .addPrimaryKeyConstraint('staff_role_assignments_pk', ['staff_id', 'role_id'])
      .execute();
  },
};
