import type { FastifyPluginAsync } from 'fastify';
import { requirePrincipal } from '../../http/auth';
import { actorOf } from '../../http/principal';
import { parseRequest } from '../../http/validate';
import { auditedWrite } from '../../http/write';
import { purgeSettings, PurgeSettingsSchema, savePurgeSettings, startPurgeTimer } from './purge';

/**
 * The purge of phone-booking personal data (issue 18): its period and how long phones are
 * kept, read by every manager and set by the city administrator (the data is the city's,
 * not one hall's). The timer only looks whether a run is due (HALL_PURGE_TICK_MS, default
 * one minute; 0 turns it off), so a change in the console applies without a restart.
 */
export const purgeRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const tick = Number(process.env.HALL_PURGE_TICK_MS ?? 60_000);
  if (tick > 0) app.addHook('onClose', startPurgeTimer(ctx, tick, app.log));

  app.get('/admin/personal-data-purge', async (request) => {
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager', 'supervisor'] });
    return purgeSettings(ctx.db);
  });

  app.put('/admin/personal-data-purge', async (request) => {
    const { body } = parseRequest(request, { body: PurgeSettingsSchema });
    const principal = await requirePrincipal(ctx, request, { staffRoles: [] });
    await auditedWrite(ctx, principal, { action: 'update', entity: 'purge_settings', entityId: 'city', detail: body }, (trx) => savePurgeSettings(trx, body, actorOf(principal).id, ctx.clock()));
    return purgeSettings(ctx.db);
  });
};
