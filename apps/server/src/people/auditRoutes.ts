import ExcelJS from 'exceljs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import { recordAudit } from '../store/audit';
import { toCsv } from '../stats/csv';
import { AUDIT_EXPORT_HEADER, AuditQuery, auditExportRow, searchAudit } from './auditLog';

/** An export holds at most this many entries; narrow the filters for more. */
const EXPORT_LIMIT = 10_000;

/**
 * Who may read which entries: a hall's managers and supervisors their hall's, a city
 * administrator any hall's or (without hallId) all of them.
 */
async function scoped(ctx: ServerContext, request: FastifyRequest) {
  const { query } = parseRequest(request, { query: AuditQuery });
  if (query.hallId) return { query, principal: (await hallForReading(ctx, request, query.hallId)).principal };
  const principal = await requirePrincipal(ctx, request, { staffRoles: [] });
  if (principal.kind !== 'staff') throw new ApiError(400, 'invalid_request', 'hallId is required');
  return { query, principal };
}

/** 审计日志: the entries every change writes, filtered, paged and exported with personal data masked. */
export const auditRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/audit', async (request) => {
    const { query } = await scoped(ctx, request);
    const { entries, total } = await searchAudit(ctx.db, query);
    return { entries, total, page: query.page, pageSize: query.pageSize };
  });

  const exported = async (request: FastifyRequest, format: 'csv' | 'xlsx') => {
    const { query, principal } = await scoped(ctx, request);
    const { entries, total } = await searchAudit(ctx.db, { ...query, page: 1 }, EXPORT_LIMIT);
    if (total > EXPORT_LIMIT) throw new ApiError(422, 'too_many', `${total} entries match; narrow the filters to ${EXPORT_LIMIT} or fewer`);
    // Reading the log out is itself a change worth knowing about.
    const { page: _page, pageSize: _size, ...filters } = query;
    await recordAudit(ctx.db, { actor: { kind: 'staff', id: principal.id }, action: 'export', entity: 'audit_log', entityId: format, hallId: query.hallId ?? null, detail: { filters, rows: entries.length } }, ctx.clock());
    return entries.map(auditExportRow);
  };

  app.get('/admin/audit/export.csv', async (request, reply) => {
    const rows = await exported(request, 'csv');
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-log.csv"').send(toCsv(AUDIT_EXPORT_HEADER, rows));
  });

  app.get('/admin/audit/export.xlsx', async (request, reply) => {
    const rows = await exported(request, 'xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('审计日志');
    sheet.columns = AUDIT_EXPORT_HEADER.map((header) => ({ header, width: header === '详情' ? 60 : 20 }));
    sheet.addRows(rows);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="audit-log.xlsx"')
      .send(Buffer.from(await workbook.xlsx.writeBuffer()));
  });
};
