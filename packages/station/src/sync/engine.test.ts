import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StationCore } from '../core';
import { testCatalogue } from '../testing/hall';
import { SyncClient } from './client';
import { SyncEngine } from './engine';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server that accepts connections and never answers: a half-dead central API. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as net.AddressInfo).port;
}

function station(): StationCore {
  const core = StationCore.open(join(mkdtempSync(join(tmpdir(), 'engine-')), 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' });
  core.store.replaceCatalogue(testCatalogue());
  cleanups.push(() => core.close());
  return core;
}

describe('sync engine loops', () => {
  it('lets the watchdog abort a hung step and keeps both loops independent', async () => {
    const port = await silentServer();
    const core = station();
    core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 5 });
    // Requests would wait a minute for their own timeout; the watchdog must act first.
    const client = new SyncClient({ apiUrl: `http://127.0.0.1:${port}`, credential: 'hd_test', timeoutMs: 60_000 });
    const engine = new SyncEngine(core, client, { stallMs: 200, backoffBaseMs: 20, backoffMaxMs: 100, pollIntervalMs: 50, pokes: false });
    cleanups.push(() => engine.stop());
    const stalled: string[] = [];
    engine.on('stalled', (loop) => stalled.push(loop));
    core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    engine.start();
    const until = Date.now() + 5000;
    while (Date.now() < until && !(stalled.includes('upload') && stalled.includes('download'))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stalled).toContain('upload');
    expect(stalled).toContain('download');
    const status = engine.status();
    expect(status.pending).toBe(1);
    expect(status.lastError).toMatch(/stalled/);
    expect(status.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    // The station keeps working while sync is stuck.
    expect(core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' }).number).toBe('A002');
  });

  it('reports offline with the error and backs off exponentially with jitter', async () => {
    const core = station();
    const client = new SyncClient({ apiUrl: 'http://127.0.0.1:9', credential: 'hd_test', timeoutMs: 1000 });
    const attempts: number[] = [];
    const original = client.catalogue.bind(client);
    client.catalogue = (signal) => {
      attempts.push(performance.now());
      return original(signal);
    };
    const engine = new SyncEngine(core, client, { backoffBaseMs: 100, backoffMaxMs: 400, pollIntervalMs: 10, pokes: false, random: () => 0.5 });
    cleanups.push(() => engine.stop());
    engine.start();
    while (attempts.length < 4) await new Promise((resolve) => setTimeout(resolve, 20));
    const status = engine.status();
    expect(status.online).toBe(false);
    expect(status.lastError).toMatch(/network error/);
    // Waits of half the cap plus the jittered half (random 0.5): 150, 300, 300 ms at least.
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(145);
    expect(gaps[1]).toBeGreaterThanOrEqual(295);
    expect(gaps[2]).toBeGreaterThanOrEqual(295);
  });
});
