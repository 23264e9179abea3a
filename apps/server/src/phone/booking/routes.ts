import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { BookingRequestSchema, BookingSettingsSchema, IdSchema, LocalDateSchema, LocalTimeSchema, maskPhone } from '@hall/shared';
import { hallForEditing, hallForReading } from '../../admin/access';
import { ApiError } from '../../http/errors';
import { HallParams, IdParams } from '../../http/params';
import { parseRequest } from '../../http/validate';
import { auditedWrite } from '../../http/write';
import { hallOfService, listServices } from '../../store/catalogue';
import { getHall } from '../../store/halls';
import { book, bookable, bookingDays, cancel, daySlotView, move, myBookings } from './bookings';
import { openSession, sendCode, sessionCitizen } from './identity';
import { hallBookingSettings, putBookingSettings } from './settings';

const Phone = z.string().regex(/^1\d{10}$/, 'an 11-digit mainland mobile number');
const Name = z.string().trim().min(1).max(32);
const SessionBody = z.union([
  z.object({ phone: Phone, code: z.string().regex(/^\d{6}$/), name: Name, idNumber: z.string().min(15).max(20) }).strict(),
  z.object({ phone: Phone, code: z.string().regex(/^\d{6}$/), name: Name, residenceCode: z.string().min(16).max(2000) }).strict(),
]);
const ServiceParams = z.object({ serviceId: IdSchema });

/**
 * Issue 18, book a visit: what a citizen's phone calls (no staff login: an SMS code opens a
 * short session) and the console's per-service settings. Bookings are ordinary
 * appointments, so the kiosk checks them in like any other.
 */
export const bookingRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/admin/halls/:hallId/booking-settings', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { settings: await hallBookingSettings(ctx.db, params.hallId) };
  });

  app.put('/admin/halls/:hallId/booking-settings', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: BookingSettingsSchema });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'booking settings');
    if ((await hallOfService(ctx.db, body.serviceId)) !== params.hallId) throw new ApiError(422, 'unknown_reference', `service ${body.serviceId} is not offered in hall ${params.hallId}`);
    await auditedWrite(ctx, principal, { action: 'update', entity: 'booking_settings', entityId: body.serviceId, hallId: params.hallId, detail: body }, (trx) =>
      putBookingSettings(trx, params.hallId, body, ctx.clock()),
    );
    return { settings: await hallBookingSettings(ctx.db, params.hallId) };
  });

  app.get('/phone/halls/:hallId/booking', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const hall = await getHall(ctx.db, params.hallId);
    if (!hall) throw new ApiError(404, 'not_found', `hall ${params.hallId} does not exist`);
    const enabled = new Map((await hallBookingSettings(ctx.db, hall.id)).filter((s) => s.enabled).map((s) => [s.serviceId, s]));
    const services = (await listServices(ctx.db, { hallId: hall.id })).filter((s) => enabled.has(s.id));
    return { hall: { id: hall.id, name: hall.name, address: hall.address }, services: services.map((s) => ({ id: s.id, name: s.name })) };
  });

  app.get('/phone/booking/services/:serviceId/days', async (request) => {
    const { params } = parseRequest(request, { params: ServiceParams });
    return { days: bookingDays(await bookable(ctx, params.serviceId)) };
  });

  app.get('/phone/booking/services/:serviceId/slots', async (request) => {
    const { params, query } = parseRequest(request, { params: ServiceParams, query: z.object({ date: LocalDateSchema }) });
    return daySlotView(ctx, await bookable(ctx, params.serviceId), query.date);
  });

  app.post('/phone/booking/code', async (request, reply) => {
    const { body } = parseRequest(request, { body: z.object({ hallId: IdSchema, phone: Phone }).strict() });
    if (!(await getHall(ctx.db, body.hallId))) throw new ApiError(404, 'not_found', `hall ${body.hallId} does not exist`);
    return reply.code(202).send(await sendCode(ctx, body.hallId, body.phone, request.ip));
  });

  app.post('/phone/booking/session', async (request) => {
    const { body } = parseRequest(request, { body: SessionBody });
    const proof = 'idNumber' in body ? { idNumber: body.idNumber, name: body.name } : { residenceCode: body.residenceCode, name: body.name };
    const session = await openSession(ctx, body.phone, body.code, proof);
    return { token: session.token, expiresAt: session.expiresAt, citizen: { maskedName: session.citizen.maskedName, phone: maskPhone(session.citizen.phone) } };
  });

  app.get('/phone/booking/mine', async (request) => {
    const citizen = await sessionCitizen(ctx, request);
    return { citizen: { maskedName: citizen.maskedName, phone: maskPhone(citizen.phone) }, appointments: await myBookings(ctx, citizen) };
  });

  app.post('/phone/booking/appointments', async (request, reply) => {
    const citizen = await sessionCitizen(ctx, request);
    const { body } = parseRequest(request, { body: BookingRequestSchema });
    return reply.code(201).send({ appointment: await book(ctx, citizen, body) });
  });

  app.post('/phone/booking/appointments/:id/move', async (request) => {
    const citizen = await sessionCitizen(ctx, request);
    const { params, body } = parseRequest(request, { params: IdParams, body: z.object({ date: LocalDateSchema, slotFrom: LocalTimeSchema }).strict() });
    return { appointment: await move(ctx, citizen, params.id, body) };
  });

  app.post('/phone/booking/appointments/:id/cancel', async (request) => {
    const citizen = await sessionCitizen(ctx, request);
    const { params } = parseRequest(request, { params: IdParams });
    return { appointment: await cancel(ctx, citizen, params.id) };
  });
};
