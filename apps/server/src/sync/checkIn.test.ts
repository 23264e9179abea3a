import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Appointment,
  type PushResponse,
  localDay,
} from '@hall/shared';
import { addEntry } from '../blacklist/store';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const hashOf = (c: string) => c.repeat(64);

describe.each(BACKENDS)('appointment check-in through sync on %s', (dialect) => {
  let server: TestServer;
  let manager = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const api = async (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) => {
    const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: { ...versions, ...bearer(token) }, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: response.json() };
  };

  async function kiosk(id: string) {
    const created = await api('POST', '/sync/devices', manager, { id, hallId: 't1-hall', role: 'kiosk', name: id });
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.body.enrollmentCode } });
    const credential = enrolled.json().credential as string;
    const epoch = `epoch-${randomBytes(4).toString('hex')}`;
    let seq = 0;
    return {
      credential,
      lease: async () => (await api('POST', '/sync/leases', credential, { queueId: 't1-qa', day: localDay(Date.now(), 'Asia/Shanghai'), count: 5 })).body.block as { start: number },
      push: async (payload: Record<string, unknown>): Promise<PushResponse> => {
        seq += 1;
        const mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: id, epoch, seq, type: 'checkIn', payload: { ...payload, at: new Date().toISOString() }, hlc: `h-${seq}` };
        return (await api('POST', '/sync/push', credential, { epoch, mutations: [mutation] })).body;
      },
    };
  }

  async function book(idHash: string, date = localDay(Date.now(), 'Asia/Shanghai')): Promise<Appointment> {
    const booked = await api('POST', '/appointments', manager, {
      hallId: 't1-hall',
      serviceId: 't1-svc-1',
      date,
      slot: { from: '00:00', to: '23:59' },
      citizen: { maskedName: '张*三', idHash },
    });
    expect(booked.status).toBe(201);
    return booked.body.appointment;
  }

  const command = (a: Appointment, sequence: number, ticketId = uuidV7(Date.now(), randomBytes(10))) => ({
    ticketId,
    sequence,
    appointment: { id: a.id, serviceId: a.serviceId, date: a.date, slot: a.slot, status: a.status, citizen: a.citizen },
  });

  it('numbers the ticket from the lease, marks the appointment checked in, and refuses a second kiosk', async () => {
    const first = await kiosk('k-ci-1');
    const second = await kiosk('k-ci-2');
    const appointment = await book(hashOf('a'));
    const mine = await first.lease();
    const theirs = await second.lease();

    const applied = await first.push(command(appointment, mine.start));
    expect(applied.results[0]).toMatchObject({ status: 'applied' });
    const stored = await api('GET', `/appointments/${appointment.id}`, manager);
    expect(stored.body.appointment).toMatchObject({ status: 'checked_in' });
    expect(stored.body.appointment.ticketId).toBeDefined();

    // The other kiosk checked the same appointment in while offline: it loses on sync, by code.
    const lost = await second.push(command(appointment, theirs.start));
    expect(lost.results[0]).toMatchObject({ status: 'rejected', code: 'appointment_checked_in' });
  });

  it('accepts a check-in made offline that syncs after the no-show job marked the appointment: the citizen came', async () => {
    const offline = await kiosk('k-ci-ns');
    const appointment = await book(hashOf('e'));
    const lease = await offline.lease();
    // What markNoShows does once the slot and the late allowance have passed, with the bar this no-show tripped.
    const db = server.db.database.db;
    await db.updateTable('appointments').set({ status: 'no_show', no_show_at: new Date().toISOString() }).where('id', '=', appointment.id).execute();
    const at = new Date().toISOString();
    const bar = await addEntry(db, { hallId: 't1-hall', idHash: hashOf('e'), maskedName: '张*三', reason: '30天内预约未到3次', source: 'no_show', from: appointment.date, until: '2099-01-01', by: 'no-show-job', at });
    const byManager = await addEntry(db, { hallId: 't1-hall', idHash: hashOf('e'), maskedName: '张*三', reason: '扰乱秩序', source: 'manual', from: appointment.date, until: '2099-01-01', by: 't1-mgr', at });
    const applied = await offline.push(command(appointment, lease.start));
    expect(applied.results[0]).toMatchObject({ status: 'applied' });
    const row = await server.db.database.db.selectFrom('appointments').select(['status', 'no_show_at']).where('id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'checked_in', no_show_at: null });
    // The rule's bar no longer holds and is lifted on the record; a manager's bar stays.
    const lifted = await db.selectFrom('blacklist').select(['id', 'lifted_at', 'lifted_by']).where('id', 'in', [bar, byManager]).orderBy('id').execute();
    expect(lifted.find((r) => r.id === bar)).toMatchObject({ lifted_by: 'no-show-job' });
    expect(lifted.find((r) => r.id === bar)?.lifted_at).not.toBeNull();
    expect(lifted.find((r) => r.id === byManager)?.lifted_at).toBeNull();
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', 'in', [bar, appointment.id]).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'lift', 'no_show_undone']);
  });

  it('refuses a number outside the lease, another citizen, another day and an unknown appointment', async () => {
    const device = await kiosk('k-ci-3');
    const block = await device.lease();
    const appointment = await book(hashOf('b'));
    expect((await device.push(command(appointment, block.start + 500))).results[0]).toMatchObject({ code: 'number_not_leased' });
    const stranger = command({ ...appointment, citizen: { maskedName: '李*', idHash: hashOf('c') } }, block.start);
    expect((await device.push(stranger)).results[0]).toMatchObject({ code: 'appointment_other_citizen' });
    const tomorrow = await book(hashOf('b'), localDay(Date.now() + 86_400_000, 'Asia/Shanghai'));
    expect((await device.push(command(tomorrow, block.start))).results[0]).toMatchObject({ code: 'appointment_not_today' });
    expect((await device.push(command({ ...appointment, id: 'no-such-appointment' }, block.start))).results[0]).toMatchObject({ code: 'unknown_appointment' });
    // None of these touched the appointment.
    expect((await api('GET', `/appointments/${appointment.id}`, manager)).body.appointment.status).toBe('booked');
  });
});
