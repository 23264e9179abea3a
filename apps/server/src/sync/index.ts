import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  BindDeviceCounterRequestSchema,
  ClerkSignInRequestSchema,
  ClerkSignOutRequestSchema,
  CreateDeviceRequestSchema,
  EnrollRequestSchema,
  IdSchema,
  LeaseRequestSchema,
  LinkReportRequestSchema,
  PushRequestSchema,
  SYNC_HEADERS,
  SYNC_LIMITS,
  SYNC_PATHS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
} from '@hall/shared';
import type { ServerContext } from '../context';
import { requirePrincipal } from '../http/auth';
import { ApiError, forbidden } from '../http/errors';
import type { DevicePrincipal } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { hallLanKeyRing } from '../lan-keys/keys';
import { signInWithPassword } from '../routes/auth';
import { deleteSession } from '../store/sessions';
import { getStaff } from '../store/staff';
import { clerkKeyFor, endClerkSession } from './clerkKeys';
import { deviceKeyFor } from './deviceKeys';
import { withReleases } from '../release/catalogue';
import { loadCatalogue } from './catalogue';
import { bindableCounterDevice, bindDeviceCounter, createEnrollmentCode, deviceHall, enroll, revokeDevice } from './devices';
import { recordClockOffset, reportedOffset } from './clockSkew';
import { leaseBlock } from './leases';
import { recordLinkReport } from './linkReport';
import { Admission, limitsFromEnv, RetryLaterError } from './overload';
import { beginLogEpoch } from './identity';
import { compactLog, readPage, readSnapshot } from './pull';
import { DEFAULT_HALL_RETENTION, startRetention } from './retention';
import { processPush } from './push';

const ALL_DEVICE_ROLES = ['kiosk', 'counter', 'display', 'locker'] as const;

/** Both sides must speak the same protocol and schema; an old station is told to update, not misread. */
function checkVersions(request: FastifyRequest): void {
  const protocol = Number(request.headers[SYNC_HEADERS.protocol]);
  const schema = Number(request.headers[SYNC_HEADERS.schema]);
  if (protocol !== SYNC_PROTOCOL_VERSION || schema !== SYNC_SCHEMA_VERSION) {
    throw new ApiError(
      426,
      'unsupported_sync_version',
      `server speaks sync protocol ${SYNC_PROTOCOL_VERSION} schema ${SYNC_SCHEMA_VERSION}; request had ${String(request.headers[SYNC_HEADERS.protocol] ?? 'none')}/${String(request.headers[SYNC_HEADERS.schema] ?? 'none')}`,
    );
  }
}

async function requireDevice(ctx: ServerContext, request: FastifyRequest, roles: readonly DevicePrincipal['role'][] = ALL_DEVICE_ROLES): Promise<DevicePrincipal> {
  const principal = await requirePrincipal(ctx, request, { deviceRoles: roles });
  if (principal.kind !== 'device') throw new ApiError(403, 'forbidden', 'sync is for enrolled devices');
  return principal;
}

const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(SYNC_LIMITS.maxPullPage).default(SYNC_LIMITS.maxPullPage),
});

/**
 * Station sync (ARCHITECTURE "Data and sync"): enrollment, push, pull, snapshots, number
 * leases. Pokes go out through the API's WebSocket hub (topic "sync").
 */
export const syncPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const admission = new Admission(limitsFromEnv(process.env));
  // Every start begins a new log epoch (identity.ts) before any sync call is answered; a
  // database not migrated yet gets it at the first sync call instead.
  await beginLogEpoch(ctx).catch((error: unknown) => app.log.warn({ err: error }, 'sync: log epoch not begun at start'));
  // Past hall-days leave the sync state on a schedule (retention.ts); 0 turns it off.
  const retentionEvery = Number(process.env.HALL_SYNC_RETENTION_INTERVAL_MS ?? 10 * 60_000);
  if (retentionEvery > 0) {
    const pastDays = Number(process.env.HALL_SYNC_PAST_DAYS ?? DEFAULT_HALL_RETENTION.pastDays);
    app.addHook('onClose', startRetention(ctx, retentionEvery, { pastDays }, app.log));
  }

  /** Device sync calls: authenticated, versioned, admitted; Retry-After on 429/503. */
  async function deviceCall<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    roles: readonly DevicePrincipal['role'][],
    work: (device: DevicePrincipal) => Promise<T>,
  ): Promise<T> {
    checkVersions(request);
    const device = await requireDevice(ctx, request, roles);
    // Stored before the work: a push is judged by the offset the station measured just now.
    const offset = reportedOffset(request.headers[SYNC_HEADERS.clockOffset]);
    if (offset !== undefined) await recordClockOffset(ctx, device.id, offset);
    let leave: () => void;
    try {
      leave = admission.enter(device.id);
    } catch (error) {
      if (error instanceof RetryLaterError) void reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
    try {
      const result = await work(device);
      // The server's clock as it answers (ms): the station's offset estimate reads it.
      void reply.header(SYNC_HEADERS.serverTime, String(ctx.clock().getTime()));
      return result;
    } finally {
      leave();
    }
  }

  app.post(SYNC_PATHS.devices, async (request, reply) => {
    const { body } = parseRequest(request, { body: CreateDeviceRequestSchema });
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId: body.hallId });
    const { code: enrollmentCode, expiresAt } = await createEnrollmentCode(ctx, body);
    return reply.code(201).send({ deviceId: body.id, enrollmentCode, expiresAt });
  });

  // Binds a counter device to the counter it serves (devices created before the binding, or a moved station).
  app.post(`${SYNC_PATHS.devices}/:id/counter`, async (request) => {
    const { params, body } = parseRequest(request, { params: z.object({ id: IdSchema }), body: BindDeviceCounterRequestSchema });
    const { hallId } = await bindableCounterDevice(ctx, params.id);
    const principal = await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId });
    await auditedWrite(ctx, principal, { action: 'update', entity: 'device', entityId: params.id, hallId, detail: { counterId: body.counterId } }, (trx) =>
      bindDeviceCounter(trx, hallId, params.id, body.counterId),
    );
    return { deviceId: params.id, counterId: body.counterId };
  });

  app.post(`${SYNC_PATHS.devices}/:id/revoke`, async (request) => {
    const { params } = parseRequest(request, { params: z.object({ id: IdSchema }) });
    const hallId = await deviceHall(ctx, params.id);
    if (!hallId) throw new ApiError(404, 'not_found', `device ${params.id} does not exist`);
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId });
    await revokeDevice(ctx, params.id);
    return { deviceId: params.id, revoked: true };
  });

  app.post(SYNC_PATHS.enroll, async (request) => {
    checkVersions(request);
    const { body } = parseRequest(request, { body: EnrollRequestSchema });
    return enroll(ctx, body.code);
  });

  app.post(SYNC_PATHS.push, { bodyLimit: SYNC_LIMITS.maxPushBytes }, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      const { body } = parseRequest(request, { body: PushRequestSchema });
      // Hall peers' mutations may ride along (the hall mesh relays them); each device's own
      // seqs must still go up, and this device's only in its current epoch.
      const previous = new Map<string, number>();
      for (const m of body.mutations) {
        if (m.deviceId === device.id && m.epoch !== body.epoch) {
          throw new ApiError(400, 'invalid_request', `mutation ${m.id} belongs to another epoch of this device`);
        }
        const key = `${m.deviceId}|${m.epoch}`;
        if (m.seq <= (previous.get(key) ?? 0)) throw new ApiError(400, 'invalid_request', 'mutations must be in increasing seq order per device');
        previous.set(key, m.seq);
      }
      return processPush(ctx, device, body.epoch, body.mutations, (relays) => {
        // A station relaying for a peer that has no key yet, or a stolen credential pushing in another's name.
        for (const relay of relays) request.log.warn({ pusher: device.id, origin: relay.deviceId, epoch: relay.epoch, seq: relay.seq }, `relayed mutation not decided: ${relay.reason}`);
      });
    }),
  );

  app.get(SYNC_PATHS.pull, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      const { query } = parseRequest(request, { query: PullQuery });
      return readPage(ctx, device.hallId, query.cursor, query.limit);
    }),
  );

  app.get(SYNC_PATHS.snapshot, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => readSnapshot(ctx, device.hallId)),
  );

  app.get(SYNC_PATHS.catalogue, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      const catalogue = await loadCatalogue(ctx.db, device.hallId);
      return device.role === 'kiosk' ? withReleases(ctx.db, catalogue, ctx.clock()) : catalogue;
    }),
  );

  // The hall LAN key ring, for stations enrolled before enrollment carried it and after a
  // rotation (poke topic "lanKeys"). Only the device's own hall: a hallId naming another is refused.
  app.get(SYNC_PATHS.lanKeys, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema.optional() }).strict() });
      if (query.hallId !== undefined && query.hallId !== device.hallId) throw forbidden('a station fetches its own hall\'s LAN keys only');
      void reply.header('cache-control', 'no-store');
      return hallLanKeyRing(ctx.db, ctx.dataKeys, device.hallId, ctx.clock());
    }),
  );

  // The key a station proves its own mutations with, for hall peers to relay them (deviceKeys.ts).
  app.get(SYNC_PATHS.deviceKey, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      void reply.header('cache-control', 'no-store');
      return deviceKeyFor(ctx.db, ctx.dataKeys, device.id, ctx.clock());
    }),
  );

  // A clerk signs in at a counter station: the password checked with every login limit, and
  // the clerk key with which the station proves, online and offline, who made its counter
  // mutations (clerkKeys.ts). Only a clerk of the device's hall, at a device bound to a counter.
  app.post(SYNC_PATHS.clerkSignIn, async (request, reply) =>
    deviceCall(request, reply, ['counter'], async (device) => {
      const { body } = parseRequest(request, { body: ClerkSignInRequestSchema });
      if (!device.counterId) throw new ApiError(409, 'counter_not_bound', `counter device ${device.id} is bound to no counter; a hall manager binds it in the console`);
      const signedIn = await signInWithPassword(ctx, body, request.ip, reply, { deviceId: device.id, counterId: device.counterId });
      const staff = await getStaff(ctx.db, signedIn.staffId);
      if (!staff || staff.hallId !== device.hallId || !staff.roles.includes('clerk')) {
        await deleteSession(ctx.db, signedIn.token);
        throw new ApiError(403, 'not_a_clerk', 'this account does not serve at a counter of this hall');
      }
      void reply.header('cache-control', 'no-store');
      const clerkKey = await clerkKeyFor(ctx.db, ctx.dataKeys, staff.id, device.id, ctx.clock());
      return { token: signedIn.token, expiresAt: signedIn.expiresAt, staff, clerkKey };
    }),
  );

  // The clerk signed out at the counter: the session proves nothing made after that (clerkKeys.ts).
  app.post(SYNC_PATHS.clerkSignOut, async (request, reply) =>
    deviceCall(request, reply, ['counter'], async (device) => {
      const { body } = parseRequest(request, { body: ClerkSignOutRequestSchema });
      if (!(await endClerkSession(ctx.db, device.id, body, ctx.clock()))) throw forbidden('this device holds no such clerk key');
      return { ended: true };
    }),
  );

  app.post(SYNC_PATHS.lease, async (request, reply) =>
    deviceCall(request, reply, ['kiosk'], async (device) => {
      const { body } = parseRequest(request, { body: LeaseRequestSchema });
      return { block: await leaseBlock(ctx, device, body.queueId, body.day, body.count) };
    }),
  );

  // Outage periods a station worked through (HALL-MESH.md), sent when its link returns.
  app.post(SYNC_PATHS.linkReport, async (request, reply) =>
    deviceCall(request, reply, ALL_DEVICE_ROLES, async (device) => {
      const { body } = parseRequest(request, { body: LinkReportRequestSchema });
      return { recorded: await recordLinkReport(ctx.db, device, body.periods, ctx.clock()) };
    }),
  );

  app.post('/sync/halls/:hallId/compact', async (request) => {
    const { params, body } = parseRequest(request, {
      params: z.object({ hallId: IdSchema }),
      body: z.object({ upTo: z.number().int().min(0) }),
    });
    await requirePrincipal(ctx, request, { staffRoles: ['hall_manager'], hallId: params.hallId });
    return { horizon: await compactLog(ctx, params.hallId, body.upTo) };
  });
};
