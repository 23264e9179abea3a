import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  checkSlipTemplate,
  DEFAULT_SLIP_TEMPLATES,
  IdSchema,
  SAMPLE_SLIP_VALUES,
  SLIP_PLACEHOLDERS,
  SlipKindSchema,
  SlipTemplateSchema,
  type Catalogue,
  type SlipTemplate,
} from '@hall/shared';
import { slipTextLines, slipToSvg, templateSlip } from '@hall/devices';
import { hallForEditing, hallForReading } from '../admin/access';
import { ApiError } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { loadCatalogue } from '../sync/catalogue';
import { deleteSlipTemplate, listSlipTemplates, putSlipTemplate } from './store';

/** Refuses a template naming a service of another hall or a placeholder the kind does not know. */
function checked(catalogue: Catalogue, template: SlipTemplate): void {
  if (template.serviceId !== null && !catalogue.services.some((s) => s.id === template.serviceId)) {
    throw new ApiError(422, 'unknown_service', `service ${template.serviceId} is not offered in this hall`);
  }
  const problems = checkSlipTemplate(template.kind, template.body);
  if (problems.length > 0) {
    throw new ApiError(422, 'invalid_template', problems.map((p) => `第${p.line}行：${p.message}`).join('；'), { problems });
  }
}

/** The slip as it would print for this hall and service, with made-up case facts. */
function preview(catalogue: Catalogue, template: SlipTemplate) {
  const service = catalogue.services.find((s) => s.id === template.serviceId);
  const slip = templateSlip(template.body, {
    ...SAMPLE_SLIP_VALUES,
    大厅名称: catalogue.hall.name.zh,
    ...(service ? { 办理事项: service.name.zh, 承诺时限: service.guide.promisedDays === 0 ? '即办' : `${service.guide.promisedDays}个工作日` } : {}),
  });
  return { svg: slipToSvg(slip), lines: slipTextLines(slip) };
}

const DeleteQuery = z.object({ kind: SlipKindSchema, serviceId: IdSchema.optional() });

/**
 * Printed documents' wording (回执个性化定制, issue 20): the console lists, previews and
 * saves per-service templates; they reach counters with the catalogue. The preview runs the
 * printing code itself (templateSlip → slipToSvg), so the picture is the paper.
 */
export const slipTemplatePlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/halls/:hallId/slip-templates', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { templates: await listSlipTemplates(ctx.db, params.hallId), defaults: DEFAULT_SLIP_TEMPLATES, placeholders: SLIP_PLACEHOLDERS };
  });

  app.post('/admin/halls/:hallId/slip-templates/preview', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: SlipTemplateSchema });
    await hallForReading(ctx, request, params.hallId);
    const catalogue = await loadCatalogue(ctx.db, params.hallId);
    checked(catalogue, body);
    return preview(catalogue, body);
  });

  app.put('/admin/halls/:hallId/slip-templates', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: SlipTemplateSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'printed slips');
    checked(await loadCatalogue(ctx.db, params.hallId), body);
    const entityId = `${body.kind}:${body.serviceId ?? '*'}`;
    await auditedWrite(ctx, principal, { action: 'update', entity: 'slip_template', entityId, hallId: params.hallId }, (trx) =>
      putSlipTemplate(trx, params.hallId, body, ctx.clock()),
    );
    return { templates: await listSlipTemplates(ctx.db, params.hallId) };
  });

  app.delete('/admin/halls/:hallId/slip-templates', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: DeleteQuery });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'printed slips');
    const entityId = `${query.kind}:${query.serviceId ?? '*'}`;
    const deleted = await auditedWrite(ctx, principal, { action: 'delete', entity: 'slip_template', entityId, hallId: params.hallId }, (trx) =>
      deleteSlipTemplate(trx, params.hallId, query.kind, query.serviceId ?? null),
    );
    if (!deleted) throw new ApiError(404, 'not_found', `no template ${entityId} in this hall`);
    return { templates: await listSlipTemplates(ctx.db, params.hallId) };
  });
};
