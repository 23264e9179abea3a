import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { localDay, zonedInstant } from '@hall/shared';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import { enqueueSms } from '../sms/outbox';
import { recordAudit } from '../store/audit';
import { loadCatalogue } from '../sync/catalogue';
import { addDays, ruleBars } from './rule';
import { activeEntries, addEntry, hallRule, liftEntry, noShowDates } from './store';

/** Arbitrary constant naming the PostgreSQL advisory lock of a hall's no-show marking (second key: the hall). */
const PG_NO_SHOW_LOCK = 7_519_001;
const PHONE = { table: 'appointments', column: 'citizen_phone' } as const;
const JOB = { kind: 'system', id: 'no-show-job' } as const;

export interface NoShowRun {
  marked: number;
  barred: number;
}

type JobContext = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'> & { database: Pick<ServerContext['database'], 'dialect'> };

/**
 * Marks every booked appointment whose slot ended more than the hall's late allowance ago
 * (CallingRules.appointmentLateMinutes) as a no-show (爽约), and applies the hall's rule to
 * its citizen. Idempotent and safe with several instances: each appointment moves by a
 * conditional UPDATE (only from `booked`), and a hall's marking runs under its advisory lock
 * on PostgreSQL (SQLite has one writer), so two instances never bar one citizen twice.
 */
export async function markNoShows(ctx: JobContext, log?: FastifyBaseLogger): Promise<NoShowRun> {
  const now = ctx.clock();
  // A day ahead of UTC covers every zone east of it; the exact cut-off is checked per hall.
  const latest = addDays(now.toISOString().slice(0, 10), 1);
  const due = await ctx.db
    .selectFrom('appointments')
    .select(['id', 'hall_id', 'date', 'slot_to'])
    .where('status', '=', 'booked')
    .where('date', '<=', latest)
    .orderBy('date')
    .orderBy('slot_to')
    .execute();
  const run: NoShowRun = { marked: 0, barred: 0 };
  const byHall = new Map<string, typeof due>();
  for (const a of due) byHall.set(a.hall_id, [...(byHall.get(a.hall_id) ?? []), a]);
  for (const [hallId, appointments] of byHall) {
    let catalogue;
    try {
      catalogue = await loadCatalogue(ctx.db, hallId, now.getTime());
    } catch {
      continue; // a hall not configured (yet) has no rules to judge by
    }
    const { timeZone } = catalogue.hall;
    const lateMs = catalogue.callingRules.appointmentLateMinutes * 60_000;
    const missed = appointments.filter((a) => zonedInstant(a.date, a.slot_to, timeZone) + lateMs < now.getTime());
    for (const a of missed) {
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        if (ctx.database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(PG_NO_SHOW_LOCK)}, hashtext(${hallId}))`.execute(trx);
        return markOne(trx, ctx, hallId, a.id, localDay(now.getTime(), timeZone), catalogue.hall.name.zh, now);
      });
      if (outcome.marked) run.marked++;
      if (outcome.barred) run.barred++;
    }
  }
  if (run.marked > 0) log?.info(run, 'appointments marked as no-shows');
  return run;
}

async function markOne(trx: Kysely<Database>, ctx: JobContext, hallId: string, id: string, today: string, hallName: string, now: Date) {
  const at = now.toISOString();
  const moved = await trx.updateTable('appointments').set({ status: 'no_show', no_show_at: at }).where('id', '=', id).where('status', '=', 'booked').executeTakeFirst();
  // Checked in, cancelled or marked by another instance meanwhile.
  if (Number(moved.numUpdatedRows) !== 1) return { marked: false, barred: false };
  await recordAudit(trx, { actor: JOB, action: 'no_show', entity: 'appointment', entityId: id, hallId }, now);
  const row = await trx.selectFrom('appointments').select(['citizen_id_hash', 'citizen_masked_name', 'citizen_phone']).where('id', '=', id).executeTakeFirstOrThrow();
  const rule = await hallRule(trx, hallId);
  if (rule.noShows === 0) return { marked: true, barred: false };
  const dates = await noShowDates(trx, hallId, row.citizen_id_hash, addDays(today, -(rule.windowDays - 1)));
  const bar = ruleBars(rule, dates, today);
  if (!bar || (await activeEntries(trx, hallId, today, row.citizen_id_hash)).length > 0) return { marked: true, barred: false };
  const reason = `${rule.windowDays}天内预约未到${dates.length}次`;
  const entryId = await addEntry(trx, {
    hallId,
    idHash: row.citizen_id_hash,
    maskedName: row.citizen_masked_name,
    reason,
    source: 'no_show',
    from: today,
    until: bar.until,
    by: JOB.id,
    at,
  });
  await recordAudit(trx, { actor: JOB, action: 'create', entity: 'blacklist', entityId: entryId, hallId, detail: { source: 'no_show', until: bar.until, appointmentId: id } }, now);
  // The number of the appointment that tripped the rule, else of any earlier one in the window.
  const phones = await trx
    .selectFrom('appointments')
    .select(['id', 'citizen_phone'])
    .where('hall_id', '=', hallId)
    .where('citizen_id_hash', '=', row.citizen_id_hash)
    .where('citizen_phone', 'is not', null)
    .orderBy('booked_at', 'desc')
    .limit(1)
    .execute();
  const sealed = phones[0];
  if (sealed?.citizen_phone) {
    const phone = ctx.dataKeys.open(sealed.citizen_phone, sealContext(PHONE, sealed.id));
    await enqueueSms(
      trx,
      ctx.dataKeys,
      { idempotencyKey: `blacklist:${entryId}`, hallId, phone, template: 'blacklist_barred', params: { hallName, noShows: String(dates.length), windowDays: String(rule.windowDays), until: bar.until } },
      now,
    );
  }
  return { marked: true, barred: true };
}

/** Runs markNoShows every `intervalMs` in the server process; a failed run is logged and retried next time. */
export function startNoShowTimer(ctx: JobContext, intervalMs: number, log?: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = markNoShows(ctx, log).catch((error: unknown) => log?.error({ error: (error as Error).message }, 'no-show marking failed'));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * A check-in made offline reached the API after the appointment was marked a no-show: the
 * no-show is undone (by the caller), and a bar the rule set that the citizen's no-shows no
 * longer justify is lifted, on the record, in the same transaction.
 */
export async function reconsiderBars(trx: Kysely<Database>, appointment: { id: string; hallId: string; idHash: string; date: string }, now: Date): Promise<void> {
  await recordAudit(trx, { actor: JOB, action: 'no_show_undone', entity: 'appointment', entityId: appointment.id, hallId: appointment.hallId }, now);
  const rule = await hallRule(trx, appointment.hallId);
  const dates = await noShowDates(trx, appointment.hallId, appointment.idHash, addDays(appointment.date, -(rule.windowDays - 1)));
  if (ruleBars(rule, dates, appointment.date)) return;
  const bars = (await activeEntries(trx, appointment.hallId, appointment.date, appointment.idHash)).filter((e) => e.source === 'no_show' && e.hall_id === appointment.hallId);
  for (const bar of bars) {
    if (await liftEntry(trx, bar.id, { by: JOB.id, reason: '签到记录补录，爽约次数不再达到规则', at: now.toISOString() })) {
      await recordAudit(trx, { actor: JOB, action: 'lift', entity: 'blacklist', entityId: bar.id, hallId: appointment.hallId, detail: { appointmentId: appointment.id } }, now);
    }
  }
}
