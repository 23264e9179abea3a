import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { renderHallSms } from '../admin/smsTemplates';
import { sealContext } from '../secrets/atRest';
import { smsDb } from '../sms/outbox';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { queueDayBeforeReminders, reminderKey } from './reminders';

const pgUrl = inject('postgresUrl');
const phoneOf = (n: number) => ['139', '0020', String(9200 + n)].join('');

describe.each(BACKENDS)('the day-before booking reminder on %s', (dialect) => {
  let server: TestServer;
  let clerk = '';
  // Hall t1 is Asia/Shanghai: 2026-03-09T00:00Z is 08:00 on Monday 9 March there.
  let now = new Date('2026-03-08T02:00:00Z');
  const ids: Record<string, string> = {};

  const book = async (name: string, n: number, date: string) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', serviceId: 't1-svc-1', date, slot: { from: '10:00', to: '10:30' }, citizen: { idNumber: makeTestIdNumber({ birthDate: '1975-02-02', sequence: 70 + n }), name: '钱七' }, phone: phoneOf(n) },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = (res.json() as { appointment: Appointment }).appointment.id;
  };
  const reminders = () => smsDb(server.db.database.db).selectFrom('sms_outbox').selectAll().where('template', '=', 'booking_reminder').orderBy('idempotency_key').execute();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, noShowIntervalMs: 0 });
    clerk = await server.login('t1-clerk');
    await book('tomorrow', 1, '2026-03-10');
    await book('cancelled', 2, '2026-03-10');
    await book('dayAfter', 3, '2026-03-11');
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/appointments/${ids.cancelled}/cancel`, headers: bearer(clerk) })).statusCode).toBe(200);
  });
  afterAll(async () => server.dispose());

  it('waits for the morning of the day before, then reminds each booking of tomorrow once, in the hall’s wording', async () => {
    now = new Date('2026-03-09T00:30:00Z'); // 08:30 on the 9th in the hall: too early
    expect(await queueDayBeforeReminders(server.app.hall)).toBe(0);
    now = new Date('2026-03-09T01:00:00Z'); // 09:00
    const own = '【测试大厅】明天{date} {slot}请来{hallName}办{serviceName}。';
    const manager = await server.login('t1-manager');
    expect((await server.app.inject({ method: 'PUT', url: '/api/v1/admin/halls/t1-hall/sms-templates/booking_reminder', headers: bearer(manager), payload: { body: own } })).statusCode).toBe(200);
    expect(await queueDayBeforeReminders(server.app.hall)).toBe(1);
    expect(await queueDayBeforeReminders(server.app.hall)).toBe(0);
    const rows = await reminders();
    expect(rows.map((r) => r.idempotency_key)).toEqual([reminderKey(ids.tomorrow!, '2026-03-10')]);
    const row = rows[0]!;
    expect(server.app.hall.dataKeys.open(row.phone, sealContext({ table: 'sms_outbox', column: 'phone' }, row.id))).toBe(phoneOf(1));
    const params = JSON.parse(server.app.hall.dataKeys.open(row.params_json, sealContext({ table: 'sms_outbox', column: 'params_json' }, row.id))) as Record<string, string>;
    expect(await renderHallSms(server.db.database.db, 't1-hall', 'booking_reminder', params)).toMatch(/^【测试大厅】明天2026-03-10 10:00-10:30请来.+办.+。$/);
  });

  it('does not remind a booking made on the day before: its confirmation just came', async () => {
    now = new Date('2026-03-10T03:00:00Z'); // 11:00 on the 10th
    clerk = await server.login('t1-clerk'); // sessions do not outlive a day of the clock
    await book('lastMinute', 4, '2026-03-11');
    expect(await queueDayBeforeReminders(server.app.hall)).toBe(1);
    expect((await reminders()).map((r) => r.idempotency_key).sort()).toEqual([reminderKey(ids.tomorrow!, '2026-03-10'), reminderKey(ids.dayAfter!, '2026-03-11')].sort());
  });
});
