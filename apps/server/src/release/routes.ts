import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, LocalDateSchema, priorityGroupNeedsRelease, RELEASE_MAX_USES, ReleaseKindSchema, localDay } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { ApiError } from '../http/errors';
import { HallParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { getCallingRules } from '../store/halls';
import { toCsv } from '../stats/csv';
import { nextLocalDay } from './catalogue';
import { createRelease, listReleasedTickets, listReleases, revokeRelease } from './store';

const NewReleaseBody = z
  .object({
    day: LocalDateSchema,
    kind: ReleaseKindSchema,
    priorityGroupId: IdSchema.optional(),
    maxUses: z.number().int().min(1).max(RELEASE_MAX_USES).default(1),
  })
  .strict();

const RangeQuery = z.object({ from: LocalDateSchema, to: LocalDateSchema, kind: ReleaseKindSchema.optional() }).strict();

const CSV_HEADER = ['日期 date', '票号 number', '类型 kind', '群体 group', '原因 reason', '说明 note', '取号机 kiosk', '密码序号 password serial', '取号时间 issued at'];

/**
 * 放号密码 in the console: a hall manager creates one (the code is in this answer and nowhere
 * else), lists and revokes them; managers and supervisors list and export the released
 * tickets (现场号/特殊号登记监督). Every write and export is audited; no code or verifier
 * ever leaves through a list.
 */
export const releaseAdminRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.post('/admin/halls/:hallId/release-passwords', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: NewReleaseBody });
    const { principal, hall } = await hallForEditing(ctx, request, params.hallId, 'release passwords');
    const now = ctx.clock();
    const today = localDay(now.getTime(), hall.timeZone);
    // Kiosks receive today's and tomorrow's verifiers: no further ahead.
    if (body.day < today || body.day > nextLocalDay(today)) {
      throw new ApiError(400, 'bad_day', `a release password is made for today (${today}) or tomorrow, not ${body.day}`);
    }
    const rules = await getCallingRules(ctx.db, params.hallId);
    const group = rules?.priorityGroups.find((g) => g.id === body.priorityGroupId);
    if (body.kind === 'special' && !priorityGroupNeedsRelease(group)) {
      throw new ApiError(400, 'bad_priority_group', 'a special release names a priority group of the hall that the ID card does not reveal');
    }
    if (body.kind === 'on_site' && body.priorityGroupId !== undefined) throw new ApiError(400, 'bad_priority_group', 'an on-site release names no priority group');
    const created = await auditedWrite(
      ctx,
      principal,
      { action: 'create', entity: 'release_password', entityId: body.day, hallId: params.hallId, detail: { kind: body.kind, priorityGroupId: body.priorityGroupId ?? null, maxUses: body.maxUses } },
      (trx) => createRelease(trx, { hallId: params.hallId, ...body, createdBy: actorOf(principal).id }, now),
    );
    // The hall's kiosks fetch the new verifier now, while the link is up.
    ctx.hub.poke(params.hallId, 'catalogue', now);
    return { id: created.id, serial: created.serial, day: body.day, code: created.code };
  });

  app.get('/admin/halls/:hallId/release-passwords', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: RangeQuery });
    await hallForReading(ctx, request, params.hallId);
    return { passwords: await listReleases(ctx.db, params.hallId, query.from, query.to) };
  });

  app.post('/admin/halls/:hallId/release-passwords/:id/revoke', async (request) => {
    const { params } = parseRequest(request, { params: HallParams.extend({ id: IdSchema }) });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'release passwords');
    const now = ctx.clock();
    const revoked = await auditedWrite(ctx, principal, { action: 'revoke', entity: 'release_password', entityId: params.id, hallId: params.hallId }, (trx) =>
      revokeRelease(trx, params.hallId, params.id, now),
    );
    if (!revoked) throw new ApiError(404, 'not_found', `no live release password ${params.id} in this hall`);
    ctx.hub.poke(params.hallId, 'catalogue', now);
    return { revoked: true };
  });

  app.get('/admin/halls/:hallId/released-tickets', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: RangeQuery });
    await hallForReading(ctx, request, params.hallId);
    return { tickets: await listReleasedTickets(ctx.db, params.hallId, query) };
  });

  app.get('/admin/halls/:hallId/released-tickets/export', async (request, reply) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: RangeQuery });
    const { principal } = await hallForReading(ctx, request, params.hallId);
    const tickets = await listReleasedTickets(ctx.db, params.hallId, query);
    const csv = toCsv(
      CSV_HEADER,
      tickets.map((t) => [t.day, t.number, t.kind, t.priorityGroupId, t.reason, t.note, t.deviceId, t.serial, t.issuedAt]),
    );
    await auditedWrite(
      ctx,
      principal,
      { action: 'export', entity: 'released_tickets', entityId: `${query.from}..${query.to}`, hallId: params.hallId, detail: { format: 'csv', kind: query.kind ?? null, rows: tickets.length } },
      async () => undefined,
    );
    const name = `released-tickets-${query.from}-${query.to}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
  });
};
