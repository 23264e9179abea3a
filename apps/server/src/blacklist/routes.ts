import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { CitizenRefSchema, isValidIdNumber, LocalDateSchema, localDay, maskIdNumber, maskName, normaliseIdNumber } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError, conflict, notFound } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { citizenSubject } from '../residence-code/keys';
import { loadCatalogue } from '../sync/catalogue';
import { markNoShows, startNoShowTimer } from './noShows';
import { addDays, noShowsInWindow, NoShowRuleSchema } from './rule';
import { activeEntries, addEntry, hallEntries, hallRule, liftEntry, noShowDates, saveHallRule, viewOf } from './store';

const IdNumber = z.string().transform(normaliseIdNumber).refine((v) => isValidIdNumber(v), 'not a valid resident ID number');
const Reason = z.string().trim().min(2).max(200);
const IdHash = CitizenRefSchema.shape.idHash;
const invalid = (message: string) => new ApiError(400, 'invalid_request', message);

/**
 * 预约黑名单 (issue 19): the hall's no-show rule, the console's list / add / lift, the
 * kiosks' copy of the hall's list (hashes only, for the offline check) and the counter's
 * view of a citizen's standing. The no-show job runs on a timer here and on demand.
 */
export const blacklistPlugin: FastifyPluginAsync<{ noShowIntervalMs?: number }> = async (app, options) => {
  const ctx = app.hall;
  const { db } = ctx;
  const hallToday = async (hallId: string) => localDay(ctx.clock().getTime(), (await loadCatalogue(db, hallId)).hall.timeZone);

  const interval = options.noShowIntervalMs ?? Number(process.env.HALL_NO_SHOW_INTERVAL_MS ?? 5 * 60_000);
  if (interval > 0) {
    const stop = startNoShowTimer(ctx, interval, app.log);
    app.addHook('onClose', stop);
  }

  app.post('/halls/:hallId/no-shows/run', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForEditing(ctx, request, params.hallId, 'no-shows');
    return markNoShows(ctx, app.log);
  });

  app.get('/halls/:hallId/no-show-rule', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { rule: await hallRule(db, params.hallId) };
  });

  app.put('/halls/:hallId/no-show-rule', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: NoShowRuleSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the no-show rule');
    await auditedWrite(ctx, principal, { action: 'update', entity: 'no_show_rule', entityId: params.hallId, hallId: params.hallId, detail: body }, (trx) =>
      saveHallRule(trx, params.hallId, body, ctx.clock().toISOString()),
    );
    return { rule: body };
  });

  app.get('/halls/:hallId/blacklist', async (request) => {
    const { params, query } = parseRequest(request, {
      params: HallParams,
      query: z.object({ name: z.string().max(32).optional(), idNumber: z.string().max(18).optional() }).strict(),
    });
    await hallForReading(ctx, request, params.hallId);
    let idHash: string | undefined;
    if (query.idNumber) {
      // Only a full, valid number is hashed: a fragment names nobody.
      const parsed = IdNumber.safeParse(query.idNumber);
      if (!parsed.success) throw invalid('type the full 18-digit ID number');
      idHash = Buffer.from(await citizenSubject(db, ctx.dataKeys, parsed.data)).toString('hex');
    }
    const today = await hallToday(params.hallId);
    return { today, entries: await hallEntries(db, params.hallId, { ...(idHash ? { idHash } : {}), ...(query.name ? { name: query.name } : {}) }, today) };
  });

  app.post('/halls/:hallId/blacklist', async (request, reply) => {
    const { params, body } = parseRequest(request, {
      params: HallParams,
      body: z.object({ idNumber: IdNumber, name: z.string().min(1).max(32).optional(), reason: Reason, until: LocalDateSchema }).strict(),
    });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the blacklist');
    const today = await hallToday(params.hallId);
    if (body.until < today) throw invalid('the end date is in the past');
    const idHash = Buffer.from(await citizenSubject(db, ctx.dataKeys, body.idNumber)).toString('hex');
    const maskedName = body.name ? maskName(body.name) : maskIdNumber(body.idNumber);
    const at = ctx.clock().toISOString();
    const id = await auditedWrite(ctx, principal, { action: 'create', entity: 'blacklist', entityId: params.hallId, hallId: params.hallId, detail: { source: 'manual', until: body.until } }, (trx) =>
      addEntry(trx, { hallId: params.hallId, idHash, maskedName, reason: body.reason, source: 'manual', from: today, until: body.until, by: actorOf(principal).id, at }),
    );
    ctx.hub.poke(params.hallId, 'blacklist', ctx.clock());
    const row = await db.selectFrom('blacklist').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return reply.code(201).send({ entry: viewOf(row) });
  });

  app.post('/blacklist/:id/lift', async (request) => {
    const { params, body } = parseRequest(request, { params: IdParams, body: z.object({ reason: Reason }).strict() });
    await requirePrincipal(ctx, request);
    const row = await db.selectFrom('blacklist').selectAll().where('id', '=', params.id).executeTakeFirst();
    if (!row?.hall_id) throw notFound('blacklist entry', params.id);
    const { principal } = await hallForEditing(ctx, request, row.hall_id, 'the blacklist');
    await auditedWrite(ctx, principal, { action: 'lift', entity: 'blacklist', entityId: row.id, hallId: row.hall_id }, async (trx) => {
      if (!(await liftEntry(trx, row.id, { by: actorOf(principal).id, reason: body.reason, at: ctx.clock().toISOString() }))) {
        throw conflict(`blacklist entry ${row.id} is already lifted`);
      }
    });
    ctx.hub.poke(row.hall_id, 'blacklist', ctx.clock());
    const lifted = await db.selectFrom('blacklist').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return { entry: viewOf(lifted) };
  });

  /** The hall's kiosks keep this list for the offline check: hashes, reasons, sources and end dates, nothing else. */
  app.get('/halls/:hallId/blacklist/hashes', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await requirePrincipal(ctx, request, { deviceRoles: ['kiosk', 'counter'], staffRoles: ['hall_manager', 'supervisor'], hallId: params.hallId });
    const today = await hallToday(params.hallId);
    const entries = await activeEntries(db, params.hallId, today);
    return { today, entries: entries.map((e) => ({ idHash: e.id_hash, reason: e.reason, until: e.until_date, source: viewOf(e).source })) };
  });

  /** 信用情况 at the counter: no-shows in the rule's window and any bar, by keyed hash. */
  app.post('/halls/:hallId/citizen-standing', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: z.object({ idHash: IdHash }).strict() });
    await requirePrincipal(ctx, request, { deviceRoles: ['counter'], staffRoles: ['clerk', 'supervisor', 'hall_manager'], hallId: params.hallId });
    const today = await hallToday(params.hallId);
    const rule = await hallRule(db, params.hallId);
    const dates = await noShowDates(db, params.hallId, body.idHash, addDays(today, -(rule.windowDays - 1)));
    const bar = (await activeEntries(db, params.hallId, today, body.idHash))[0];
    return {
      noShows: noShowsInWindow(rule, dates, today),
      windowDays: rule.windowDays,
      ...(bar ? { barred: { until: bar.until_date, reason: bar.reason } } : {}),
    };
  });
};
