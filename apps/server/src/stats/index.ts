import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '@hall/shared';
import type { Hall } from '@hall/shared';
import { hallCalendars } from '../admin/calendar';
import type { HallDatabase } from '../db/connection';
import { ApiError } from '../http/errors';
import { auditedWrite } from '../http/write';
import { parseRequest } from '../http/validate';
import type { ServerContext } from '../context';
import { toCsv } from './csv';
import { GroupBySchema, type GroupBy } from './groups';
import { dimensionLabels } from './labels';
import { appointmentStats, satisfactionStats, ticketStats, type StatsFilter } from './query';
import { refreshDirtyHalls, refreshRollups } from './rollup';
import { resolveHallScope, utcOffsetMinutes } from './scope';
import { superviseCases } from './supervision';
import { pageToXlsx } from './xlsx';

export { statsTables } from './migration';
export { statsRollupTables } from './rollupMigration';
export { refreshRollups } from './rollup';
export { ticketStats, satisfactionStats, appointmentStats } from './query';
export type { StatsFilter, TicketStatsRow, SatisfactionRow, AppointmentRow } from './query';

/** One statistics page can cover at most a little over a year. */
const MAX_RANGE_DAYS = 400;

const StatsQuery = z
  .object({
    hallId: IdSchema.optional(),
    from: LocalDateSchema,
    to: LocalDateSchema,
    groupBy: GroupBySchema.default('month'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= MAX_RANGE_DAYS, {
    message: `a range covers at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });

/** One grouping of the statistics page: tickets, satisfaction, appointments and the keys' labels. */
export async function statsPage(database: HallDatabase, halls: readonly Hall[], q: { from: string; to: string; groupBy: GroupBy }) {
  const hallIds = halls.map((h) => h.id);
  const filter: StatsFilter = {
    hallIds,
    from: q.from,
    to: q.to,
    utcOffsetMinutes: utcOffsetMinutes(halls[0]?.timeZone ?? 'Asia/Shanghai', new Date(`${q.from}T12:00:00Z`)),
  };
  const { db, dialect } = database;
  // Days changed since the last read (today, a station syncing late) are rebuilt first.
  await refreshRollups(db as unknown as Kysely<unknown>, dialect, hallIds);
  // Independent queries: PostgreSQL runs them on several pool connections at once.
  const [tickets, satisfaction, appointments, labels] = await Promise.all([
    ticketStats(db, dialect, filter, q.groupBy),
    satisfactionStats(db, dialect, filter, q.groupBy),
    appointmentStats(db, dialect, filter, q.groupBy),
    dimensionLabels(db, hallIds, q.groupBy),
  ]);
  return { hallIds, from: q.from, to: q.to, groupBy: q.groupBy, tickets, satisfaction, appointments, labels };
}

type Page = Awaited<ReturnType<typeof statsPage>>;

const EXPORT_HEADER = [
  'group', 'label', 'issued', 'consultation', 'served', 'missed', 'transferred',
  'wait_mean_s', 'wait_median_s', 'wait_p90_s', 'service_mean_s', 'service_median_s', 'service_p90_s',
  'ratings', 'satisfaction_rate', 'appointments_booked', 'appointments_kept', 'appointments_kept_rate',
];

export function pageToCsv(page: Page): string {
  const keys = [...new Set([...page.tickets.map((r) => r.key), ...page.satisfaction.map((r) => r.key), ...page.appointments.map((r) => r.key)])].sort();
  const t = new Map(page.tickets.map((r) => [r.key, r]));
  const s = new Map(page.satisfaction.map((r) => [r.key, r]));
  const a = new Map(page.appointments.map((r) => [r.key, r]));
  return toCsv(
    EXPORT_HEADER,
    keys.map((k) => {
      const tr = t.get(k);
      const sr = s.get(k);
      const ar = a.get(k);
      return [
        k, page.labels[k] ?? '', tr?.issued ?? 0, tr?.consultation ?? 0, tr?.served ?? 0, tr?.missed ?? 0, tr?.transferred ?? 0,
        tr?.wait.mean ?? null, tr?.wait.median ?? null, tr?.wait.p90 ?? null,
        tr?.service.mean ?? null, tr?.service.median ?? null, tr?.service.p90 ?? null,
        sr?.total ?? 0, sr?.satisfactionRate ?? null, ar?.booked ?? 0, ar?.kept ?? 0, ar?.keptRate ?? null,
      ];
    }),
  );
}

/**
 * The page an export carries, and its audit record to write once the file is built: what
 * was exported, by whom, for which halls, in which format; never the rows.
 */
async function exportPage(ctx: ServerContext, request: FastifyRequest, query: { hallId?: string | undefined; from: string; to: string; groupBy: GroupBy }) {
  const scope = await resolveHallScope(ctx, request, query.hallId);
  const page = await statsPage(ctx.database, scope.halls, query);
  const audit = (format: 'csv' | 'xlsx') =>
    auditedWrite(
      ctx,
      scope.principal,
      {
        action: 'export',
        entity: 'stats',
        entityId: `${query.groupBy}:${query.from}..${query.to}`,
        hallId: query.hallId ?? (scope.halls.length === 1 ? scope.halls[0]!.id : null),
        detail: { format, halls: page.hallIds, rows: page.tickets.length },
      },
      async () => undefined,
    );
  return { page, audit };
}

/** Statistics, export and time-limit supervision (issue 9). */
export const statsPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const refreshMs = Number(process.env.HALL_STATS_REFRESH_MS ?? 300_000);
  if (refreshMs > 0) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      refreshDirtyHalls(ctx.db as unknown as Kysely<unknown>, ctx.database.dialect)
        .catch((error: unknown) => app.log.warn({ err: error }, 'statistics rollup refresh failed; the next page read rebuilds'))
        .finally(() => {
          running = false;
        });
    }, refreshMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.get('/stats', async (request) => {
    const { query } = parseRequest(request, { query: StatsQuery });
    const scope = await resolveHallScope(ctx, request, query.hallId);
    return statsPage(ctx.database, scope.halls, query);
  });

  app.get('/stats/export', async (request, reply) => {
    const { query } = parseRequest(request, { query: StatsQuery.and(z.object({ format: z.enum(['csv']).default('csv') })) });
    const { page, audit } = await exportPage(ctx, request, query);
    const csv = pageToCsv(page);
    await audit('csv');
    const name = `hall-stats-${query.groupBy}-${query.from}-${query.to}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
  });

  app.get('/stats/export.xlsx', async (request, reply) => {
    const { query } = parseRequest(request, { query: StatsQuery });
    const { page, audit } = await exportPage(ctx, request, query);
    const workbook = await pageToXlsx(page);
    await audit('xlsx');
    const name = `hall-stats-${query.groupBy}-${query.from}-${query.to}.xlsx`;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(workbook);
  });

  app.get('/supervision', async (request) => {
    const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema.optional(), asOf: z.string().datetime({ offset: true }).optional() }) });
    const scope = await resolveHallScope(ctx, request, query.hallId);
    const now = query.asOf ? new Date(query.asOf) : ctx.clock();
    if (Number.isNaN(now.getTime())) throw new ApiError(400, 'invalid_request', 'asOf is not a time');
    // Holidays and 调休 days from the console's calendar: a case is not late on 国庆.
    const calendars = await hallCalendars(ctx.db, scope.halls);
    const offset = utcOffsetMinutes(scope.halls[0]?.timeZone ?? 'Asia/Shanghai', now);
    return superviseCases(ctx.db, scope.halls.map((h) => h.id), now, offset, calendars);
  });
};
