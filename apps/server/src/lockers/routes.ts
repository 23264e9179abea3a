import type { FastifyPluginAsync } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CompartmentSizeSchema,
  DepositDelegationRequestSchema,
  IdSchema,
  isUnclaimed,
  isValidIdNumber,
  LOCKER_PATHS,
  LockerEventBatchSchema,
  maskName,
  normaliseIdNumber,
  STAFF_PURPOSES,
} from '@hall/shared';
import { requirePrincipal } from '../http/auth';
import { conflict, forbidden, notFound } from '../http/errors';
import { auditedWrite } from '../http/write';
import { parseRequest } from '../http/validate';
import { citizenSubject, issueCode } from '../residence-code/keys';
import { sealContext } from '../secrets/atRest';
import { acknowledgeLockerAlert, listLockerAlerts } from './alerts';
import { applyLockerEvent, type EventOutcome } from './apply';
import { followLockerEvent } from '../cases/central';
import { grantDepositDelegation } from './delegation';
import { lockerDb, PARCEL_PHONE } from './tables';

/** A printed deposit code stays usable for a week: results are usually filed the same day. */
export const DEPOSIT_CODE_SECONDS = 7 * 24 * 3600;
const STAFF_CODE_SECONDS = 10 * 60;
const CLERKS = ['clerk', 'supervisor', 'hall_manager'] as const;
/** Who sees and acknowledges hall alerts: the managers on duty (the city administrator always may). */
const MANAGERS = ['supervisor', 'hall_manager'] as const;

const DepositItem = z
  .object({
    caseNumber: z.string().min(1).max(40),
    size: CompartmentSizeSchema,
    idNumber: z.string().transform(normaliseIdNumber).refine((v) => isValidIdNumber(v), 'not a valid resident ID number'),
    name: z.string().min(1).max(40),
    phone: z.string().regex(/^1\d{10}$/, 'a mobile number of 11 digits'),
  })
  .strict();
const DepositBody = z.object({ hallId: IdSchema, items: z.array(DepositItem).min(1).max(50) }).strict();

/**
 * Lockers on the central API: deposit codes for the counter (batch printing after 出件登记),
 * staff codes for clerks at a locker, the events locker stations report, and the list of
 * unclaimed parcels to take back to the counter.
 */
export const lockerPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.post(LOCKER_PATHS.depositCodes, async (request, reply) => {
    const { body } = parseRequest(request, { body: DepositBody });
    const principal = await requirePrincipal(ctx, request, { staffRoles: CLERKS, hallId: body.hallId });
    const now = ctx.clock();
    const codes = [];
    for (const item of body.items) {
      const parcelId = randomUUID();
      const salt = randomBytes(16);
      const issued = await issueCode(
        ctx.db,
        ctx.dataKeys,
        {
          kind: 'deposit',
          parcelId,
          hallId: body.hallId,
          caseNumber: item.caseNumber,
          size: item.size,
          subject: await citizenSubject(ctx.db, ctx.dataKeys, item.idNumber),
          idCheckSalt: new Uint8Array(salt),
          idCheckHash: new Uint8Array(createHash('sha256').update(salt).update(item.idNumber).digest()),
          maskedName: maskName(item.name),
        },
        now,
        DEPOSIT_CODE_SECONDS,
      );
      await lockerDb(ctx.db)
        .insertInto('locker_parcels')
        .values({
          id: parcelId,
          hall_id: body.hallId,
          case_number: item.caseNumber,
          size: item.size,
          phone: ctx.dataKeys.seal(item.phone, sealContext(PARCEL_PHONE, parcelId)),
          masked_name: maskName(item.name),
          status: 'issued',
          station_id: null,
          compartment_id: null,
          flag_reason: null,
          issued_by: principal.id,
          issued_at: now.toISOString(),
          deposited_at: null,
          closed_at: null,
          updated_at: now.toISOString(),
        })
        .execute();
      codes.push({ parcelId, caseNumber: item.caseNumber, code: issued.code, expiresAt: issued.expiresAt });
    }
    void reply.code(201);
    return { codes };
  });

  /**
   * A counter station's certificate for its own deposit-signing key (offline deposit codes).
   * Counters only, and only for themselves: the hall and device come from the credential.
   */
  app.post(LOCKER_PATHS.depositDelegation, async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { deviceRoles: ['counter'] });
    if (principal.kind !== 'device') throw forbidden();
    const { body } = parseRequest(request, { body: DepositDelegationRequestSchema });
    const grant = await grantDepositDelegation(ctx.db, ctx.dataKeys, principal, body.publicKey, ctx.clock());
    void reply.code(201);
    return grant;
  });

  app.post(LOCKER_PATHS.staffCodes, async (request, reply) => {
    const { body } = parseRequest(request, { body: z.object({ hallId: IdSchema, purpose: z.enum(STAFF_PURPOSES) }).strict() });
    const principal = await requirePrincipal(ctx, request, { staffRoles: CLERKS, hallId: body.hallId });
    const issued = await issueCode(ctx.db, ctx.dataKeys, { kind: 'staff', staffId: principal.id, hallId: body.hallId, purpose: body.purpose }, ctx.clock(), STAFF_CODE_SECONDS);
    void reply.code(201);
    return issued;
  });

  app.post(LOCKER_PATHS.events, async (request) => {
    const principal = await requirePrincipal(ctx, request, { deviceRoles: ['locker'] });
    if (principal.kind !== 'device') throw forbidden();
    const { body } = parseRequest(request, { body: LockerEventBatchSchema });
    const results: ({ id: string } & EventOutcome)[] = [];
    for (const event of body.events) {
      const outcome = await ctx.db.transaction().execute((trx) => applyLockerEvent(trx, ctx.dataKeys, principal, event, ctx.clock()));
      results.push({ id: event.id, ...outcome });
      if (outcome.status === 'applied' && (event.type === 'flagged' || event.type === 'door_left_open')) ctx.hub.poke(principal.hallId, 'locker');
      if (outcome.status === 'applied' && (event.type === 'deposited' || event.type === 'picked_up')) {
        // The case follows its result (issue 16); a failure here leaves the locker's fact recorded and is logged.
        await followLockerEvent(ctx, principal.hallId, event.parcelId, event.type, event.at).catch((error: unknown) => request.log.error({ parcelId: event.parcelId, error: (error as Error).message }, 'case did not follow its locker event'));
      }
    }
    return { results };
  });

  app.get(LOCKER_PATHS.alerts, async (request) => {
    const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema, open: z.enum(['0', '1']).optional() }) });
    await requirePrincipal(ctx, request, { staffRoles: MANAGERS, hallId: query.hallId });
    return { alerts: await listLockerAlerts(ctx.db, query.hallId, { open: query.open === '1' }) };
  });

  app.post(`${LOCKER_PATHS.alerts}/:alertId/acknowledge`, async (request) => {
    const { params, body } = parseRequest(request, { params: z.object({ alertId: z.string().min(8).max(64) }), body: z.object({ hallId: IdSchema }).strict() });
    const principal = await requirePrincipal(ctx, request, { staffRoles: MANAGERS, hallId: body.hallId });
    const result = await auditedWrite(ctx, principal, { action: 'acknowledge', entity: 'locker_alert', entityId: params.alertId, hallId: body.hallId }, async (trx) => {
      const outcome = await acknowledgeLockerAlert(trx, body.hallId, params.alertId, principal.id, ctx.clock());
      // Throwing rolls the audit entry back with the write: only real acknowledgements are recorded.
      if (outcome === 'not_found') throw notFound('locker alert', params.alertId);
      if (outcome === 'already') throw conflict(`locker alert ${params.alertId} is already acknowledged`);
      return outcome;
    });
    ctx.hub.poke(body.hallId, 'locker');
    return { id: params.alertId, status: result };
  });

  app.get(LOCKER_PATHS.unclaimed, async (request) => {
    const { query } = parseRequest(request, { query: z.object({ hallId: IdSchema, days: z.coerce.number().int().min(1).max(3650).optional() }) });
    await requirePrincipal(ctx, request, { staffRoles: CLERKS, hallId: query.hallId });
    const now = ctx.clock().getTime();
    const rows = await lockerDb(ctx.db)
      .selectFrom('locker_parcels')
      .select(['id', 'case_number', 'masked_name', 'status', 'station_id', 'compartment_id', 'deposited_at', 'flag_reason'])
      .where('hall_id', '=', query.hallId)
      .where('status', 'in', ['deposited', 'flagged'])
      .orderBy('deposited_at')
      .execute();
    return {
      parcels: rows
        .filter((r) => r.status === 'flagged' || (r.deposited_at !== null && isUnclaimed(Date.parse(r.deposited_at), now, query.days)))
        .map((r) => ({
          parcelId: r.id,
          caseNumber: r.case_number,
          maskedName: r.masked_name,
          status: r.status,
          stationId: r.station_id,
          compartmentId: r.compartment_id,
          depositedAt: r.deposited_at,
          flagReason: r.flag_reason,
        })),
    };
  });
};
