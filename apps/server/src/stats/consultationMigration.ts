import { sql, type Kysely } from 'kysely';
import type { Migration } from '../db/migrations/types';

/**
 * 咨询号 counted apart in the ticket rollups (issue 19). Days that already hold
 * consultation tickets are marked dirty, so the next statistics read rebuilds them with
 * the new count instead of showing 0.
 */
export const statsConsultationColumn: Migration = {
  name: '0981_stats_consultation',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('stats_ticket_days').addColumn('consultation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await sql`insert into stats_dirty (hall_id, day) select distinct hall_id, day from tickets where kind = 'consultation'`.execute(db);
  },
};
