import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rejection } from '@hall/shared';
import { eventually, numbersReady, startCentral, startTestStation, type Central } from './harness';

describe('stations syncing through a real central API', () => {
  let central: Central;
  beforeEach(async () => {
    central = await startCentral();
  });
  afterEach(async () => central.close());

  it('issues on a kiosk, calls on a counter and converges, woken by pokes', async () => {
    const kiosk = await startTestStation({ deviceId: 'e-kiosk', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('e-kiosk', 'kiosk'), start: { sync: { pollIntervalMs: 60_000 } } });
    const counter = await startTestStation({ deviceId: 'e-c1', role: 'counter', counterId: 't1-c1', apiUrl: central.url, code: await central.enrollmentCode('e-c1', 'counter', 't1-c1'), start: { sync: { pollIntervalMs: 60_000 } } });
    try {
      // The first download brings the catalogue and a leased block of numbers.
      expect(await eventually(() => numbersReady(kiosk), 5000)).toBe(true);
      const ticket = kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
      expect(ticket.number).toMatch(/^A\d{3}$/);
      expect(await eventually(() => kiosk.sync.status().pending === 0, 5000)).toBe(true);

      // Polling is a minute away: only the poke can make the counter see the ticket this fast.
      expect(await eventually(() => counter.core.store.live.queue.tickets[ticket.id] !== undefined, 5000)).toBe(true);
      expect(await eventually(() => counter.core.store.catalogue !== undefined, 5000)).toBe(true);
      counter.core.counterCommand('openCounter');
      const called = counter.core.callNext();
      expect(called?.id).toBe(ticket.id);
      expect(await eventually(() => kiosk.core.store.live.queue.tickets[ticket.id]?.status === 'called', 5000)).toBe(true);
      expect(counter.sync.status()).toMatchObject({ online: true, pending: 0, lastError: null });
      // The renderers re-read the catalogue when this changes (a console edit reaches the screens at once).
      expect(counter.sync.status().catalogueVersion).toBe(counter.core.store.catalogue!.version);
    } finally {
      await kiosk.stop();
      await counter.stop();
    }
  });

  it('settles a ticket called by two offline counters: first accepted call wins, the other is told', async () => {
    const kiosk = await startTestStation({ deviceId: 'x-kiosk', role: 'kiosk', apiUrl: central.url, code: await central.enrollmentCode('x-kiosk', 'kiosk') });
    const c1 = await startTestStation({ deviceId: 'x-c1', role: 'counter', counterId: 't1-c1', apiUrl: central.url, code: await central.enrollmentCode('x-c1', 'counter', 't1-c1') });
    const c2 = await startTestStation({ deviceId: 'x-c2', role: 'counter', counterId: 't1-c2', apiUrl: central.url, code: await central.enrollmentCode('x-c2', 'counter', 't1-c2') });
    try {
      expect(await eventually(() => numbersReady(kiosk), 5000)).toBe(true);
      const ticket = kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
      for (const c of [c1, c2]) expect(await eventually(() => c.core.store.base.queue.tickets[ticket.id] !== undefined, 5000)).toBe(true);
      // Both counters lose the network, then both call the ticket.
      await c1.sync.stop();
      await c2.sync.stop();
      for (const c of [c1, c2]) {
        c.core.counterCommand('openCounter');
        expect(c.core.ticketCommand('callSpecific', ticket.id).status).toBe('called');
      }
      const told: Rejection[] = [];
      c1.onEvent((event, data) => {
        if (event === 'mutation.rejected') told.push(data as Rejection);
      });
      c2.onEvent((event, data) => {
        if (event === 'mutation.rejected') told.push(data as Rejection);
      });
      c2.sync.start();
      expect(await eventually(() => c2.sync.status().pending === 0, 5000)).toBe(true);
      c1.sync.start();
      expect(await eventually(() => c1.sync.status().pending === 0 && told.length > 0, 5000)).toBe(true);
      expect(told).toEqual([expect.objectContaining({ type: 'callSpecific', code: 'ticket_not_callable', ticketId: ticket.id })]);
      expect(c1.rejections()).toHaveLength(1);
      // Everyone converges on c2 serving the ticket; c1's screen no longer shows it as its own.
      for (const s of [kiosk, c1, c2]) {
        expect(await eventually(() => s.core.store.live.queue.tickets[ticket.id]?.counterId === 't1-c2', 5000)).toBe(true);
      }
      expect(c1.core.store.live.queue.counters['t1-c1']?.state).toEqual({ status: 'open' });
    } finally {
      await Promise.all([kiosk.stop(), c1.stop(), c2.stop()]);
    }
  });
});
