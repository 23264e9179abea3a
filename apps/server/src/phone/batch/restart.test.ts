import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { buildServer } from '../../app';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms, SmsGatewaySimulator, smsDb } from '../../sms/index';
import { BACKENDS } from '../../testing/databases';
import { bearer, startTestServer, TEST_PLATFORM_KEY, type TestServer } from '../../testing/server';
import { batchSmsKey, createBatch, type BatchView } from './batches';

const pgUrl = inject('postgresUrl');
// Made-up numbers in the 139 0020 range the other SMS tests use.
const phoneOf = (n: number) => ['139', '0020', String(9600 + n)].join('');
const RECIPIENTS = 6;

/** Polls what the two instances' dispatchers do in the background (they run on their own timers). */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!(await check())) throw new Error('timed out');
}

/**
 * Batch SMS across a real restart of the API (issue 18): the first instance, with its own
 * SMS dispatcher, gets part of a batch to the gateway (one message accepted but its answer
 * lost, then the gateway throttles) and is closed; a second instance on the same database
 * resumes what the first left (including a batch cut short while filling) and sends the
 * rest. Every citizen gets each batch's message once.
 */
describe.each(BACKENDS)('batch SMS over an API restart on %s', (dialect) => {
  let first: TestServer;
  let second: FastifyInstance | undefined;
  const base = new Date('2026-03-02T02:00:00Z').getTime();
  const gateway = new SmsGatewaySimulator();
  const saved = { url: process.env.HALL_SMS_GATEWAY_URL, interval: process.env.HALL_SMS_INTERVAL_MS };
  const booked: string[] = [];

  beforeAll(async () => {
    // Each instance builds its dispatcher from these, as in production.
    process.env.HALL_SMS_GATEWAY_URL = await gateway.start();
    process.env.HALL_SMS_INTERVAL_MS = '30';
    first = await startTestServer(dialect, pgUrl, { clock: () => new Date(base), noShowIntervalMs: 0 });
  });
  afterAll(async () => {
    await second?.close();
    await first.dispose();
    await gateway.close();
    for (const [key, value] of [['HALL_SMS_GATEWAY_URL', saved.url], ['HALL_SMS_INTERVAL_MS', saved.interval]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const batchMessages = (batchId: string) => gateway.messages.filter((m) => m.idempotencyKey.startsWith(`batch:${batchId}:`));

  it('sends the rest after the restart and nobody gets a message twice', async () => {
    const clerk = await first.login('t1-clerk');
    const manager = await first.login('t1-manager');
    for (let n = 0; n < RECIPIENTS; n++) {
      const res = await first.app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: bearer(clerk),
        payload: { hallId: 't1-hall', serviceId: 't1-svc-1', date: '2026-03-10', slot: { from: '09:00', to: '09:30' }, citizen: { idNumber: makeTestIdNumber({ birthDate: '1971-01-01', sequence: 60 + n }), name: '赵六' }, phone: phoneOf(n) },
      });
      expect(res.statusCode, res.body).toBe(201);
      booked.push((res.json() as { appointment: Appointment }).appointment.id);
    }
    // The gateway takes the first message but its answer is lost, takes one more, then throttles.
    gateway.dropAfterAccept(1);
    gateway.acceptOnly(2);
    const batchId = '0190bbbb-0000-7000-8000-000000000001';
    const put = await first.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/halls/t1-hall/sms-batches/${batchId}`,
      headers: bearer(manager),
      payload: { serviceId: 't1-svc-1', from: '2026-03-10', to: '2026-03-10', reason: '系统升级' },
    });
    expect(put.statusCode, put.body).toBe(201);
    expect((put.json() as { batch: BatchView }).batch).toMatchObject({ status: 'filled', recipients: RECIPIENTS });
    // The first instance's dispatcher has met the throttle: part of the batch is out, the rest waits.
    await waitFor(() => batchMessages(batchId).length === 2 && gateway.requests > 2, 10_000);

    // A second batch whose filling the stop cuts short, as a crash leaves it: recorded, one message queued.
    const cutShort = '0190bbbb-0000-7000-8000-000000000002';
    const ctx = first.app.hall;
    await createBatch(ctx, { kind: 'staff', id: 't1-manager' }, { id: cutShort, hallId: 't1-hall', serviceId: null, from: '2026-03-10', to: '2026-03-10', reason: '停电检修' });
    const sealed = await ctx.db.selectFrom('appointments').select('citizen_phone').where('id', '=', booked[0]!).executeTakeFirstOrThrow();
    const phone = ctx.dataKeys.open(sealed.citizen_phone!, sealContext({ table: 'appointments', column: 'citizen_phone' }, booked[0]!));
    await enqueueSms(ctx.db, ctx.dataKeys, { idempotencyKey: batchSmsKey(cutShort, booked[0]!), hallId: 't1-hall', phone, template: 'service_paused', params: { hallName: '测试大厅', serviceName: '业务', date: '2026-03-10', slot: '09:00-09:30', reason: '停电检修' } }, new Date(base));

    // The first instance stops (its dispatcher finishes its run); the throttle ends meanwhile.
    await first.app.close();
    const sentBefore = batchMessages(batchId).length;
    gateway.acceptAll();

    // A new instance on the same database, a minute later: the retries are due.
    second = await buildServer({ database: first.db.database, citizenPlatformKeys: [TEST_PLATFORM_KEY], clock: () => new Date(base + 60_000), noShowIntervalMs: 0 });
    await second.ready();
    await waitFor(() => batchMessages(batchId).length === RECIPIENTS && batchMessages(cutShort).length === RECIPIENTS, 15_000);
    expect(sentBefore).toBe(2);

    const phones = (id: string) => batchMessages(id).map((m) => m.to).sort();
    const everyone = Array.from({ length: RECIPIENTS }, (_, n) => phoneOf(n)).sort();
    expect(phones(batchId)).toEqual(everyone);
    expect(phones(cutShort)).toEqual(everyone);
    // One outbox row per citizen and batch, each sent: nothing queued twice.
    const rows = await smsDb(first.db.database.db).selectFrom('sms_outbox').select(['idempotency_key', 'status']).where('idempotency_key', 'like', 'batch:0190bbbb-%').execute();
    expect(rows).toHaveLength(2 * RECIPIENTS);
    await waitFor(async () => (await smsDb(first.db.database.db).selectFrom('sms_outbox').select('status').where('idempotency_key', 'like', 'batch:0190bbbb-%').where('status', '!=', 'sent').execute()).length === 0, 5000);
    const view = await second.inject({ method: 'GET', url: `/api/v1/admin/halls/t1-hall/sms-batches/${cutShort}`, headers: bearer(manager) });
    expect((view.json() as { batch: BatchView }).batch).toMatchObject({ status: 'filled', recipients: RECIPIENTS, progress: { sent: RECIPIENTS, failed: 0 } });
  });
});
