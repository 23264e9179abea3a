import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '@hall/shared';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { GroupBySchema } from '../stats/groups';
import { statsPage } from '../stats/index';
import { resolveHallScope } from '../stats/scope';
import { pageToXlsx } from '../stats/xlsx';

const ExportQuery = z.object({ hallId: IdSchema.optional(), from: LocalDateSchema, to: LocalDateSchema, groupBy: GroupBySchema.default('month') });
/** As the CSV export (stats/index.ts): at most a little over a year. */
const MAX_RANGE_DAYS = 400;

/** GET /stats/export.xlsx: the statistics page as a workbook, audited like the CSV export. */
export const statsExportRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.get('/stats/export.xlsx', async (request, reply) => {
    const { query } = parseRequest(request, { query: ExportQuery });
    if (query.from > query.to) throw new ApiError(400, 'invalid_request', 'from must not be after to');
    if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 > MAX_RANGE_DAYS) throw new ApiError(400, 'invalid_request', `a range covers at most ${MAX_RANGE_DAYS} days`);
    const scope = await resolveHallScope(ctx, request, query.hallId);
    const page = await statsPage(ctx.database, scope.halls, query);
    const workbook = await pageToXlsx(page);
    await auditedWrite(
      ctx,
      scope.principal,
      {
        action: 'export',
        entity: 'stats',
        entityId: `${query.groupBy}:${query.from}..${query.to}`,
        hallId: query.hallId ?? (scope.halls.length === 1 ? scope.halls[0]!.id : null),
        detail: { format: 'xlsx', halls: page.hallIds, rows: page.tickets.length },
      },
      async () => undefined,
    );
    const name = `hall-stats-${query.groupBy}-${query.from}-${query.to}.xlsx`;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(workbook);
  });
};
