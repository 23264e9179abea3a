import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/connection';
import type { Migration } from '../db/migrations/types';

/**
 * Statistics rollups (see rollup.ts): the rollup tables, the triggers that mark a
 * (hall, day) dirty on every write to tickets, evaluations and appointments, and a
 * backfill of every day already in the database.
 */
export const statsRollupTables: Migration = {
  name: '0905_stats_rollups',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const s = db.schema;
    // SQLite: clustered by the key the page reads by, so a range scan reads the rows themselves.
    const clustered = dialect === 'sqlite' ? sql`without rowid` : sql``;
    await s.createTable('stats_dirty').addColumn('hall_id', 'text', (c) => c.notNull()).addColumn('day', 'text', (c) => c.notNull()).execute();
    await s.createIndex('stats_dirty_hall_day_idx').on('stats_dirty').columns(['hall_id', 'day']).execute();

    await s
      .createTable('stats_ticket_days')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('issued', 'integer', (c) => c.notNull())
      .addColumn('served', 'integer', (c) => c.notNull())
      .addColumn('missed', 'integer', (c) => c.notNull())
      .addColumn('transferred', 'integer', (c) => c.notNull())
      .addColumn('wait_n', 'integer', (c) => c.notNull())
      .addColumn('wait_sum', 'double precision', (c) => c.notNull())
      .addColumn('service_n', 'integer', (c) => c.notNull())
      .addColumn('service_sum', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_ticket_days_pk', ['hall_id', 'dim', 'day', 'key'])
      .modifyEnd(clustered)
      .execute();

    await histogramTable(db, 'stats_duration_days', 'day', clustered);
    // Week and month sums of the day histograms (rollup.ts): a year's page reads 52 or 12 of them.
    await histogramTable(db, 'stats_duration_weeks', 'week', clustered);
    await histogramTable(db, 'stats_duration_months', 'month', clustered);
    await s
      .createTable('stats_day_percentiles')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('p50', 'double precision')
      .addColumn('p90', 'double precision')
      .addPrimaryKeyConstraint('stats_day_percentiles_pk', ['hall_id', 'dim', 'day', 'key', 'measure'])
      .modifyEnd(clustered)
      .execute();

    await s
      .createTable('stats_evaluation_slots')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      // UTC quarter hour of the ratings, YYYY-MM-DDTHH:MM: any hall's local day is a whole number of them.
      .addColumn('slot', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('very_satisfied', 'integer', (c) => c.notNull())
      .addColumn('satisfied', 'integer', (c) => c.notNull())
      .addColumn('neutral', 'integer', (c) => c.notNull())
      .addColumn('unsatisfied', 'integer', (c) => c.notNull())
      .addColumn('very_unsatisfied', 'integer', (c) => c.notNull())
      .addColumn('defaulted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_evaluation_slots_pk', ['hall_id', 'dim', 'slot', 'key', 'day'])
      .modifyEnd(clustered)
      .execute();
    await s.createIndex('stats_evaluation_slots_day_idx').on('stats_evaluation_slots').columns(['hall_id', 'day']).execute();

    await s
      .createTable('stats_appointment_days')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('booked', 'integer', (c) => c.notNull())
      .addColumn('kept', 'integer', (c) => c.notNull())
      .addColumn('no_show', 'integer', (c) => c.notNull())
      .addColumn('cancelled', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_appointment_days_pk', ['hall_id', 'day', 'service_id'])
      .modifyEnd(clustered)
      .execute();

    // A ticket's arrival re-attributes evaluations that came before it: the trigger finds them by ticket.
    await s.createIndex('evaluations_ticket_idx').on('evaluations').column('ticket_id').execute();

    for (const statement of dialect === 'postgres' ? postgresTriggers() : sqliteTriggers()) await sql.raw(statement).execute(db);

    // Every day already in the database is marked dirty, not rebuilt here: the rebuild code is
    // today's, and it writes columns later migrations add (0981's consultation count), so an old
    // database upgraded in one go rebuilds after all migrations, at the first statistics read
    // or the periodic refresh (refreshDirtyHalls).
    await sql`insert into stats_dirty (hall_id, day)
      select hall_id, day from tickets union select hall_id, date from appointments
      union select e.hall_id, coalesce(t.day, substr(e.at, 1, 10)) from evaluations e left join tickets t on t.id = e.ticket_id and t.hall_id = e.hall_id`.execute(db);
  },
};

/** Duration histogram buckets per (hall, dimension, day/week/month, key, measure). */
async function histogramTable(db: Kysely<unknown>, name: string, period: 'day' | 'week' | 'month', clustered: RawBuilder<unknown>): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('hall_id', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn(period, 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    // Lower bound in seconds of the histogram bucket (buckets.ts).
    .addColumn('lo', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('min_v', 'double precision', (c) => c.notNull())
    .addColumn('max_v', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${name}_pk`, ['hall_id', 'dim', period, 'key', 'measure', 'lo'])
    .modifyEnd(clustered)
    .execute();
}

/** The day an evaluation row counts on (rollup.ts): its ticket's, else its UTC date. */
const evaluationDay = (row: string) =>
  `coalesce((select t.day from tickets t where t.id = ${row}.ticket_id and t.hall_id = ${row}.hall_id), substr(${row}.at, 1, 10))`;

/** SQLite: one writer at a time, so a mark that already exists needs no second row. */
function sqliteTriggers(): string[] {
  const mark = (hall: string, day: string) =>
    `insert into stats_dirty (hall_id, day) select ${hall}, ${day} where not exists (select 1 from stats_dirty where hall_id = ${hall} and day = ${day});`;
  const markRatingsOf = (ticket: string) =>
    `insert into stats_dirty (hall_id, day) select distinct e.hall_id, substr(e.at, 1, 10) from evaluations e
       where e.ticket_id = ${ticket}.id and e.hall_id = ${ticket}.hall_id
         and not exists (select 1 from stats_dirty d where d.hall_id = e.hall_id and d.day = substr(e.at, 1, 10));`;
  const trigger = (name: string, event: string, table: string, body: string[]) =>
    `create trigger ${name} after ${event} on ${table} begin ${body.join(' ')} end`;
  return [
    trigger('stats_tickets_insert', 'insert', 'tickets', [mark('new.hall_id', 'new.day'), markRatingsOf('new')]),
    trigger('stats_tickets_update', 'update', 'tickets', [mark('new.hall_id', 'new.day'), mark('old.hall_id', 'old.day')]),
    trigger('stats_tickets_delete', 'delete', 'tickets', [mark('old.hall_id', 'old.day'), markRatingsOf('old')]),
    trigger('stats_evaluations_insert', 'insert', 'evaluations', [mark('new.hall_id', evaluationDay('new'))]),
    trigger('stats_evaluations_update', 'update', 'evaluations', [mark('new.hall_id', evaluationDay('new')), mark('old.hall_id', evaluationDay('old'))]),
    trigger('stats_evaluations_delete', 'delete', 'evaluations', [mark('old.hall_id', evaluationDay('old'))]),
    trigger('stats_appointments_insert', 'insert', 'appointments', [mark('new.hall_id', 'new.date')]),
    trigger('stats_appointments_update', 'update', 'appointments', [mark('new.hall_id', 'new.date'), mark('old.hall_id', 'old.date')]),
    trigger('stats_appointments_delete', 'delete', 'appointments', [mark('old.hall_id', 'old.date')]),
  ];
}

/**
 * PostgreSQL: statement-level triggers over the transition tables (one mark per day a
 * statement touched, cheap for multi-row upserts). Marks are never deduplicated against
 * existing ones: a writer that skipped its mark because one existed could commit after
 * a rebuild consumed that mark, and its change would be lost.
 */
function postgresTriggers(): string[] {
  const fn = (name: string, body: string) =>
    `create function ${name}() returns trigger language plpgsql as $fn$ begin ${body} return null; end $fn$`;
  const byOp = (insert: string, update: string, del: string) =>
    `if tg_op = 'INSERT' then ${insert} elsif tg_op = 'UPDATE' then ${update} else ${del} end if;`;
  const into = 'insert into stats_dirty (hall_id, day)';
  const ratingsOf = (rows: string) =>
    `${into} select distinct e.hall_id, substr(e.at, 1, 10) from ${rows} r join evaluations e on e.ticket_id = r.id and e.hall_id = r.hall_id;`;
  const ratingDays = (rows: string) => `select distinct r.hall_id, ${evaluationDay('r')} from ${rows} r`;
  const triggers = (table: string, fnName: string) => [
    `create trigger stats_${table}_insert after insert on ${table} referencing new table as new_rows for each statement execute function ${fnName}()`,
    `create trigger stats_${table}_update after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function ${fnName}()`,
    `create trigger stats_${table}_delete after delete on ${table} referencing old table as old_rows for each statement execute function ${fnName}()`,
  ];
  return [
    fn(
      'stats_mark_tickets',
      byOp(
        `${into} select distinct hall_id, day from new_rows; ${ratingsOf('new_rows')}`,
        `${into} select hall_id, day from new_rows union select hall_id, day from old_rows;`,
        `${into} select distinct hall_id, day from old_rows; ${ratingsOf('old_rows')}`,
      ),
    ),
    ...triggers('tickets', 'stats_mark_tickets'),
    fn(
      'stats_mark_evaluations',
      byOp(
        `${into} ${ratingDays('new_rows')};`,
        `${into} ${ratingDays('new_rows')} union ${ratingDays('old_rows')};`,
        `${into} ${ratingDays('old_rows')};`,
      ),
    ),
    ...triggers('evaluations', 'stats_mark_evaluations'),
    fn(
      'stats_mark_appointments',
      byOp(
        `${into} select distinct hall_id, date from new_rows;`,
        `${into} select hall_id, date from new_rows union select hall_id, date from old_rows;`,
        `${into} select distinct hall_id, date from old_rows;`,
      ),
    ),
    ...triggers('appointments', 'stats_mark_appointments'),
  ];
}
