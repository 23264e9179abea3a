import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '@hall/shared';
import { ApiError, notFound } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { SmsTemplateSchema } from '../sms/templates';
import { getStaff, listStaff } from '../store/staff';
import { hallForEditing, hallForReading } from './access';
import { AssignmentSchema, checkAssignment, listAssignments, putAssignment } from './assignments';
import { CalendarChangeSchema, changeCalendar, listCalendarDays } from './calendar';
import { FormEditSchema, hallForms, hallsUsingForm, saveFormVersion } from './forms';
import { listSmsTemplates, previewSms, putSmsText, SmsTextSchema, templateProblems } from './smsTemplates';

const HallItemParams = HallParams.extend({ id: IdSchema });
const HallTemplateParams = HallParams.extend({ template: SmsTemplateSchema });
const CalendarQuery = z.object({ from: LocalDateSchema.optional(), to: LocalDateSchema.optional() });

/**
 * Console configuration pages (issue 9): staff assignments, forms, SMS wording and the
 * holiday calendar. Staff accounts themselves go through /staff (routes/staff.ts), queues
 * and counters through /queues and /counters. Every write is audited with its hall, so it
 * raises the hall's configuration version.
 */
export const configRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/admin/halls/:hallId/staff', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const assignments = await listAssignments(db, params.hallId);
    const staff = await listStaff(db, params.hallId);
    return { staff: staff.map((s) => ({ ...s, assignment: assignments.get(s.id) ?? { counterIds: [], queueIds: [] } })) };
  });

  app.put('/admin/halls/:hallId/staff/:id/assignment', async (request) => {
    const { params, body } = parseRequest(request, { params: HallItemParams, body: AssignmentSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'staff');
    const staff = await getStaff(db, params.id);
    if (staff?.hallId !== params.hallId) throw notFound('staff member', params.id);
    const assignment = await checkAssignment(db, params.hallId, body);
    await auditedWrite(ctx, principal, { action: 'update', entity: 'staff', entityId: params.id, hallId: params.hallId, detail: { changed: ['assignment'] } }, (trx) =>
      putAssignment(trx, params.id, params.hallId, assignment, ctx.clock()),
    );
    return { assignment };
  });

  app.get('/admin/halls/:hallId/forms', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { forms: await hallForms(db, params.hallId) };
  });

  app.put('/admin/halls/:hallId/forms/:id', async (request) => {
    const { params, body } = parseRequest(request, { params: HallItemParams, body: FormEditSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'forms');
    const halls = await hallsUsingForm(db, params.id);
    // A hall manager must not change what another hall's citizens fill in.
    if (!halls.has(params.hallId)) throw notFound('form', `${params.id} in hall ${params.hallId}`);
    if (halls.size > 1 && !principal.roles.includes('city_admin')) {
      throw new ApiError(409, 'shared_form', `form ${params.id} is also used by other halls: a city administrator edits it`);
    }
    const form = await auditedWrite(ctx, principal, { action: 'update', entity: 'form', entityId: params.id, hallId: params.hallId, detail: { from: body.baseVersion } }, (trx) =>
      saveFormVersion(trx, params.id, body, ctx.clock()),
    );
    return { form };
  });

  app.get('/admin/halls/:hallId/sms-templates', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { templates: await listSmsTemplates(db, params.hallId) };
  });

  app.post('/admin/halls/:hallId/sms-templates/:template/preview', async (request) => {
    const { params, body } = parseRequest(request, { params: HallTemplateParams, body: z.object({ body: z.string().max(500) }) });
    await hallForReading(ctx, request, params.hallId);
    return previewSms(params.template, body.body);
  });

  app.put('/admin/halls/:hallId/sms-templates/:template', async (request) => {
    const { params, body } = parseRequest(request, { params: HallTemplateParams, body: SmsTextSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'SMS templates');
    if (body.body !== null) {
      const problems = templateProblems(params.template, body.body);
      if (problems.length > 0) throw new ApiError(400, 'invalid_template', problems[0]!, problems);
    }
    await auditedWrite(
      ctx,
      principal,
      { action: 'update', entity: 'sms_template', entityId: params.template, hallId: params.hallId, detail: { reset: body.body === null } },
      (trx) => putSmsText(trx, params.hallId, params.template, body.body, ctx.clock()),
    );
    return { templates: await listSmsTemplates(db, params.hallId) };
  });

  app.get('/admin/halls/:hallId/calendar', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: CalendarQuery });
    await hallForReading(ctx, request, params.hallId);
    const range = query.from && query.to ? { from: query.from, to: query.to } : undefined;
    return { days: await listCalendarDays(db, params.hallId, range) };
  });

  app.put('/admin/halls/:hallId/calendar', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: CalendarChangeSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the holiday calendar');
    const days = body.put.map((d) => d.day);
    if (new Set(days).size !== days.length) throw new ApiError(400, 'invalid_request', 'a day is listed twice');
    const detail = { put: body.put.map((d) => `${d.day}:${d.kind}`), remove: body.remove };
    await auditedWrite(ctx, principal, { action: 'update', entity: 'calendar', entityId: params.hallId, hallId: params.hallId, detail }, (trx) =>
      changeCalendar(trx, params.hallId, body, ctx.clock()),
    );
    return { days: await listCalendarDays(db, params.hallId) };
  });
};
