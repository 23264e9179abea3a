import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * Issue 20, the catalogue in the console: tags on services, the hall's shared materials
 * library (共享材料), and every saved version of a service (版本差异 reads two of them).
 */
export const catalogueEditingTables: Migration = {
  name: '1200_catalogue_editing',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('services').addColumn('tags_json', 'text').execute();
    await db.schema
      .createTable('shared_materials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('material_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('shared_materials_hall').on('shared_materials').columns(['hall_id', 'name']).execute();
    await db.schema
      .createTable('service_versions')
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('service_json', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('saved_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_versions_pk', ['service_id', 'version'])
      .execute();
  },
};
