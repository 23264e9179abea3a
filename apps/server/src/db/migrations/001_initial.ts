import type { Kysely } from 'kysely';
import type { Migration } from './types';

/** The hall schema as of the Foundation issue; see db/schema for column conventions. */
export const initial: Migration = {
  name: '001_initial',
  async up(db: Kysely<unknown>) {
    const s = db.schema;
    await s
      .createTable('halls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('opening_hours_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await s
      .createTable('departments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .execute();

    await s
      .createTable('queues')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('service_ids_json', 'text', (c) => c.notNull())
      .addColumn('kinds_json', 'text', (c) => c.notNull())
      .addColumn('number_digits', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('queues_hall_prefix_unique', ['hall_id', 'prefix'])
      .execute();

    await s
      .createTable('calling_rules')
      .addColumn('hall_id', 'text', (c) => c.primaryKey().references('halls.id'))
      .addColumn('rules_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await s
      .createTable('forms')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('title_zh', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text')
      .addColumn('schema_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('forms_pk', ['id', 'version'])
      .execute();

    await s
      .createTable('services')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('theme', 'text', (c) => c.notNull())
      .addColumn('guide_json', 'text', (c) => c.notNull())
      .addColumn('materials_json', 'text', (c) => c.notNull())
      .addColumn('decision_tree_json', 'text')
      .addColumn('form_id', 'text')
      .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
      .addColumn('daily_cap', 'integer')
      .addColumn('keywords_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('services_department_idx').on('services').column('department_id').execute();

    await s
      .createTable('counters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('department_id', 'text', (c) => c.references('departments.id'))
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('queue_ids_json', 'text', (c) => c.notNull())
      .addColumn('state_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('counters_hall_number_unique', ['hall_id', 'number'])
      .execute();

    await s
      .createTable('counter_services')
      .addColumn('counter_id', 'text', (c) => c.notNull().references('counters.id').onDelete('cascade'))
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('counter_services_pk', ['counter_id', 'service_id'])
      .execute();

    await s
      .createTable('staff')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.references('halls.id'))
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('staff_number', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.references('departments.id'))
      .addColumn('roles_json', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await s
      .createTable('staff_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('staff_sessions_staff_idx').on('staff_sessions').column('staff_id').execute();

    await s
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('credential_hash', 'text', (c) => c.unique())
      .addColumn('enrollment_code_hash', 'text', (c) => c.unique())
      .addColumn('enrolled_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_seen_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await s
      .createTable('appointments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('slot_from', 'text', (c) => c.notNull())
      .addColumn('slot_to', 'text', (c) => c.notNull())
      .addColumn('citizen_masked_name', 'text', (c) => c.notNull())
      .addColumn('citizen_id_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text')
      .addColumn('booked_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('appointments_hall_date_idx').on('appointments').columns(['hall_id', 'date']).execute();

    await s
      .createTable('blacklist')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('id_hash', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('until_date', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('blacklist_id_hash_idx').on('blacklist').column('id_hash').execute();

    await s
      .createTable('tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('service_ids_json', 'text', (c) => c.notNull())
      .addColumn('priority_group_id', 'text')
      .addColumn('appointment_id', 'text')
      .addColumn('citizen_masked_name', 'text')
      .addColumn('citizen_id_hash', 'text')
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('queued_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text')
      .addColumn('target_counter_id', 'text')
      .addColumn('called_at', 'text')
      .addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('missed_at', 'text')
      .addColumn('serving_started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('issued_by_device_id', 'text')
      // Ticket numbers never collide within a queue's day (ARCHITECTURE "Data and sync").
      .addUniqueConstraint('tickets_queue_day_number_unique', ['queue_id', 'day', 'number'])
      .execute();
    await s.createIndex('tickets_hall_day_idx').on('tickets').columns(['hall_id', 'day']).execute();

    await s
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
      .addColumn('ticket_id', 'text')
      .addColumn('situation_id', 'text')
      .addColumn('answers_json', 'text', (c) => c.notNull())
      .addColumn('form_id', 'text')
      .addColumn('form_version', 'integer')
      .addColumn('citizen_masked_name', 'text')
      .addColumn('citizen_id_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('materials_json', 'text', (c) => c.notNull())
      .addColumn('refusal_reason', 'text')
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('accepted_at', 'text')
      .addColumn('accepted_by_staff_id', 'text')
      .addColumn('due_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('delivery', 'text')
      .execute();
    await s.createIndex('cases_hall_status_idx').on('cases').columns(['hall_id', 'status']).execute();

    await s
      .createTable('evaluations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('rating', 'text', (c) => c.notNull())
      .addColumn('defaulted', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();

    await s
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('detail_json', 'text')
      .execute();
    await s.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  },
};
