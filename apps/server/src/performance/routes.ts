import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { INDICATORS, LocalDateSchema } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError, forbidden } from '../http/errors';
import { HallParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { toCsv } from '../stats/csv';
import { hallClerks } from './collect';
import { eventTemplateCsv, parseEventCsv } from './eventCsv';
import { PeriodSchema } from './periods';
import { buildReport, reportCsvHeader, reportCsvRows } from './reportQuery';
import { SchemeItemsSchema } from './scoring';
import {
  answerAppeal,
  computeAppraisal,
  contactStaffIds,
  deleteEvent,
  fileAppeal,
  getAppraisal,
  listAppeals,
  listAppraisals,
  listEvents,
  listSchemes,
  publishAppraisal,
  recordEvents,
  saveScheme,
  setContact,
} from './store';

const SchemeBody = z
  .object({
    name: z.string().trim().min(2).max(40),
    items: SchemeItemsSchema,
    appealDays: z.number().int().min(1).max(30).default(5),
    answerDays: z.number().int().min(1).max(30).default(3),
  })
  .strict();
const EventBody = z
  .object({
    staffIds: z.array(z.string().min(1).max(64)).min(1).max(200),
    day: LocalDateSchema,
    kind: z.enum(['bonus', 'penalty']),
    points: z.number().positive().max(100),
    reason: z.string().trim().min(2).max(200),
    counts: z.boolean().default(true),
  })
  .strict();
const PeriodQuery = z.object({ period: PeriodSchema });
const SubjectSchema = z.enum(['clerk', 'counter']).default('clerk');
const ReportQuery = z.object({ period: PeriodSchema, subject: SubjectSchema, format: z.enum(['json', 'csv']).default('json') });
const ItemParams = HallParams.extend({ id: z.string().min(1).max(64) });
const StaffParams = HallParams.extend({ staffId: z.string().min(1).max(64) });
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * 窗口绩效管理 (issue 20): hall managers define schemes, record events, compute, publish and
 * answer appeals under /admin/halls/:hallId/performance; a clerk reads their own published
 * results and appeals under /performance/mine.
 */
export const performanceRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const base = '/admin/halls/:hallId/performance';

  app.get(base, async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const withPhone = await contactStaffIds(ctx.db, params.hallId);
    const clerks = (await hallClerks(ctx.db, params.hallId)).map((c) => ({ ...c, hasPhone: withPhone.has(c.id) }));
    return { indicators: INDICATORS, clerks, schemes: await listSchemes(ctx.db, params.hallId), appraisals: await listAppraisals(ctx.db, params.hallId), appeals: await listAppeals(ctx.db, params.hallId, ctx.clock()) };
  });

  app.post(`${base}/schemes`, async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: SchemeBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'appraisal schemes');
    return reply.code(201).send({ scheme: await saveScheme(ctx, actorOf(principal), params.hallId, body) });
  });

  app.put(`${base}/schemes/:id`, async (request) => {
    const { params, body } = parseRequest(request, { params: ItemParams, body: SchemeBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'appraisal schemes');
    return { scheme: await saveScheme(ctx, actorOf(principal), params.hallId, body, params.id) };
  });

  app.put(`${base}/contacts/:staffId`, async (request) => {
    const { params, body } = parseRequest(request, { params: StaffParams, body: z.object({ phone: z.string().regex(MAINLAND_MOBILE, 'an 11-digit mainland mobile number').nullable() }) });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'clerks’ SMS numbers');
    await setContact(ctx, actorOf(principal), params.hallId, params.staffId, body.phone);
    return { saved: true };
  });

  app.get(`${base}/events`, async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: PeriodQuery });
    await hallForReading(ctx, request, params.hallId);
    return { events: await listEvents(ctx.db, params.hallId, query.period) };
  });

  app.post(`${base}/events`, async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: EventBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'performance events');
    return reply.code(201).send({ recorded: await recordEvents(ctx, actorOf(principal), params.hallId, [body], 'manual') });
  });

  app.delete(`${base}/events/:id`, async (request) => {
    const { params } = parseRequest(request, { params: ItemParams });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'performance events');
    await deleteEvent(ctx, actorOf(principal), params.hallId, params.id);
    return { deleted: true };
  });

  app.get(`${base}/events/template.csv`, async (request, reply) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="performance-events.csv"').send(eventTemplateCsv());
  });

  app.post(`${base}/events/import`, async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: z.object({ csv: z.string().min(1).max(200_000) }) });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'performance events');
    const parsed = parseEventCsv(body.csv);
    if (!parsed.ok) throw new ApiError(400, 'invalid_sheet', 'the event sheet has errors; nothing was recorded', parsed.problems);
    const byNumber = new Map((await hallClerks(ctx.db, params.hallId)).map((c) => [c.staffNumber, c.id]));
    const unknown = parsed.events.filter((e) => !byNumber.has(e.staffNumber)).map((e) => e.staffNumber);
    if (unknown.length > 0) throw new ApiError(400, 'invalid_sheet', 'the event sheet has errors; nothing was recorded', [`no clerk of this hall has 工号 ${[...new Set(unknown)].join(', ')}`]);
    const events = parsed.events.map(({ staffNumber, ...e }) => ({ ...e, staffIds: [byNumber.get(staffNumber)!] }));
    return reply.code(201).send({ recorded: await recordEvents(ctx, actorOf(principal), params.hallId, events, 'import') });
  });

  app.post(`${base}/appraisals`, async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: z.object({ schemeId: z.string().min(1).max(64), period: PeriodSchema, subject: SubjectSchema }).strict() });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'appraisals');
    return reply.code(201).send({ appraisal: await computeAppraisal(ctx, actorOf(principal), params.hallId, body.schemeId, body.period, body.subject) });
  });

  app.get(`${base}/appraisals/:id`, async (request) => {
    const { params } = parseRequest(request, { params: ItemParams });
    await hallForReading(ctx, request, params.hallId);
    return { appraisal: await getAppraisal(ctx.db, params.hallId, params.id) };
  });

  app.post(`${base}/appraisals/:id/publish`, async (request) => {
    const { params } = parseRequest(request, { params: ItemParams });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'appraisals');
    return { appraisal: await publishAppraisal(ctx, actorOf(principal), params.hallId, params.id) };
  });

  app.post(`${base}/appeals/:id/answer`, async (request) => {
    const { params, body } = parseRequest(request, { params: ItemParams, body: z.object({ outcome: z.enum(['upheld', 'rejected']), answer: z.string().trim().min(2).max(500) }).strict() });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'appeals');
    return { appeal: await answerAppeal(ctx, actorOf(principal), params.hallId, params.id, { outcome: body.outcome, text: body.answer }) };
  });

  app.get(`${base}/report`, async (request, reply) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: ReportQuery });
    await hallForReading(ctx, request, params.hallId);
    const report = await buildReport(ctx.db, params.hallId, query.period, query.subject);
    if (query.format === 'json') return { period: query.period, ...report };
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="performance-${query.subject}-${query.period}.csv"`)
      .send(toCsv(reportCsvHeader(query.subject), reportCsvRows(report)));
  });

  // The clerk's own side: published results only, never a colleague's figures beyond rank.
  const clerkOf = async (request: Parameters<typeof requirePrincipal>[1]) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: ['clerk'] });
    if (principal.kind !== 'staff' || principal.hallId === null) throw forbidden('only a clerk of a hall has appraisal results');
    return { staffId: principal.id, hallId: principal.hallId };
  };

  app.get('/performance/mine', async (request) => {
    const me = await clerkOf(request);
    const published = (await listAppraisals(ctx.db, me.hallId)).filter((a) => a.status === 'published' && a.subject === 'clerk');
    const results = published.flatMap((a) => {
      const row = a.results.find((r) => r.staffId === me.staffId);
      return row ? [{ appraisalId: a.id, period: a.period, schemeName: a.schemeName, version: a.version, publishedAt: a.publishedAt, appealUntil: a.appealUntil, clerks: a.results.length, items: a.items, ...row }] : [];
    });
    return { results, appeals: await listAppeals(ctx.db, me.hallId, ctx.clock(), me.staffId) };
  });

  app.post('/performance/appraisals/:id/appeal', async (request, reply) => {
    const me = await clerkOf(request);
    const { params, body } = parseRequest(request, { params: z.object({ id: z.string().min(1).max(64) }), body: z.object({ reason: z.string().trim().min(5).max(500) }).strict() });
    return reply.code(201).send({ appeal: await fileAppeal(ctx, me.hallId, me.staffId, params.id, body.reason) });
  });
};
