import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketMatters } from '@hall/shared';
import { eventually, numbersReady, startCentral, startTestStation, type Central } from './harness';
import { serverState } from './serverState';

const parent = { maskedName: '张*', idHash: 'a'.repeat(64) };
const child = { maskedName: '张*明', idHash: 'c'.repeat(64) };

describe('一号联办 tickets through a real central API', () => {
  let central: Central;
  beforeEach(async () => {
    // Queue A serves both services, so a family can bring both matters on one ticket.
    central = await startCentral({ adjustHall: (hall) => void hall.queues[0]?.serviceIds.push('t1-svc-2') });
  });
  afterEach(async () => central.close());

  it("keeps each matter's family member from the kiosk to the central API and the counter", async () => {
    const kiosk = await startTestStation({ deviceId: 'm-kiosk', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('m-kiosk', 'kiosk') });
    const counter = await startTestStation({ deviceId: 'm-c1', role: 'counter', counterId: 't1-c1', apiUrl: central.url, code: await central.enrollmentCode('m-c1', 'counter', 't1-c1') });
    try {
      expect(await eventually(() => numbersReady(kiosk), 5000)).toBe(true);
      const ticket = kiosk.core.issueTicket({ serviceIds: ['t1-svc-1', 't1-svc-2'], kind: 'walk_in', citizen: parent, matterCitizens: { 't1-svc-2': child } });
      expect(await eventually(() => kiosk.sync.status().pending === 0, 5000)).toBe(true);
      expect(kiosk.rejections()).toEqual([]);

      const stored = (await serverState(central)).tickets[ticket.id];
      expect(stored?.matterCitizens).toEqual({ 't1-svc-2': child });
      expect(await eventually(() => counter.core.store.live.queue.tickets[ticket.id] !== undefined, 5000)).toBe(true);
      const seen = counter.core.store.live.queue.tickets[ticket.id];
      expect(seen && ticketMatters(seen).map((m) => [m.number, m.citizen?.maskedName])).toEqual([
        [ticket.number, '张*'],
        [`${ticket.number}-2`, '张*明'],
      ]);
    } finally {
      await kiosk.stop();
      await counter.stop();
    }
  });
});
