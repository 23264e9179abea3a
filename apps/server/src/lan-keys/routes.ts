import type { FastifyPluginAsync } from 'fastify';
import { LAN_KEYS_POKE_TOPIC } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { hallLanKeyStatus, LAN_KEY_GRACE_MS, newLanKid, rotateHallLanKey } from './keys';

/**
 * The console's side of the hall LAN key (stations fetch the ring itself through sync,
 * SYNC_PATHS.lanKeys): key ids and dates for the hall's managers and supervisors, and the
 * audited rotation by a hall manager. No key material ever leaves through these routes.
 */
export const lanKeyAdminRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/halls/:hallId/lan-keys', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return hallLanKeyStatus(ctx.db, params.hallId, ctx.clock());
  });

  app.post('/admin/halls/:hallId/lan-keys/rotate', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the hall LAN key');
    const now = ctx.clock();
    const kid = newLanKid(now);
    await auditedWrite(
      ctx,
      principal,
      { action: 'rotate', entity: 'lan_key', entityId: kid, hallId: params.hallId, detail: { graceSeconds: LAN_KEY_GRACE_MS / 1000 } },
      (trx) => rotateHallLanKey(trx, ctx.dataKeys, params.hallId, kid, now),
    );
    // After commit: the hall's stations (on every instance) refetch the ring now.
    const stationsPoked = ctx.hub.poke(params.hallId, LAN_KEYS_POKE_TOPIC, now);
    return { ...(await hallLanKeyStatus(ctx.db, params.hallId, now)), stationsPoked };
  });
};
