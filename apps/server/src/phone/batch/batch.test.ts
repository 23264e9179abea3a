import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms, HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator, smsDb } from '../../sms/index';
import { BACKENDS } from '../../testing/databases';
import { bearer, startTestServer, type TestServer } from '../../testing/server';
import { batchSmsKey, createBatch, resumeBatches, type BatchView } from './batches';

const pgUrl = inject('postgresUrl');
// Made-up numbers in the 139 0020 range the other SMS tests use.
const phoneOf = (n: number) => ['139', '0020', String(9100 + n)].join('');

describe.each(BACKENDS)('batch SMS when a service pauses on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  let clerk = '';
  const now = new Date('2026-03-02T02:00:00Z');
  const gateway = new SmsGatewaySimulator();
  let dispatcher: SmsDispatcher;
  const booked: Record<string, string> = {};

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const book = async (name: string, n: number, serviceId: string, date: string) => {
    const res = await call('POST', '/appointments', clerk, {
      hallId: 't1-hall',
      serviceId,
      date,
      slot: { from: '09:00', to: '09:30' },
      citizen: { idNumber: makeTestIdNumber({ birthDate: '1970-01-01', sequence: 40 + n }), name: '王五' },
      phone: phoneOf(n),
    });
    expect(res.statusCode, res.body).toBe(201);
    booked[name] = (res.json() as { appointment: Appointment }).appointment.id;
  };
  const scope = { serviceId: 't1-svc-1', from: '2026-03-10', to: '2026-03-11', reason: '系统升级' };
  const batchRows = (batchId: string) =>
    smsDb(server.db.database.db).selectFrom('sms_outbox').selectAll().where('idempotency_key', 'like', `batch:${batchId}:%`).execute();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, noShowIntervalMs: 0 });
    manager = await server.login('t1-manager');
    clerk = await server.login('t1-clerk');
    await gateway.start();
    dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(gateway.url), () => now, undefined, {
      maxAttempts: 1,
      baseDelayMs: 1000,
      maxDelayMs: 1000,
      leaseMs: 5000,
    });
    await book('first', 1, 't1-svc-1', '2026-03-10');
    await book('second', 2, 't1-svc-1', '2026-03-11');
    await book('otherService', 3, 't1-svc-2', '2026-03-10');
    await book('cancelled', 4, 't1-svc-1', '2026-03-10');
    await book('checkedIn', 5, 't1-svc-1', '2026-03-10');
    await book('later', 6, 't1-svc-1', '2026-03-20');
    expect((await call('POST', `/appointments/${booked.cancelled}/cancel`, clerk)).statusCode).toBe(200);
    // As a kiosk check-in leaves it (the check-in itself is tested with the sync engine).
    await server.db.database.db.updateTable('appointments').set({ status: 'checked_in' }).where('id', '=', booked.checkedIn!).execute();
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  it('previews the reach and the hall’s wording; only a hall manager may', async () => {
    expect((await call('POST', '/admin/halls/t1-hall/sms-batches/preview', clerk, scope)).statusCode).toBe(403);
    const own = '【测试大厅】因{reason}，{serviceName}暂停，您{date} {slot}的预约请改约。';
    expect((await call('PUT', '/admin/halls/t1-hall/sms-templates/service_paused', manager, { body: own })).statusCode).toBe(200);
    const preview = await call('POST', '/admin/halls/t1-hall/sms-batches/preview', manager, scope);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().recipients).toBe(2);
    expect(preview.json().text).toMatch(/^【测试大厅】因系统升级，.+暂停，您2026-03-10 09:00-09:30的预约请改约。$/);
    const backwards = await call('POST', '/admin/halls/t1-hall/sms-batches/preview', manager, { ...scope, from: '2026-03-12' });
    expect(backwards.statusCode).toBe(400);
    const whole = await call('POST', '/admin/halls/t1-hall/sms-batches/preview', manager, { ...scope, serviceId: null });
    expect(whole.json().recipients).toBe(3);
  });

  it('tells exactly the booked citizens once, even when the manager presses twice, and shows progress and failures', async () => {
    const batchId = '0190aaaa-0000-7000-8000-000000000001';
    const first = await call('PUT', `/admin/halls/t1-hall/sms-batches/${batchId}`, manager, scope);
    expect(first.statusCode, first.body).toBe(201);
    const again = await call('PUT', `/admin/halls/t1-hall/sms-batches/${batchId}`, manager, scope);
    expect(again.statusCode).toBe(200);
    expect((await call('PUT', `/admin/halls/t1-hall/sms-batches/${batchId}`, manager, { ...scope, reason: '停电' })).statusCode).toBe(409);
    const rows = await batchRows(batchId);
    expect(rows.map((r) => r.idempotency_key).sort()).toEqual([batchSmsKey(batchId, booked.first!), batchSmsKey(batchId, booked.second!)].sort());
    for (const r of rows) expect(r.phone).not.toMatch(/139/);
    const audit = await server.db.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'sms_batch').where('entity_id', '=', batchId).execute();
    expect(audit).toHaveLength(1);

    gateway.failNext(400); // the gateway refuses one number for good
    await dispatcher.runOnce();
    const view = (await call('GET', `/admin/halls/t1-hall/sms-batches/${batchId}`, manager)).json() as { batch: BatchView };
    expect(view.batch).toMatchObject({ recipients: 2, status: 'filled', progress: { queued: 2, sent: 1, pending: 0, failed: 1 } });
    expect(view.batch.failures).toHaveLength(1);
    expect(view.batch.failures[0]).toMatchObject({ maskedName: '王*', slot: '09:00-09:30', error: 'gateway answered 400' });
    expect(JSON.stringify(view)).not.toContain(phoneOf(1));
    const sent = gateway.messages.filter((m) => m.idempotencyKey.startsWith(`batch:${batchId}:`));
    expect(sent).toHaveLength(1);
    expect([phoneOf(1), phoneOf(2)]).toContain(sent[0]!.to);
    const list = (await call('GET', '/admin/halls/t1-hall/sms-batches', manager)).json() as { batches: BatchView[] };
    expect(list.batches.map((b) => b.id)).toContain(batchId);
  });

  it('makes one batch of two presses at the same moment, and keeps batches to their hall', async () => {
    const batchId = '0190aaaa-0000-7000-8000-000000000003';
    const url = `/admin/halls/t1-hall/sms-batches/${batchId}`;
    const presses = await Promise.all([call('PUT', url, manager, scope), call('PUT', url, manager, scope)]);
    expect(presses.map((p) => p.statusCode).sort()).toEqual([200, 201]);
    expect(await batchRows(batchId)).toHaveLength(2);
    const other = await server.login('t2-manager');
    expect((await call('GET', `/admin/halls/t1-hall/sms-batches/${batchId}`, other)).statusCode).toBe(403);
    expect((await call('GET', `/admin/halls/t2-hall/sms-batches/${batchId}`, other)).statusCode).toBe(404);
  });

  it('finishes a batch a restart cut short, telling nobody twice', async () => {
    const batchId = '0190aaaa-0000-7000-8000-000000000002';
    const ctx = server.app.hall;
    const wholeHall = { ...scope, serviceId: null, id: batchId, hallId: 't1-hall' };
    await createBatch(ctx, { kind: 'staff', id: 't1-manager' }, wholeHall);
    // The crashed run got as far as the first citizen.
    const phone = ctx.dataKeys.open(
      (await ctx.db.selectFrom('appointments').select('citizen_phone').where('id', '=', booked.first!).executeTakeFirstOrThrow()).citizen_phone!,
      sealContext({ table: 'appointments', column: 'citizen_phone' }, booked.first!),
    );
    await enqueueSms(ctx.db, ctx.dataKeys, { idempotencyKey: batchSmsKey(batchId, booked.first!), hallId: 't1-hall', phone, template: 'service_paused', params: { hallName: 'x', serviceName: 'y', date: '2026-03-10', slot: '09:00-09:30', reason: '系统升级' } }, now);
    await dispatcher.runOnce();

    expect(await resumeBatches(ctx)).toBe(1);
    expect(await resumeBatches(ctx)).toBe(0);
    await dispatcher.runOnce();
    const sent = gateway.messages.filter((m) => m.idempotencyKey.startsWith(`batch:${batchId}:`));
    expect(sent.map((m) => m.to).sort()).toEqual([phoneOf(1), phoneOf(2), phoneOf(3)]);
    const view = (await call('GET', `/admin/halls/t1-hall/sms-batches/${batchId}`, manager)).json() as { batch: BatchView };
    expect(view.batch).toMatchObject({ status: 'filled', recipients: 3, progress: { sent: 3, failed: 0 } });
  });
});
