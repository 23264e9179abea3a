import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { enrolledConfig, FAST_SYNC, waitUntil } from '../e2e/harness/stations';

const hall = fixtureHall('t1');

/**
 * A clerk who signs out while the central API is away: the session must still end there
 * once the API is back (clerk_session_ends), or it would prove work made in the clerk's
 * name for the rest of its 12 hours. The sign-out waits in counter.db across a restart.
 */
describe('a clerk sign-out made while the central API is away', () => {
  let central: HallCentral;
  let counter: CounterStation | undefined;

  beforeAll(async () => {
    central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
  });
  afterAll(async () => {
    await counter?.stop();
    await central?.close();
  });

  const endedAtServer = async (session: string) =>
    (await sql<{ ended_at: string }>`select ended_at from clerk_session_ends where session = ${session}`.execute(central.database.db)).rows[0]?.ended_at;

  it('ends the session at the central API once it is back, even after the counter restarted meanwhile', async () => {
    const config = await enrolledConfig(central, { deviceId: 'so-counter', role: 'counter', counterId: 't1-c1' });
    counter = await startCounterStation(config, { sync: FAST_SYNC });
    const started = counter;
    await waitUntil('the counter has the catalogue', () => started.runtime.core.store.catalogue !== undefined, 20_000);
    await counter.role.login('t1-clerk', FIXTURE_PASSWORD);
    const session = counter.runtime.core.clerkSession()!.facts.session;

    await central.stop();
    counter.role.logout();
    // The counter PC is restarted while the API is still away: the sign-out is in counter.db.
    await counter.stop();
    counter = await startCounterStation(config, { sync: FAST_SYNC });
    expect(await endedAtServer(session)).toBeUndefined();

    await central.start();
    await waitUntil('the session ended at the central API', async () => (await endedAtServer(session)) !== undefined, 20_000);
  });
});
