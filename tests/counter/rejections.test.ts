import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '@hall/station';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../e2e/harness/stations';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';

const hall = fixtureHall('t1');

describe('a counter decision the central API rejects', () => {
  let central: HallCentral;
  let kiosk: StationRuntime;
  let other: StationRuntime;
  let counter: CounterStation;

  beforeAll(async () => {
    central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
    kiosk = await startPlainStation(central, { deviceId: 'rej-kiosk', role: 'kiosk' });
    other = await startPlainStation(central, { deviceId: 'rej-other', role: 'counter', counterId: 't1-c2', clerk: { login: 't1-clerk', password: FIXTURE_PASSWORD } });
    counter = await startCounterStation(await enrolledConfig(central, { deviceId: 'rej-counter', role: 'counter', counterId: 't1-c1' }), { sync: FAST_SYNC });
  });

  afterAll(async () => {
    await counter?.stop();
    await other?.stop();
    await kiosk?.stop();
    await central?.close();
  });

  it('is undone in the counter’s records when another window decided the case first; the refusal names its clerk centrally', async () => {
    await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa'), 20_000);
    const ticket = await kiosk.handlers['ticket.issue']!({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
    const submitted = await kiosk.handlers['case.submit']!({ serviceId: 't1-svc-1', ticketId: ticket.id, answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, values: { name: '测试人' } });
    const { role, runtime } = counter;
    await waitUntil('both counters have the case', () => runtime.core.store.live.cases[submitted.id] !== undefined && other.core.store.live.cases[submitted.id] !== undefined, 20_000);
    await role.login('t1-clerk', FIXTURE_PASSWORD);
    runtime.core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    await waitUntil('serving reached the central API', () => runtime.core.store.outboxCounts().pending === 0, 20_000);

    // This counter loses its link; meanwhile another window refuses the same case.
    await runtime.sync.stop();
    role.checkMaterial(submitted.id, 'm-id', true);
    role.checkMaterial(submitted.id, 'm-hukou', true);
    expect((await role.accept(submitted.id)).case.status).toBe('accepted');
    other.core.store.commit({
      type: 'refuseCase',
      payload: { caseId: submitted.id, staffId: 't1-clerk', counterId: 't1-c2', reason: '缺少居民户口簿', missingMaterialIds: ['m-hukou'], at: new Date().toISOString() },
    });
    await waitUntil('the refusal is central', () => other.core.store.outboxCounts().pending === 0, 20_000);
    expect(other.core.store.outboxCounts().rejected).toBe(0);

    runtime.sync.start();
    await waitUntil('the acceptance is answered', () => runtime.core.store.outboxCounts().pending === 0, 20_000);
    const rejected = runtime.core.store.outbox().filter((row) => row.status === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ type: 'acceptCase', code: 'case_decided' })]);
    await waitUntil('the refusal reached this counter', () => runtime.core.store.live.cases[submitted.id]?.status === 'refused', 20_000);

    // counter.db: history and the case say what the central API decided, not "accepted".
    const entry = role.history().find((h) => h.ticket.id === ticket.id);
    expect(entry?.cases).toEqual([
      expect.objectContaining({ caseId: submitted.id, status: 'refused', centralRejection: expect.objectContaining({ type: 'acceptCase', code: 'case_decided', reason: expect.stringContaining('refused') }) }),
    ]);
    expect(role.caseView(submitted.id)).toMatchObject({ status: 'refused', centralRejection: { code: 'case_decided' } });
    // The renderer hears of it too (sync.rejections), with the mutation type to name it.
    expect(await runtime.handlers['sync.rejections']!({})).toEqual([expect.objectContaining({ type: 'acceptCase', code: 'case_decided' })]);

    const kase = await central.database.db.selectFrom('cases').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ status: 'refused', refusal_reason: '缺少居民户口簿', refused_by_staff_id: 't1-clerk', accepted_by_staff_id: null });
  });
});
