import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Appointment,
  type PushResponse,
  type Ticket,
  localDay,
} from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

/** 一号联办 by appointment (seed 001: 预约一次、取一次号): several matters booked for one slot, one ticket at check-in. */
describe.each(BACKENDS)('booking several matters for one slot on %s', (dialect) => {
  let server: TestServer;
  let manager = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    // Queue A also serves service 2 here, as a hall's 户政 queue serves all its matters.
    await server.db.database.db.updateTable('queues').set({ service_ids_json: JSON.stringify(['t1-svc-1', 't1-svc-2']) }).where('id', '=', 't1-qa').execute();
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const api = async (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) => {
    const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: { ...versions, ...bearer(token) }, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: response.json() };
  };
  const today = () => localDay(Date.now(), 'Asia/Shanghai');
  const book = (serviceId: string, moreServiceIds: string[] | undefined, idHash = 'b'.repeat(64)) =>
    api('POST', '/appointments', manager, {
      hallId: 't1-hall',
      serviceId,
      ...(moreServiceIds ? { moreServiceIds } : {}),
      date: today(),
      slot: { from: '00:00', to: '23:59' },
      citizen: { maskedName: '王*', idHash },
    });

  it('keeps the further matters of a booking, and refuses one the first matter\'s queue does not serve or one booked twice', async () => {
    const booked = await book('t1-svc-1', ['t1-svc-2']);
    expect(booked.status).toBe(201);
    const stored = await api('GET', `/appointments/${(booked.body.appointment as Appointment).id}`, manager);
    expect(stored.body.appointment).toMatchObject({ serviceId: 't1-svc-1', moreServiceIds: ['t1-svc-2'] });

    // Queue B serves only service 2: service 1 would need its own appointment.
    const foreign = await book('t1-svc-2', ['t1-svc-1']);
    expect(foreign.status).toBe(422);
    expect(foreign.body.error).toMatchObject({ code: 'service_not_in_queue' });
    expect((await book('t1-svc-1', ['t1-svc-1'])).status).toBe(400);
    // A booking of one matter is as before.
    expect((await book('t1-svc-1', undefined)).body.appointment).not.toHaveProperty('moreServiceIds');
  });

  it('checks in one ticket for all the booked matters, whatever the kiosk\'s copy says', async () => {
    const created = await api('POST', '/sync/devices', manager, { id: 'k-ci-m', hallId: 't1-hall', role: 'kiosk', name: 'k-ci-m' });
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.body.enrollmentCode } });
    const credential = enrolled.json().credential as string;
    const block = (await api('POST', '/sync/leases', credential, { queueId: 't1-qa', day: today(), count: 5 })).body.block as { start: number };
    const appointment = (await book('t1-svc-1', ['t1-svc-2'], 'c'.repeat(64))).body.appointment as Appointment;
    const ticketId = uuidV7(Date.now(), randomBytes(10));
    const epoch = `epoch-${randomBytes(4).toString('hex')}`;
    // The kiosk's cached copy lost the second matter: the booking decides.
    const payload = { ticketId, sequence: block.start, appointment: { id: appointment.id, serviceId: 't1-svc-1', date: appointment.date, slot: appointment.slot, status: 'booked', citizen: appointment.citizen }, at: new Date().toISOString() };
    const mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: 'k-ci-m', epoch, seq: 1, type: 'checkIn', payload, hlc: 'h-1' };
    const pushed = (await api('POST', '/sync/push', credential, { epoch, mutations: [mutation] })).body as PushResponse;
    expect(pushed.results[0]).toMatchObject({ status: 'applied' });
    const row = await server.db.database.db.withTables<{ sync_entities: { entity: string; id: string; data_json: string } }>().selectFrom('sync_entities').select('data_json').where('entity', '=', 'ticket').where('id', '=', ticketId).executeTakeFirst();
    const ticket = JSON.parse(row?.data_json ?? '{}') as Ticket;
    expect(ticket).toMatchObject({ kind: 'appointment', appointmentId: appointment.id, serviceIds: ['t1-svc-1', 't1-svc-2'] });
  });
});
