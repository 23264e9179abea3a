import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { enrolledConfig, FAST_SYNC, waitUntil } from '../e2e/harness/stations';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';

const hall = fixtureHall('t1');

describe('clerk assignments set in the console', () => {
  let central: HallCentral;
  let counter: CounterStation;

  beforeAll(async () => {
    central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
    // The default catalogue refresh (a minute): the console's poke must bring the change sooner.
    counter = await startCounterStation(await enrolledConfig(central, { deviceId: 'asg-counter', role: 'counter', counterId: 't1-c1' }), { sync: FAST_SYNC });
  });

  afterAll(async () => {
    await counter?.stop();
    await central?.close();
  });

  const assign = async (counterIds: string[]) => {
    const login = await fetch(`${central.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 't1-manager', password: FIXTURE_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const put = await fetch(`${central.url}/api/v1/admin/halls/t1-hall/staff/t1-clerk/assignment`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ counterIds, queueIds: [] }),
    });
    expect(put.status).toBe(200);
  };

  it('reach a running counter at once and refuse its sign-in at a counter not assigned, naming it', async () => {
    const { role, runtime } = counter;
    await waitUntil('catalogue', () => runtime.core.store.catalogue !== undefined, 20_000);
    expect(await role.login('t1-clerk', FIXTURE_PASSWORD)).toMatchObject({ counterId: 't1-c1', offline: false });
    role.logout();
    await assign(['t1-c2']);
    await waitUntil('the assignment reached the counter', () => runtime.core.store.catalogue?.clerkCounters?.['t1-clerk'] !== undefined, 5_000);
    await expect(role.login('t1-clerk', FIXTURE_PASSWORD)).rejects.toMatchObject({ code: 'counter_not_assigned', message: expect.stringContaining('counter 1') });
    expect(role.currentSession()).toBeNull();
    // The hall default again: no counters assigned, any counter.
    await assign([]);
    await waitUntil('the cleared assignment reached the counter', () => runtime.core.store.catalogue?.clerkCounters?.['t1-clerk'] === undefined, 5_000);
    expect(await role.login('t1-clerk', FIXTURE_PASSWORD)).toMatchObject({ counterId: 't1-c1' });
  });
});
