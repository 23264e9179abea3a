import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { addDays } from '../../blacklist/rule';
import type { ServerContext } from '../../context';
import type { Database } from '../../db/schema';
import { blankSealedPhones } from './blank';
import type { SmsTables } from '../../sms/outbox';
import type { BookingTables } from '../booking/tables';
import { forgetPastDayPositionPhones } from '../positionSms/requests';

interface PurgeSettingsTable {
  id: string;
  every_minutes: number;
  keep_phone_days: number;
  updated_at: string | null;
  updated_by: string | null;
  last_run_at: string | null;
  last_report_json: string | null;
}
const tables = (db: Kysely<Database>) => db.withTables<BookingTables & SmsTables & { purge_settings: PurgeSettingsTable }>();
const ROW = 'city';

export const PurgeSettingsSchema = z
  .object({
    /** How often the purge runs. */
    everyMinutes: z.number().int().min(5).max(7 * 24 * 60),
    /** Days after a visit (or a message) its phone number is kept, for the no-show SMS and questions. */
    keepPhoneDays: z.number().int().min(1).max(365),
  })
  .strict();
export type PurgeSettings = z.infer<typeof PurgeSettingsSchema>;
export const DEFAULT_PURGE: PurgeSettings = { everyMinutes: 60, keepPhoneDays: 30 };

export interface PurgeReport {
  sessions: number;
  codes: number;
  appointmentPhones: number;
  smsPhones: number;
  /** Phones left at the kiosk for "N people ahead" whose hall-day is over (phone/positionSms). */
  positionPhones: number;
  /** Locker parcels' phones, once the parcel was picked up or returned keepPhoneDays ago. */
  parcelPhones: number;
}

export async function purgeSettings(db: Kysely<Database>) {
  const row = await tables(db).selectFrom('purge_settings').selectAll().where('id', '=', ROW).executeTakeFirst();
  return {
    settings: row ? { everyMinutes: row.every_minutes, keepPhoneDays: row.keep_phone_days } : DEFAULT_PURGE,
    lastRunAt: row?.last_run_at ?? null,
    lastReport: row?.last_report_json ? (JSON.parse(row.last_report_json) as PurgeReport) : null,
  };
}

export async function savePurgeSettings(db: Kysely<Database>, settings: PurgeSettings, by: string, at: Date): Promise<void> {
  const values = { every_minutes: settings.everyMinutes, keep_phone_days: settings.keepPhoneDays, updated_at: at.toISOString(), updated_by: by };
  await tables(db)
    .insertInto('purge_settings')
    .values({ id: ROW, ...values, last_run_at: null, last_report_json: null })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

type PurgeContext = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'>;

/**
 * Deletes what phone booking no longer needs: expired sessions (with their sealed phone),
 * SMS codes older than a day (hashes, but tied to a phone and an address), the phone of
 * appointments more than keepPhoneDays past, and of outbox messages sent or given up that
 * long ago. An outbox row stays, with an empty sealed number, so its idempotency key still
 * stops the same fact from being texted again.
 */
export async function purgePersonalData(ctx: PurgeContext, keepPhoneDays: number): Promise<PurgeReport> {
  const db = tables(ctx.db);
  const now = ctx.clock();
  const sessions = await db.deleteFrom('booking_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  const codes = await db.deleteFrom('booking_codes').where('created_at', '<', new Date(now.getTime() - 24 * 3600_000).toISOString()).executeTakeFirst();
  const lastKeptDay = addDays(now.toISOString().slice(0, 10), -keepPhoneDays);
  const appointmentPhones = await ctx.db.updateTable('appointments').set({ citizen_phone: null }).where('date', '<', lastKeptDay).where('citizen_phone', 'is not', null).executeTakeFirst();
  const cutoff = new Date(now.getTime() - keepPhoneDays * 86_400_000).toISOString();
  const smsPhones = await blankSealedPhones(ctx, { table: 'sms_outbox', column: 'phone', key: 'id' }, [
    ['status', 'in', ['sent', 'failed']],
    ['created_at', '<', cutoff],
  ]);
  const positionPhones = await forgetPastDayPositionPhones(ctx, now);
  // A parcel's phone is for its SMS (pickup code, picked up, returned): once it is closed that long ago, nothing is sent any more.
  const parcelPhones = await blankSealedPhones(ctx, { table: 'locker_parcels', column: 'phone', key: 'id' }, [
    ['status', 'in', ['picked_up', 'returned']],
    ['closed_at', '<', cutoff],
  ]);
  return { sessions: Number(sessions.numDeletedRows), codes: Number(codes.numDeletedRows), appointmentPhones: Number(appointmentPhones.numUpdatedRows), smsPhones, positionPhones, parcelPhones };
}

/**
 * Runs the purge when the console's period has passed since the last run. The run is
 * claimed by a conditional update of last_run_at, so of several instances one purges.
 */
export async function purgeIfDue(ctx: PurgeContext): Promise<PurgeReport | null> {
  const now = ctx.clock();
  const { settings, lastRunAt } = await purgeSettings(ctx.db);
  if (lastRunAt !== null && Date.parse(lastRunAt) + settings.everyMinutes * 60_000 > now.getTime()) return null;
  const db = tables(ctx.db);
  await db.insertInto('purge_settings').values({ id: ROW, every_minutes: settings.everyMinutes, keep_phone_days: settings.keepPhoneDays, updated_at: null, updated_by: null, last_run_at: null, last_report_json: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const claimed = await db
    .updateTable('purge_settings')
    .set({ last_run_at: now.toISOString() })
    .where('id', '=', ROW)
    .where((eb) => (lastRunAt === null ? eb('last_run_at', 'is', null) : eb('last_run_at', '=', lastRunAt)))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null;
  const report = await purgePersonalData(ctx, settings.keepPhoneDays);
  await db.updateTable('purge_settings').set({ last_report_json: JSON.stringify(report) }).where('id', '=', ROW).execute();
  return report;
}

/** Looks every `tickMs` whether a purge is due (the period itself is the console's). */
export function startPurgeTimer(ctx: PurgeContext, tickMs: number, log?: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = purgeIfDue(ctx)
      .then((report) => report && log?.info(report, 'phone personal data purged'))
      .catch((error: unknown) => log?.error({ error: (error as Error).message }, 'personal data purge failed'));
  }, tickMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
