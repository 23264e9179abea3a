import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLanCallReceiver, type LanCall, type LanCallReceiver } from '@hall/station';
import type { StationRuntime } from '@hall/station';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../e2e/harness/stations';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';

describe('counter station LAN call feed', () => {
  const calls: { call: LanCall; senderId: string }[] = [];
  let central: HallCentral;
  let kiosk: StationRuntime;
  let counter: CounterStation;
  let display: LanCallReceiver;

  beforeAll(async () => {
    central = await startHallCentral({ hall: fixtureHall('t1'), manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
    kiosk = await startPlainStation(central, { deviceId: 'lan-kiosk', role: 'kiosk' });
    // The display side opens with the hall's ring as another station of the hall received it.
    display = await startLanCallReceiver({ hallId: central.hallId, keys: () => kiosk.lanKeys(), bind: '127.0.0.1', port: 0, onCall: (call, senderId) => calls.push({ call, senderId }) });
    counter = await startCounterStation(await enrolledConfig(central, { deviceId: 'lan-counter', role: 'counter', counterId: 't1-c1' }), {
      sync: FAST_SYNC,
      lan: { peers: [{ host: '127.0.0.1', port: display.port }] },
    });
    await waitUntil('counter catalogue', () => counter.runtime.core.store.catalogue !== undefined, 20_000);
    await counter.role.login('t1-clerk', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await counter?.stop();
    await kiosk?.stop();
    await display?.close();
    await central?.close();
  });

  it('sends each call straight to the displays, and keeps doing so with the central API stopped', async () => {
    await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa'), 20_000);
    const first = await kiosk.handlers['ticket.issue']?.({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
    const second = await kiosk.handlers['ticket.issue']?.({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
    const core = counter.runtime.core;
    await waitUntil('counter knows both tickets', () => [first?.id, second?.id].every((id) => id !== undefined && core.store.live.queue.tickets[id] !== undefined), 20_000);

    const called = core.callNext();
    expect(called?.id).toBe(first?.id);
    await waitUntil('display heard the first call', () => calls.some((c) => c.call.ticketId === first?.id));

    await central.stop();
    core.ticketCommand('startServing', called!.id);
    core.ticketCommand('finish', called!.id);
    const calledOffline = core.callNext();
    expect(calledOffline?.id).toBe(second?.id);
    await waitUntil('display heard the offline call', () => calls.some((c) => c.call.ticketId === second?.id));
    expect(new Set(calls.map((c) => c.senderId))).toEqual(new Set(['lan-counter']));
  });
});
