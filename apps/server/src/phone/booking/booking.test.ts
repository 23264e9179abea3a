import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment, type BookingSettings } from '@hall/shared';
import { addEntry } from '../../blacklist/store';
import { HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator } from '../../sms/index';
import { BACKENDS } from '../../testing/databases';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '../../testing/server';
import { hallDevices } from '../testDevices';
import { book } from './bookings';
import type { BookingCitizen } from './identity';

const pgUrl = inject('postgresUrl');
/** Monday 2 March 2026, 08:00 in Guangzhou: before the hall opens, so every slot of the day is ahead. */
const MONDAY_8AM = Date.parse('2026-03-02T00:00:00Z');

describe.each(BACKENDS)('booking a visit from the phone on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  let now = MONDAY_8AM;
  const gateway = new SmsGatewaySimulator();
  let dispatcher: SmsDispatcher;
  let phoneSeq = 0;
  let addressSeq = 0;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(now) });
    manager = await server.login('t1-manager');
    dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(await gateway.start()), () => new Date(now), server.app.log);
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, options: { token?: string; payload?: object; ip?: string } = {}) => {
    const response = await server.app.inject({
      method,
      url: `/api/v1${url}`,
      remoteAddress: options.ip ?? '198.51.100.7',
      headers: options.token ? bearer(options.token) : {},
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    return { status: response.statusCode, body: response.json() };
  };

  const settings = (serviceId: string, over: Partial<BookingSettings> = {}): BookingSettings => ({
    serviceId,
    enabled: true,
    slotMinutes: 30,
    capacityPerSlot: 2,
    daysAhead: 14,
    maxPerDay: null,
    maxOpenPerCitizen: 3,
    ...over,
  });
  const configure = async (s: BookingSettings) => expect((await call('PUT', '/admin/halls/t1-hall/booking-settings', { token: manager, payload: s })).status).toBe(200);

  /** The text of the last SMS the gateway received for `phone`, after the outbox ran. */
  async function lastSms(phone: string): Promise<string> {
    await dispatcher.runOnce();
    const found = gateway.messages.filter((m) => m.to === phone).at(-1);
    if (!found) throw new Error('no SMS for this phone');
    return found.text;
  }

  /** A citizen with a fresh phone, through code and session, from their own address. */
  async function signIn(sequence: number, name = '李预约') {
    phoneSeq += 1;
    addressSeq += 1;
    const phone = `139${String(10_000_000 + phoneSeq).slice(-8)}`;
    const ip = `203.0.113.${addressSeq}`;
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(202);
    const code = /验证码为(\d{6})/.exec(await lastSms(phone))![1]!;
    const idNumber = makeTestIdNumber({ regionCode: '440106', birthDate: '1979-08-09', sequence });
    const session = await call('POST', '/phone/booking/session', { payload: { phone, code, name, idNumber }, ip });
    expect(session.status).toBe(200);
    return { phone, idNumber, token: session.body.token as string, ip };
  }

  it('publishes the slots of an open day, books one with an SMS, lists, moves and cancels it', async () => {
    await configure(settings('t1-svc-1'));
    const hall = await call('GET', '/phone/halls/t1-hall/booking');
    expect(hall.body.services.map((s: { id: string }) => s.id)).toEqual(['t1-svc-1']);
    const day = await call('GET', '/phone/booking/services/t1-svc-1/slots?date=2026-03-03');
    // 09:00-12:00 and 13:30-17:30 in half hours.
    expect(day.body.slots).toHaveLength(14);
    expect(day.body.slots[0]).toEqual({ from: '09:00', to: '09:30', left: 2 });
    expect(day.body.slots[6]).toEqual({ from: '13:30', to: '14:00', left: 2 });

    const citizen = await signIn(1);
    const booked = await call('POST', '/phone/booking/appointments', { token: citizen.token, payload: { serviceId: 't1-svc-1', date: '2026-03-03', slotFrom: '09:30' } });
    expect(booked.status).toBe(201);
    const appointment = booked.body.appointment as Appointment;
    expect(appointment).toMatchObject({ hallId: 't1-hall', status: 'booked', slot: { from: '09:30', to: '10:00' }, citizen: { maskedName: '李*约' } });
    expect(await lastSms(citizen.phone)).toContain('2026-03-03 09:30-10:00');
    // The hall sees it as an ordinary appointment (the kiosk checks it in from this list).
    const desk = await call('GET', '/halls/t1-hall/appointments?date=2026-03-03', { token: manager });
    expect(desk.body.appointments.map((a: Appointment) => a.id)).toContain(appointment.id);
    expect((await call('GET', '/phone/booking/services/t1-svc-1/slots?date=2026-03-03')).body.slots[1].left).toBe(1);

    const mine = await call('GET', '/phone/booking/mine', { token: citizen.token });
    expect(mine.body.appointments.map((a: Appointment) => a.id)).toEqual([appointment.id]);
    expect(mine.body.citizen.phone).toMatch(/^139\*{4}\d{4}$/);
    expect(JSON.stringify(mine.body)).not.toContain(citizen.idNumber);

    const moved = await call('POST', `/phone/booking/appointments/${appointment.id}/move`, { token: citizen.token, payload: { date: '2026-03-04', slotFrom: '14:00' } });
    expect(moved.status).toBe(200);
    expect(moved.body.appointment).toMatchObject({ date: '2026-03-04', slot: { from: '14:00', to: '14:30' }, status: 'booked' });
    expect(await lastSms(citizen.phone)).toContain('已改到2026-03-04 14:00-14:30');
    expect((await call('GET', '/phone/booking/services/t1-svc-1/slots?date=2026-03-03')).body.slots[1].left).toBe(2);

    const cancelled = await call('POST', `/phone/booking/appointments/${appointment.id}/cancel`, { token: citizen.token });
    expect(cancelled.body.appointment.status).toBe('cancelled');
    expect(await lastSms(citizen.phone)).toContain('已取消');
    expect((await call('GET', '/phone/booking/services/t1-svc-1/slots?date=2026-03-04')).body.slots[8].left).toBe(2);
    // Another citizen cannot touch it, nor learn whether it exists.
    const other = await signIn(2);
    expect((await call('POST', `/phone/booking/appointments/${appointment.id}/cancel`, { token: other.token })).status).toBe(404);
  });

  it('refuses a closed day (weekend, holiday) but opens a 调休 Saturday, and never books a full slot', async () => {
    await configure(settings('t1-svc-1', { capacityPerSlot: 1 }));
    expect((await call('PUT', '/admin/halls/t1-hall/calendar', { token: manager, payload: { put: [{ day: '2026-03-05', kind: 'holiday', name: '测试假日' }, { day: '2026-03-07', kind: 'workday', name: '调休' }], remove: [] } })).status).toBe(200);
    const citizen = await signIn(3);
    const at = (date: string, slotFrom = '10:00') => call('POST', '/phone/booking/appointments', { token: citizen.token, payload: { serviceId: 't1-svc-1', date, slotFrom } });
    expect((await at('2026-03-08')).body.error).toMatchObject({ code: 'day_closed', details: { reason: 'weekend' } });
    expect((await at('2026-03-05')).body.error).toMatchObject({ code: 'day_closed', details: { reason: 'holiday' } });
    expect((await at('2026-03-01')).body.error).toMatchObject({ code: 'day_closed', details: { reason: 'past' } });
    expect((await at('2026-04-30')).body.error).toMatchObject({ code: 'day_closed', details: { reason: 'too_far' } });
    expect((await at('2026-03-06', '12:30')).body.error.code).toBe('unknown_slot');
    expect((await at('2026-03-07')).status).toBe(201);
    const days = (await call('GET', '/phone/booking/services/t1-svc-1/days')).body.days as { date: string; closed?: string }[];
    expect(days.find((d) => d.date === '2026-03-05')?.closed).toBe('holiday');
    expect(days.find((d) => d.date === '2026-03-07')?.closed).toBeUndefined();

    const late = await signIn(4);
    const full = await call('POST', '/phone/booking/appointments', { token: late.token, payload: { serviceId: 't1-svc-1', date: '2026-03-07', slotFrom: '10:00' } });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('slot_full');
  });

  it('two citizens racing over HTTP for the last place: exactly one gets it', async () => {
    await configure(settings('t1-svc-1', { capacityPerSlot: 1 }));
    const [a, b] = [await signIn(5), await signIn(6)];
    const payload = { serviceId: 't1-svc-1', date: '2026-03-09', slotFrom: '15:00' };
    const results = await Promise.all([a, b].map((c) => call('POST', '/phone/booking/appointments', { token: c.token, payload })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('1,000 bookings at once for 10 places: exactly 10 succeed, the day limit holds too', async () => {
    await configure(settings('t1-svc-1', { capacityPerSlot: 10, maxPerDay: 12 }));
    const citizens: BookingCitizen[] = Array.from({ length: 1000 }, (_, i) => ({ idHash: i.toString(16).padStart(64, '0'), maskedName: '王*', phone: '13900000000' }));
    const outcomes = await Promise.allSettled(citizens.map((c) => book(server.app.hall, c, { serviceId: 't1-svc-1', date: '2026-03-10', slotFrom: '09:00' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code?: string }).code);
    expect(new Set(refused)).toEqual(new Set(['slot_full']));
    // Only 2 more that day, whatever the slots hold.
    const others = citizens.slice(0, 5).map((c) => ({ ...c, idHash: `f${c.idHash.slice(1)}` }));
    const more = await Promise.allSettled(others.map((c) => book(server.app.hall, c, { serviceId: 't1-svc-1', date: '2026-03-10', slotFrom: '10:00' })));
    expect(more.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(more.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code?: string }).code)).toEqual(['day_full', 'day_full', 'day_full']);
  }, 120_000);

  it('tells a blacklisted citizen why and until when', async () => {
    await configure(settings('t1-svc-1'));
    const citizen = await signIn(7);
    const mine = await call('GET', '/phone/booking/mine', { token: citizen.token });
    expect(mine.status).toBe(200);
    const { citizenSubject } = await import('../../residence-code/keys');
    const idHash = Buffer.from(await citizenSubject(server.db.database.db, server.app.hall.dataKeys, citizen.idNumber)).toString('hex');
    await addEntry(server.db.database.db, { hallId: 't1-hall', idHash, maskedName: null, reason: '30天内预约未到3次', source: 'manual', from: '2026-03-01', until: '2026-03-31', by: 't1-mgr', at: new Date(now).toISOString() });
    const refused = await call('POST', '/phone/booking/appointments', { token: citizen.token, payload: { serviceId: 't1-svc-1', date: '2026-03-11', slotFrom: '09:00' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'blacklisted', details: { until: '2026-03-31', reason: '30天内预约未到3次' } });
  });

  it('a residence code names the same citizen as the ID number; a forged code, a bad phone or ID number are refused plainly', async () => {
    await configure(settings('t1-svc-1'));
    const byId = await signIn(10);
    const issued = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber: byId.idNumber } });
    expect(issued.statusCode).toBe(201);
    const residenceCode = (issued.json() as { code: string }).code;
    const booked = await call('POST', '/phone/booking/appointments', { token: byId.token, payload: { serviceId: 't1-svc-1', date: '2026-03-12', slotFrom: '11:00' } });
    expect(booked.status).toBe(201);

    const phone = '13699990000';
    const ip = '192.0.2.77';
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(202);
    const code = /验证码为(\d{6})/.exec(await lastSms(phone))![1]!;
    const forged = `${residenceCode.slice(0, -4)}${residenceCode.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await call('POST', '/phone/booking/session', { payload: { phone, code, name: '李预约', residenceCode: forged }, ip })).body.error.code).toBe('invalid_residence_code');
    const session = await call('POST', '/phone/booking/session', { payload: { phone, code, name: '李预约', residenceCode }, ip });
    expect(session.status).toBe(200);
    // The same person: the booking made by ID number is theirs.
    const mine = await call('GET', '/phone/booking/mine', { token: session.body.token });
    expect(mine.body.appointments.map((a: Appointment) => a.id)).toEqual([booked.body.appointment.id]);

    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone: '12345' } })).status).toBe(400);
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 'no-such-hall', phone: '13600000001' } })).status).toBe(404);
    const badId = await call('POST', '/phone/booking/session', { payload: { phone, code: '123456', name: '李某', idNumber: '440106197908090000' }, ip });
    expect(badId.body.error.code).toBe('invalid_id_number');
    expect((await call('GET', '/phone/booking/mine', { token: 'x'.repeat(43) })).body.error.code).toBe('session_expired');
  });

  it('the kiosk checks a phone booking in like any appointment; a checked-in booking no longer moves or cancels', async () => {
    await configure(settings('t1-svc-1'));
    now = MONDAY_8AM + 2 * 3600_000; // 10:00 in the hall
    const citizen = await signIn(9);
    const booked = await call('POST', '/phone/booking/appointments', { token: citizen.token, payload: { serviceId: 't1-svc-1', date: '2026-03-02', slotFrom: '10:30' } });
    expect(booked.status).toBe(201);
    const appointment = booked.body.appointment as Appointment;
    expect((await call('POST', '/phone/booking/appointments', { token: citizen.token, payload: { serviceId: 't1-svc-1', date: '2026-03-02', slotFrom: '09:30' } })).body.error.code).toBe('slot_past');
    const { api, device, newId } = hallDevices(() => server, () => manager, () => now);
    const kiosk = await device('k-phone-booking', 'kiosk');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: '2026-03-02', count: 1 });
    const checkIn = { ticketId: newId(), sequence: lease.body.block.start, appointment: { id: appointment.id, serviceId: appointment.serviceId, date: appointment.date, slot: appointment.slot, status: appointment.status, citizen: appointment.citizen } };
    expect(await kiosk.push('checkIn', checkIn)).toMatchObject({ status: 'applied' });
    const mine = await call('GET', '/phone/booking/mine', { token: citizen.token });
    expect(mine.body.appointments[0]).toMatchObject({ id: appointment.id, status: 'checked_in' });
    expect((await call('POST', `/phone/booking/appointments/${appointment.id}/cancel`, { token: citizen.token })).status).toBe(409);
    now = MONDAY_8AM;
  });

  it('SMS codes: a wrong one, an expired one, one use only, and limits per phone and per address', async () => {
    const phone = '13712345678';
    const ip = '192.0.2.50';
    const idNumber = makeTestIdNumber({ regionCode: '440106', birthDate: '1990-01-02', sequence: 8 });
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(202);
    const code = /验证码为(\d{6})/.exec(await lastSms(phone))![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await call('POST', '/phone/booking/session', { payload: { phone, code: wrong, name: '周*', idNumber }, ip })).body.error.code).toBe('code_wrong');
    // A second code within the minute is refused; the outbox keeps the code scrubbed once sent.
    const again = await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip });
    expect(again.status).toBe(429);
    now += 6 * 60_000;
    expect((await call('POST', '/phone/booking/session', { payload: { phone, code, name: '周某', idNumber }, ip })).body.error.code).toBe('code_expired');
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(202);
    const fresh = /验证码为(\d{6})/.exec(await lastSms(phone))![1]!;
    expect((await call('POST', '/phone/booking/session', { payload: { phone, code: fresh, name: '周某', idNumber }, ip })).status).toBe(200);
    expect((await call('POST', '/phone/booking/session', { payload: { phone, code: fresh, name: '周某', idNumber }, ip })).body.error.code).toBe('code_wrong');
    // Per phone: 5 an hour.
    for (let i = 0; i < 3; i++) {
      now += 61_000;
      expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(202);
    }
    now += 61_000;
    expect((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone }, ip })).status).toBe(429);
    // Per address: 20 an hour, whatever the phones.
    const crowd = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await call('POST', '/phone/booking/code', { payload: { hallId: 't1-hall', phone: `1360000${String(i).padStart(4, '0')}` }, ip: crowd })).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
    // Without a session nothing is booked.
    expect((await call('POST', '/phone/booking/appointments', { payload: { serviceId: 't1-svc-1', date: '2026-03-11', slotFrom: '09:00' } })).status).toBe(401);
  });
});
