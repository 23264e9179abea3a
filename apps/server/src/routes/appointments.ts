import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  CitizenRefSchema,
  IdSchema,
  isValidIdNumber,
  LocalDateSchema,
  LocalTimeSchema,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  queueOffersService,
  type Appointment,
  type CitizenRef,
} from '@hall/shared';
import { requirePrincipal } from '../http/auth';
import { ApiError, conflict, notFound, unknownReference } from '../http/errors';
import { DateQuery, HallParams, IdParams } from '../http/params';
import type { AccessRule } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { citizenSubject } from '../residence-code/keys';
import { sealContext } from '../secrets/atRest';

const APPOINTMENT_PHONE = { table: 'appointments', column: 'citizen_phone' } as const;
import { activeBlacklistEntries, cancelAppointment, getAppointment, insertAppointment, listAppointments } from '../store/appointments';
import { activeEntries, viewOf } from '../blacklist/store';
import { getService, hallOfService } from '../store/catalogue';
import { getQueue } from '../store/layout';
import type { Database } from '../db/schema';

/** Today in the hall's zone: a ban ending "today" must still hold at 23:00 Beijing time. */
function localDay(at: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const CreateAppointmentBody = z
  .object({
    hallId: IdSchema,
    serviceId: IdSchema,
    /** 一号联办: further matters for the same slot and ticket (the first one's queue must serve them). */
    moreServiceIds: z.array(IdSchema).min(1).max(7).optional(),
    date: LocalDateSchema,
    slot: z.object({ from: LocalTimeSchema, to: LocalTimeSchema }).refine((s) => s.from < s.to, 'slot.from must be before slot.to'),
    /**
     * The citizen by ID number (staff booking at the desk: the API hashes it with the city's
     * citizen key, as residence codes and ID-card kiosks do) or by a ready CitizenRef.
     */
    citizen: z.union([
      CitizenRefSchema,
      z
        .object({
          idNumber: z.string().transform(normaliseIdNumber).refine((v) => isValidIdNumber(v), 'not a valid resident ID number'),
          name: z.string().min(1).max(32).optional(),
        })
        .strict(),
    ]),
    /** The citizen's mobile, sealed at rest: only for the SMS telling of a bar after repeated no-shows. */
    phone: z.string().regex(/^1\d{10}$/, 'an 11-digit mainland mobile number').optional(),
  })
  .strict();

/** Hall staff book and cancel on a citizen's behalf; kiosks will book through sync. */
const bookingRule = (hallId: string): AccessRule => ({
  staffRoles: ['clerk', 'supervisor', 'hall_manager'],
  deviceRoles: ['kiosk', 'counter'],
  hallId,
});

/**
 * 一号联办: the further matters of a booking must differ and be served by the first
 * matter's queue, or the check-in's one ticket could not be called for all of them.
 */
async function checkMoreServices(db: Kysely<Database>, serviceId: string, more: readonly string[]): Promise<void> {
  const all = [serviceId, ...more];
  if (new Set(all).size !== all.length) throw new ApiError(400, 'invalid_request', 'a service is booked twice on one appointment');
  const first = await getService(db, serviceId);
  const queue = first && (await getQueue(db, first.queueId));
  if (!queue) throw unknownReference(`service ${serviceId} has no queue`);
  const services = await Promise.all(more.map((id) => getService(db, id)));
  for (const [i, id] of more.entries()) {
    const service = services[i];
    if (!service) throw unknownReference(`service ${id} does not exist`);
    if (!queueOffersService({ services: [service] }, queue, id)) {
      throw new ApiError(422, 'service_not_in_queue', `service ${id} is not served by the queue of ${serviceId}; it needs its own appointment`);
    }
  }
}

export const appointmentRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/halls/:hallId/appointments', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: DateQuery });
    await requirePrincipal(ctx, request, bookingRule(params.hallId));
    return { appointments: await listAppointments(db, params.hallId, query.date) };
  });

  app.get('/appointments/:id', async (request) => {
    await requirePrincipal(ctx, request);
    const { params } = parseRequest(request, { params: IdParams });
    const appointment = await getAppointment(db, params.id);
    if (!appointment) throw notFound('appointment', params.id);
    await requirePrincipal(ctx, request, bookingRule(appointment.hallId));
    return { appointment };
  });

  app.post('/appointments', async (request, reply) => {
    await requirePrincipal(ctx, request);
    const { body: parsed } = parseRequest(request, { body: CreateAppointmentBody });
    const principal = await requirePrincipal(ctx, request, bookingRule(parsed.hallId));
    // Only the keyed hash and a masked name are kept; the ID number goes no further than here.
    const citizen: CitizenRef =
      'idHash' in parsed.citizen
        ? parsed.citizen
        : {
            maskedName: parsed.citizen.name ? maskName(parsed.citizen.name) : maskIdNumber(parsed.citizen.idNumber),
            idHash: Buffer.from(await citizenSubject(db, ctx.dataKeys, parsed.citizen.idNumber)).toString('hex'),
          };
    const { phone, ...rest } = parsed;
    const body = { ...rest, citizen };
    if ((await hallOfService(db, body.serviceId)) !== body.hallId) {
      throw unknownReference(`service ${body.serviceId} is not offered in hall ${body.hallId}`);
    }
    if (body.moreServiceIds) await checkMoreServices(db, body.serviceId, body.moreServiceIds);
    const barred = await activeBlacklistEntries(db, body.citizen.idHash, body.date, body.hallId);
    if (barred.length > 0) {
      const entry = barred[0]!;
      throw new ApiError(403, 'blacklisted', `this citizen is on the hall's blacklist until ${entry.until} (${entry.reason}) and may not book`, {
        until: entry.until,
        reason: entry.reason,
      });
    }
    const appointment: Appointment = { id: randomUUID(), ...body, status: 'booked', bookedAt: ctx.clock().toISOString() };
    await auditedWrite(ctx, principal, { action: 'create', entity: 'appointment', entityId: appointment.id, hallId: body.hallId }, (trx) =>
      insertAppointment(trx, appointment, phone === undefined ? null : ctx.dataKeys.seal(phone, sealContext(APPOINTMENT_PHONE, appointment.id))),
    );
    return reply.code(201).send({ appointment });
  });

  app.post('/appointments/:id/cancel', async (request) => {
    await requirePrincipal(ctx, request);
    const { params } = parseRequest(request, { params: IdParams });
    const appointment = await getAppointment(db, params.id);
    if (!appointment) throw notFound('appointment', params.id);
    const principal = await requirePrincipal(ctx, request, bookingRule(appointment.hallId));
    await auditedWrite(
      ctx,
      principal,
      { action: 'cancel', entity: 'appointment', entityId: params.id, hallId: appointment.hallId },
      async (trx) => {
        const done = await cancelAppointment(trx, params.id);
        // Roll back the audit entry too when nothing changed.
        if (!done) throw conflict(`appointment ${params.id} is ${appointment.status}, only booked appointments can be cancelled`);
      },
    );
    return { appointment: await getAppointment(db, params.id) };
  });
};

/** 黑名单 check by keyed ID hash (POST so the hash stays out of URLs and access logs). */
export const blacklistRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.post('/blacklist/check', async (request) => {
    await requirePrincipal(ctx, request);
    const { body } = parseRequest(request, {
      body: z.object({ idHash: CitizenRefSchema.shape.idHash, date: LocalDateSchema.optional() }).strict(),
    });
    const date = body.date ?? localDay(ctx.clock());
    // A device asks for its own hall; staff for any hall's entries and city-wide ones.
    const principal = await requirePrincipal(ctx, request);
    // The source lets the kiosk say why in the citizen's language (case_overdue: a case closed for a missed supplement).
    const first = (await activeEntries(ctx.db, principal.kind === 'device' ? principal.hallId : undefined, date, body.idHash))[0];
    return first ? { blacklisted: true, until: first.until_date, reason: first.reason, source: viewOf(first).source } : { blacklisted: false };
  });
};
