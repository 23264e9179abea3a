// The hall works as one while the central API hangs: real stations (runtime, store, sync
// engine, mesh over real UDP on loopback, keys from the central API at enrollment), a real
// central API behind a proxy that freezes every connection (a hung data centre).
import { describe, expect, it } from 'vitest';
import type { Ticket } from '@hall/shared';
import { freeUdpPorts, seededRandom } from '@hall/station/testing';
import type { StationRuntime } from '@hall/station';
import { FaultProxy } from './faultProxy';
import { eventually, numbersReady, startCentral, startTestStation } from './harness';

const STATIONS = [
  { deviceId: 'kiosk-h1', role: 'kiosk' as const },
  { deviceId: 'counter-h1', role: 'counter' as const, counterId: 't1-c1' },
  { deviceId: 'counter-h2', role: 'counter' as const, counterId: 't1-c2' },
  { deviceId: 'display-h1', role: 'display' as const },
];

function ticketIn(station: StationRuntime, id: string): Ticket | undefined {
  return station.core.store.live.queue.tickets[id];
}

describe('a hall whose central API hangs', () => {
  it('takes, calls and serves tickets as one hall over the LAN, then settles with the API: nothing lost, nothing doubled', async () => {
    const central = await startCentral();
    const proxy = new FaultProxy(() => central.port, seededRandom(7));
    await proxy.listen();
    const ports = await freeUdpPorts(STATIONS.length);
    const running: StationRuntime[] = [];
    try {
      for (const [i, spec] of STATIONS.entries()) {
        const peers = ports.filter((_, j) => j !== i).map((port) => ({ host: '127.0.0.1', port }));
        running.push(
          await startTestStation({
            ...spec,
            apiUrl: proxy.url,
            code: await central.enrollmentCode(spec.deviceId, spec.role, 'counterId' in spec ? spec.counterId : undefined),
            mesh: { port: ports[i] ?? 0, bind: '127.0.0.1', peers, advertIntervalMs: 200 },
            start: { requestTimeoutMs: 1000, sync: { pollIntervalMs: 200, stallMs: 3000 } },
          }),
        );
      }
      const [kiosk, counter1, counter2, display] = running as [StationRuntime, StationRuntime, StationRuntime, StationRuntime];
      // Each holds its device key: what it makes, a peer can relay with its proof.
      expect(await eventually(() => numbersReady(kiosk) && running.every((s) => s.sync.status().online && s.mesh?.reachable() === 3 && s.core.deviceProver !== undefined), 20_000)).toBe(true);
      expect(running.every((s) => s.lanKeys() !== undefined)).toBe(true);

      // The data centre hangs: every connection to it freezes.
      proxy.setMode('partition');
      expect(await eventually(() => running.every((s) => s.sync.status().hall?.mode === 'mesh'), 15_000)).toBe(true);
      expect(counter1.sync.status().hall?.peers).toBe(3);

      const ticket = kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
      const kase = kiosk.core.submitForm({ serviceId: 't1-svc-1', ticketId: ticket.id, answers: {}, values: { name: '张三' } });
      expect(await eventually(() => running.every((s) => ticketIn(s, ticket.id)?.status === 'waiting'), 5000)).toBe(true);

      counter1.core.counterCommand('openCounter');
      expect(counter1.core.callNext()?.id).toBe(ticket.id);
      expect(await eventually(() => [counter2, display, kiosk].every((s) => ticketIn(s, ticket.id)?.counterId === 't1-c1'), 5000)).toBe(true);
      // 回显: the counter has the kiosk's form although the central API never saw it.
      expect(counter1.core.store.peerCaseForms({ ticketId: ticket.id }).map((f) => [f.caseId, f.values])).toEqual([[kase.id, { name: '张三' }]]);
      // Counter 2 cannot call it too: the hall already gave it to counter 1.
      counter2.core.counterCommand('openCounter');
      expect(counter2.core.callNext()).toBeNull();
      counter1.core.ticketCommand('startServing', ticket.id);
      counter1.core.ticketCommand('finish', ticket.id);

      // The kiosk dies after its peers heard it: its tickets must still reach the server, relayed with its device proof.
      const second = kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
      expect(await eventually(() => [counter1, counter2, display].every((s) => ticketIn(s, second.id) !== undefined), 5000)).toBe(true);
      await kiosk.stop();
      running.splice(running.indexOf(kiosk), 1);

      // The data centre answers again.
      proxy.setMode('normal');
      const settled = await eventually(
        () => running.every((s) => s.sync.status().online && s.core.store.outboxCounts().pending === 0 && s.core.store.peerPendingCount() === 0),
        30_000,
      );
      expect(settled).toBe(true);
      const snapshot = await counter2.client.snapshot();
      const onServer = new Map(snapshot.tickets.map((t) => [t.id, t]));
      expect(onServer.get(ticket.id)).toMatchObject({ status: 'finished', counterId: 't1-c1' });
      expect(onServer.get(second.id)?.status).toBe('waiting');
      expect(snapshot.cases.find((c) => c.id === kase.id)?.ticketId).toBe(ticket.id);
      for (const station of running) {
        expect(ticketIn(station, ticket.id)).toEqual(onServer.get(ticket.id));
        expect(ticketIn(station, second.id)).toEqual(onServer.get(second.id));
      }
      expect(proxy.stats.partition).toBeGreaterThan(0);
    } finally {
      for (const station of running) await station.stop();
      await central.close();
    }
  }, 120_000);
});
