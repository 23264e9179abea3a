import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallLink, OutagePeriod, SyncStatus } from '@hall/shared';
import { StationCore } from '../core';
import { testCatalogue } from '../testing/hall';
import { SyncClient } from './client';
import { SyncEngine } from './engine';
import { HallLinkTracker } from './hallLink';

const T0 = Date.parse('2026-03-02T06:00:00.000Z'); // 14:00 in Shanghai
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hall-link-')), 'station.db');
}

function kiosk(file: string, now: () => number): StationCore {
  const core = StationCore.open(file, { deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk' }, now);
  if (!core.store.catalogue) core.store.replaceCatalogue(testCatalogue());
  core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 50 });
  return core;
}

/** A station with a hand-driven clock and peer count. */
function rig(file = tempFile()) {
  const clock = { now: T0 };
  const mesh = { peers: 0 };
  const core = kiosk(file, () => clock.now);
  const tracker = new HallLinkTracker(core.store, { meshPeers: () => mesh.peers, peerPending: () => 2, now: () => clock.now });
  const changes: HallLink[] = [];
  tracker.onChange((link) => changes.push(link));
  const minutes = (m: number) => {
    clock.now += m * 60_000;
  };
  const issue = () => core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
  return { clock, mesh, core, tracker, changes, minutes, issue };
}

describe('hall link tracker', () => {
  it('derives the mode from the sync verdict and the peers heard, and remembers when it began', () => {
    const { mesh, core, tracker, changes, minutes } = rig();
    cleanups.push(() => core.close());
    tracker.observe(true);
    expect(tracker.status()).toEqual({ mode: 'connected', peers: 0, peerPending: 2, since: new Date(T0).toISOString() });
    minutes(5);
    mesh.peers = 3;
    tracker.refresh();
    // Peers heard while connected change the count, not the mode or its start.
    expect(tracker.status()).toMatchObject({ mode: 'connected', peers: 3, since: new Date(T0).toISOString() });
    minutes(1);
    tracker.observe(false);
    expect(tracker.status()).toMatchObject({ mode: 'mesh', peers: 3, since: new Date(T0 + 6 * 60_000).toISOString() });
    minutes(1);
    mesh.peers = 0;
    tracker.refresh();
    expect(tracker.status()).toMatchObject({ mode: 'alone', peers: 0, since: new Date(T0 + 7 * 60_000).toISOString() });
    tracker.refresh();
    expect(changes.map((c) => `${c.mode}/${c.peers}`)).toEqual(['connected/0', 'connected/3', 'mesh/3', 'alone/0']);
  });

  it('records each outage with its span, most peers and local commits, bounded and across a restart', () => {
    const file = tempFile();
    const a = rig(file);
    a.tracker.observe(true);
    a.minutes(2);
    a.tracker.observe(false);
    a.mesh.peers = 2;
    a.tracker.refresh();
    a.issue();
    a.minutes(3);
    a.mesh.peers = 3;
    a.tracker.refresh();
    a.issue();
    a.mesh.peers = 1;
    a.tracker.refresh();
    expect(a.tracker.periods()).toMatchObject([{ from: '2026-03-02T06:02:00.000Z', to: null, maxPeers: 3, localMutations: 2 }]);
    // The station stops during the outage and comes back while it lasts.
    a.core.close();
    const b = rig(file);
    b.clock.now = a.clock.now + 4 * 60_000;
    cleanups.push(() => b.core.close());
    const restarted = new HallLinkTracker(b.core.store, { meshPeers: () => 0, now: () => b.clock.now });
    expect(restarted.status()).toMatchObject({ mode: 'alone', since: '2026-03-02T06:02:00.000Z' });
    restarted.observe(false);
    b.issue();
    b.clock.now += 5 * 60_000;
    restarted.observe(true);
    const periods = restarted.periods();
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ from: '2026-03-02T06:02:00.000Z', to: '2026-03-02T06:14:00.000Z', maxPeers: 3, localMutations: 3, reported: false });
    expect(restarted.unreported()).toEqual<OutagePeriod[]>([{ from: '2026-03-02T06:02:00.000Z', to: '2026-03-02T06:14:00.000Z', mode: 'mesh', maxPeers: 3, localMutations: 3 }]);
    expect(restarted.status()).toMatchObject({ mode: 'connected', since: '2026-03-02T06:14:00.000Z' });

    // Bounded: the last `keep` periods survive.
    const bounded = new HallLinkTracker(b.core.store, { now: () => b.clock.now, keep: 5 });
    for (let i = 0; i < 8; i++) {
      b.clock.now += 60_000;
      bounded.observe(false);
      b.clock.now += 60_000;
      bounded.observe(true);
    }
    const kept = new HallLinkTracker(b.core.store, { now: () => b.clock.now }).periods();
    expect(kept).toHaveLength(5);
    expect(kept.every((p) => p.maxPeers === 0 && p.to !== null)).toBe(true);
    expect(kept.at(-1)?.to).toBe(new Date(b.clock.now).toISOString());
  });

  it('opens no outage before the first verdict, so a restart while connected is not one', () => {
    const { core, tracker } = rig();
    cleanups.push(() => core.close());
    expect(tracker.status().mode).toBe('alone');
    tracker.observe(true);
    expect(tracker.periods()).toEqual([]);
  });

  it('reports closed periods once, only while connected, and retries a failed report', async () => {
    const { core, tracker, minutes } = rig();
    cleanups.push(() => core.close());
    tracker.observe(false);
    minutes(12);
    const sent: OutagePeriod[][] = [];
    expect(await tracker.report(async (p) => sent.push(p))).toBe(0);
    tracker.observe(true);
    expect(await tracker.report(() => Promise.reject(new Error('503')))).toBe(0);
    expect(tracker.unreported()).toHaveLength(1);
    expect(await tracker.report(async (p) => sent.push(p))).toBe(1);
    expect(await tracker.report(async (p) => sent.push(p))).toBe(0);
    expect(sent).toEqual([[{ from: '2026-03-02T06:00:00.000Z', to: '2026-03-02T06:12:00.000Z', mode: 'alone', maxPeers: 0, localMutations: 0 }]]);
    // Reported stays reported across a reopen of the meta table.
    expect(new HallLinkTracker(core.store).periods()[0]?.reported).toBe(true);
  });
});

describe('sync engine with a hall link', () => {
  it('merges the hall link into its status and emits a status event when the peers change', async () => {
    const core = kiosk(tempFile(), Date.now);
    cleanups.push(() => core.close());
    // Nothing listens on this port: every sync call fails at once, a network error.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const mesh = { peers: 0 };
    const hallLink = new HallLinkTracker(core.store, { meshPeers: () => mesh.peers });
    const engine = new SyncEngine(core, new SyncClient({ apiUrl: `http://127.0.0.1:${port}`, credential: 'hd_test', timeoutMs: 1000 }), {
      pokes: false,
      backoffBaseMs: 50,
      backoffMaxMs: 200,
      hallLink,
    });
    cleanups.push(() => engine.stop());
    const statuses: SyncStatus[] = [];
    engine.on('status', (s) => statuses.push(s));
    expect(engine.status().hall?.mode).toBe('alone');
    engine.start();
    const waitFor = async (ok: () => boolean) => {
      const until = Date.now() + 5000;
      while (!ok() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ok()).toBe(true);
    };
    await waitFor(() => hallLink.periods().length === 1);
    mesh.peers = 2;
    // The tracker polls the mesh every second and the engine passes its change on.
    await waitFor(() => statuses.some((s) => s.hall?.mode === 'mesh' && s.hall.peers === 2));
    expect(engine.status()).toMatchObject({ online: false, hall: { mode: 'mesh', peers: 2, peerPending: 0 } });
  });
});
