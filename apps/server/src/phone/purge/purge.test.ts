import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms, smsDb } from '../../sms/outbox';
import { BACKENDS } from '../../testing/databases';
import { bearer, startTestServer, type TestServer } from '../../testing/server';
import { bookingDb } from '../booking/tables';
import { purgeIfDue } from './purge';

const pgUrl = inject('postgresUrl');
const phoneOf = (n: number) => ['139', '0020', String(9300 + n)].join('');
const OUTBOX_PHONE = { table: 'sms_outbox', column: 'phone' } as const;

describe.each(BACKENDS)('purge of phone-booking personal data on %s', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-03-02T02:00:00Z');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, noShowIntervalMs: 0 });
  });
  afterAll(async () => server.dispose());

  const settingsCall = async (method: 'GET' | 'PUT', who: string, payload?: Record<string, unknown>) =>
    server.app.inject({ method, url: '/api/v1/admin/personal-data-purge', headers: bearer(await server.login(who)), ...(payload ? { payload } : {}) });

  it('lets managers read the schedule and only the city administrator set it, on the record', async () => {
    expect((await settingsCall('GET', 't1-manager')).json()).toMatchObject({ settings: { everyMinutes: 60, keepPhoneDays: 30 }, lastRunAt: null });
    expect((await settingsCall('PUT', 't1-manager', { everyMinutes: 30, keepPhoneDays: 7 })).statusCode).toBe(403);
    expect((await settingsCall('PUT', 'city-admin', { everyMinutes: 1, keepPhoneDays: 7 })).statusCode).toBe(400);
    const saved = await settingsCall('PUT', 'city-admin', { everyMinutes: 30, keepPhoneDays: 7 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().settings).toEqual({ everyMinutes: 30, keepPhoneDays: 7 });
    const audit = await server.db.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'purge_settings').execute();
    expect(audit).toHaveLength(1);
  });

  it('deletes expired sessions and day-old codes and forgets old phones, on the period set', async () => {
    const clerk = await server.login('t1-clerk');
    for (const [name, n, date] of [['past', 1, '2026-03-03'], ['coming', 2, '2026-03-20']] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: bearer(clerk),
        payload: { hallId: 't1-hall', serviceId: 't1-svc-1', date, slot: { from: '10:00', to: '10:30' }, citizen: { idNumber: makeTestIdNumber({ birthDate: '1980-03-03', sequence: 80 + n }), name: '孙八' }, phone: phoneOf(n) },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = (res.json() as { appointment: Appointment }).appointment.id;
    }
    const db = bookingDb(server.db.database.db);
    const keys = server.app.hall.dataKeys;
    const session = (id: string, expires: string) => db.insertInto('booking_sessions').values({ id, id_hash: 'h', masked_name: '孙*', phone: keys.seal(phoneOf(3), sealContext({ table: 'booking_sessions', column: 'phone' }, id)), created_at: now.toISOString(), expires_at: expires }).execute();
    await session('s-old', '2026-03-02T03:00:00Z');
    await session('s-live', '2026-03-12T03:00:00Z');
    const code = (id: string, created: string) => db.insertInto('booking_codes').values({ id, phone_hash: 'p', address_hash: 'a', code_hash: 'c', created_at: created, expires_at: created, attempts: 0, used_at: null }).execute();
    await code('c-old', '2026-03-11T01:00:00Z');
    await code('c-new', '2026-03-11T03:00:00Z');
    const outbox = smsDb(server.db.database.db);
    for (const key of ['sent-old', 'pending-old']) {
      await enqueueSms(server.db.database.db, keys, { idempotencyKey: key, hallId: 't1-hall', phone: phoneOf(4), template: 'booking_cancelled', params: { hallName: 'h', serviceName: 's', date: '2026-03-03', slot: '10:00-10:30' } }, now);
    }
    await outbox.updateTable('sms_outbox').set({ status: 'sent' }).where('idempotency_key', '=', 'sent-old').execute();

    now = new Date('2026-03-12T02:00:00Z');
    expect(await purgeIfDue(server.app.hall)).toEqual({ sessions: 1, codes: 1, appointmentPhones: 1, smsPhones: 1, positionPhones: 0, parcelPhones: 0 });
    expect((await db.selectFrom('booking_sessions').select('id').execute()).map((r) => r.id)).toEqual(['s-live']);
    expect((await db.selectFrom('booking_codes').select('id').execute()).map((r) => r.id)).toEqual(['c-new']);
    const phones = await server.db.database.db.selectFrom('appointments').select(['id', 'citizen_phone']).where('id', 'in', [ids.past!, ids.coming!]).execute();
    expect(phones.find((p) => p.id === ids.past)!.citizen_phone).toBeNull();
    expect(phones.find((p) => p.id === ids.coming)!.citizen_phone).not.toBeNull();
    const rows = await outbox.selectFrom('sms_outbox').select(['id', 'idempotency_key', 'phone']).where('idempotency_key', 'in', ['sent-old', 'pending-old']).execute();
    const open = (key: string) => {
      const row = rows.find((r) => r.idempotency_key === key)!;
      return keys.open(row.phone, sealContext(OUTBOX_PHONE, row.id));
    };
    expect(open('sent-old')).toBe('');
    expect(open('pending-old')).toBe(phoneOf(4)); // still to be sent

    // Not due again before the period has passed; then due, with nothing left to purge.
    now = new Date('2026-03-12T02:29:00Z');
    expect(await purgeIfDue(server.app.hall)).toBeNull();
    now = new Date('2026-03-12T02:30:00Z');
    expect(await purgeIfDue(server.app.hall)).toEqual({ sessions: 0, codes: 0, appointmentPhones: 0, smsPhones: 0, positionPhones: 0, parcelPhones: 0 });
    expect((await settingsCall('GET', 'city-admin')).json()).toMatchObject({ lastRunAt: '2026-03-12T02:30:00.000Z', lastReport: { sessions: 0 } });
  });
});
