import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { apiCall, newMutationId, pushingDevice } from '../testing/devices';
import { startTestServer, type TestServer } from '../testing/server';
import { RatingDispatcher, ratingDb } from './outbox';
import { HttpRatingPlatform } from './platform';
import { RatingPlatformSimulator } from './simulator';

const pgUrl = inject('postgresUrl');
const SECOND = 1000;

/**
 * Ratings reach the city's 好差评 platform (a real local HTTP simulator) through the outbox:
 * the rating a counter pushes is queued in the same transaction, retried with backoff while
 * the platform fails, and stored there once even when an answer is lost or the station
 * pushes the rating again.
 */
describe.each(BACKENDS)('ratings to the city platform on %s', (dialect) => {
  let server: TestServer;
  let platform: RatingPlatformSimulator;
  let nowMs = Date.parse('2026-03-02T02:00:00Z');
  let manager = '';
  let serial = 0;
  const policy = { maxAttempts: 4, baseDelayMs: 10 * SECOND, maxDelayMs: 60 * SECOND, leaseMs: 30 * SECOND };
  let dispatcher: RatingDispatcher;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());
  beforeEach(async () => {
    platform = new RatingPlatformSimulator();
    await platform.start('platform-token');
    dispatcher = new RatingDispatcher(server.db.database.db, new HttpRatingPlatform(platform.url, { token: 'platform-token' }), () => new Date(nowMs), undefined, policy);
  });
  afterEach(async () => platform.close());

  const outbox = (evaluationId: string) => ratingDb(server.db.database.db).selectFrom('rating_outbox').selectAll().where('evaluation_id', '=', evaluationId).executeTakeFirstOrThrow();

  /** A served ticket rated at counter 1, pushed like the counter station's outbox does. */
  async function rated(rating: string, citizen?: { maskedName: string; idHash: string }) {
    serial += 1;
    const kiosk = await pushingDevice(server, { id: `rk-${serial}`, role: 'kiosk', hall: 't1', managerToken: manager, now: () => nowMs });
    const counter = await pushingDevice(server, { id: `rc-${serial}`, role: 'counter', hall: 't1', managerToken: manager, counterId: 't1-c1', now: () => nowMs });
    const lease = await apiCall(server, 'POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs, 'Asia/Shanghai'), count: 1 });
    const ticketId = newMutationId();
    await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start, ...(citizen ? { citizen } : {}) });
    await counter.push('closeCounter', { counterId: 't1-c1' });
    await counter.push('openCounter', { counterId: 't1-c1' });
    for (const type of ['callSpecific', 'startServing', 'finish']) expect(await counter.push(type, { counterId: 't1-c1', ticketId })).toMatchObject({ status: 'applied' });
    const evaluationId = newMutationId();
    expect(await counter.push('recordEvaluation', { evaluationId, ticketId, counterId: 't1-c1', staffId: 't1-clerk', rating, defaulted: false, comment: '办事快' })).toMatchObject({ status: 'applied' });
    return { evaluationId, counter };
  }

  it('retries with backoff while the platform fails and delivers each rating once', async () => {
    const { evaluationId, counter } = await rated('very_satisfied', { maskedName: '陈*明', idHash: 'ab'.repeat(32) });
    expect(await outbox(evaluationId)).toMatchObject({ status: 'pending', attempts: 0 });

    platform.failNext(503, 502);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await outbox(evaluationId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'platform answered 503', next_attempt_at: new Date(nowMs + 10 * SECOND).toISOString() });
    // Not due yet: nothing is sent before the backoff has passed.
    expect(await dispatcher.runOnce()).toBe(0);
    expect(platform.requests).toBe(1);
    nowMs += 10 * SECOND;
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await outbox(evaluationId)).toMatchObject({ attempts: 2, next_attempt_at: new Date(nowMs + 20 * SECOND).toISOString() });
    // The platform stores the third try but the answer is lost: the fourth is the same rating again.
    nowMs += 20 * SECOND;
    platform.dropAfterStore();
    expect(await dispatcher.runOnce()).toBe(0);
    nowMs += 40 * SECOND;
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await outbox(evaluationId)).toMatchObject({ status: 'delivered', attempts: 4, platform_id: 'hcp-1' });
    expect(platform.requests).toBe(4);
    expect(platform.ratings).toEqual([
      expect.objectContaining({ evaluationId, level: 5, rating: 'very_satisfied', serviceName: '户籍证明1', counterNumber: '1', applicantMasked: '陈*明', comment: '办事快', defaulted: false }),
    ]);

    // The station pushes the rating again (its answer was lost): nothing new is queued or sent.
    await counter.retry();
    nowMs += 60 * SECOND;
    expect(await dispatcher.runOnce()).toBe(0);
    expect(platform.requests).toBe(4);
    expect(platform.ratings).toHaveLength(1);
  });

  it('keeps a refused rating failed for an operator, and the console sees the outbox', async () => {
    const { evaluationId } = await rated('unsatisfied');
    platform.failNext(422);
    await dispatcher.runOnce();
    expect(await outbox(evaluationId)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'platform answered 422' });
    nowMs += 3600 * SECOND;
    expect(await dispatcher.runOnce()).toBe(0);
    expect(platform.ratings).toHaveLength(0);
    const summary = await apiCall(server, 'GET', '/admin/halls/t1-hall/rating-outbox', manager);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ failed: 1 });
  });

  it('is sent by one instance when two run at once', async () => {
    const { evaluationId } = await rated('neutral');
    const other = new RatingDispatcher(server.db.database.db, new HttpRatingPlatform(platform.url, { token: 'platform-token' }), () => new Date(nowMs), undefined, policy);
    const sent = await Promise.all([dispatcher.runOnce(), other.runOnce()]);
    expect(sent[0] + sent[1]).toBe(1);
    expect(platform.requests).toBe(1);
    expect(await outbox(evaluationId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('gives up after the last attempt while the platform stays away', async () => {
    const { evaluationId } = await rated('satisfied');
    await platform.close();
    for (let i = 0; i < 4; i++) {
      await dispatcher.runOnce();
      nowMs += 60 * SECOND;
    }
    expect(await outbox(evaluationId)).toMatchObject({ status: 'failed', attempts: 4, last_error: 'platform unreachable: TypeError' });
  });
});
