import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '@hall/station';
import { localDay } from '@hall/shared';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { statsPage } from '../../apps/server/src/stats/index';
import { superviseCases } from '../../apps/server/src/stats/supervision';
import { localDayOf, workingDaysBetween } from '../../apps/server/src/stats/workingDays';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../e2e/harness/stations';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';

const hall = fixtureHall('t1');
const ZONE_OFFSET_MINUTES = 8 * 60;

describe('counter outcomes made offline reach central statistics', () => {
  let central: HallCentral;
  let kiosk: StationRuntime;
  let counter: CounterStation;

  beforeAll(async () => {
    central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
    kiosk = await startPlainStation(central, { deviceId: 'out-kiosk', role: 'kiosk' });
    counter = await startCounterStation(await enrolledConfig(central, { deviceId: 'out-counter', role: 'counter', counterId: 't1-c1' }), { sync: FAST_SYNC });
  });

  afterAll(async () => {
    await counter?.stop();
    await kiosk?.stop();
    await central?.close();
  });

  it('serves, accepts and rates offline; after reconnecting the clerk, the rating and the accepted case with its due date are central', async () => {
    await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa'), 20_000);
    const ticket = await kiosk.handlers['ticket.issue']!({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
    const submitted = await kiosk.handlers['case.submit']!({
      serviceId: 't1-svc-1',
      ticketId: ticket.id,
      answers: { 'q-who': ['self'] },
      formId: 't1-form',
      formVersion: 1,
      values: { name: '测试人' },
    });
    const { role, runtime } = counter;
    await waitUntil('counter has the ticket and its case', () => runtime.core.store.live.cases[submitted.id] !== undefined, 20_000);
    await role.login('t1-clerk', FIXTURE_PASSWORD);
    // 回显 online, then the same question offline is refused as `offline`.
    const echoed = await role.caseForm({ ticketId: ticket.id });
    expect(echoed).toMatchObject({ forms: [{ caseId: submitted.id, serviceName: '户籍证明1', values: { name: '测*人' } }] });

    await central.stop();
    await expect(role.caseForm({ ticketId: ticket.id })).rejects.toMatchObject({ name: 'LocalRejection', code: 'offline' });
    // The clerk signs in again while the API is away: the offline session (the clerk key opened
    // with the password) must prove everything below to the central API when it returns.
    role.logout();
    expect(await role.login('t1-clerk', FIXTURE_PASSWORD)).toMatchObject({ offline: true });
    const called = runtime.core.ticketCommand('callSpecific', ticket.id);
    expect(called.staffId).toBe('t1-clerk');
    role.startServing(ticket.id);
    role.checkMaterial(submitted.id, 'm-id', true);
    role.checkMaterial(submitted.id, 'm-hukou', true);
    const { case: accepted } = await role.accept(submitted.id);
    expect(accepted.status).toBe('accepted');
    role.finish(ticket.id);
    role.submitRating(ticket.id, 'very_satisfied');
    const pending = runtime.core.store.outboxCounts().pending;
    expect(pending).toBeGreaterThanOrEqual(5);
    // The final form sits in the outbox until the server has answered, and past that for the
    // restore horizon (a central database restored from a backup gets it again), then it is scrubbed.
    const acceptRow = () => runtime.core.store.outbox().find((row) => row.type === 'acceptCase');
    expect(acceptRow()?.payload).toMatchObject({ values: { name: '测试人' } });

    await central.start();
    await waitUntil('counter outbox drained', () => runtime.core.store.outboxCounts().pending === 0, 20_000);
    expect(runtime.core.store.outboxCounts().rejected).toBe(0);
    expect(acceptRow()?.payload).toMatchObject({ values: { name: '测试人' } });
    runtime.core.store.scrubAcknowledgedForms(new Date(Date.now() + 1000).toISOString());
    expect(acceptRow()?.payload).toMatchObject({ values: {} });

    const day = localDay(Date.now(), hall.hall.timeZone);
    const page = await statsPage(central.database, [hall.hall], { from: day, to: day, groupBy: 'clerk' });
    expect(page.tickets).toEqual([expect.objectContaining({ key: 't1-clerk', served: 1 })]);
    expect(page.satisfaction).toEqual([expect.objectContaining({ key: 't1-clerk', total: 1 })]);
    expect(page.labels['t1-clerk']).toBeDefined();

    const kase = await central.database.db.selectFrom('cases').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ status: 'accepted', accepted_by_staff_id: 't1-clerk' });
    const calendar = { weekdays: hall.hall.openingHours.weekdays };
    const dueDay = localDayOf(kase.due_at!, ZONE_OFFSET_MINUTES);
    // The service promises 5 working days, counted the way supervision counts them.
    expect(workingDaysBetween(localDayOf(kase.accepted_at!, ZONE_OFFSET_MINUTES), dueDay, calendar)).toBe(hall.services[0]!.guide.promisedDays);
    const onDueDay = await superviseCases(central.database.db, [hall.hall.id], new Date(kase.due_at!), ZONE_OFFSET_MINUTES, new Map([[hall.hall.id, calendar]]));
    expect(onDueDay.cases).toEqual([expect.objectContaining({ id: submitted.id, status: 'accepted', dueDay, light: 'yellow', acceptedAt: kase.accepted_at })]);
  });
});
