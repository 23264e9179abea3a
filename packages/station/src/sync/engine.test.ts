import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Mutation } from '@hall/shared';
import { StationCore } from '../core';
import { PushGate } from '../mesh/rules/pushGate';
import { testDeviceProver } from '../testing/deviceKey';
import { testCatalogue } from '../testing/hall';
import { SyncClient, SyncHttpError } from './client';
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

/** A central API whose poke socket opens, then stops answering pings once `hang()` is called (SIGSTOP-like). */
async function pokeServerThatHangs(): Promise<{ url: string; hang: () => void; connections: () => number }> {
  const http = createServer((_req, res) => res.end());
  let hung = false;
  let connections = 0;
  const wss = new WebSocketServer({ server: http, autoPong: false });
  wss.on('connection', (socket) => {
    connections++;
    socket.on('ping', (data) => {
      if (!hung) socket.pong(data);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    return new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(http.address() as net.AddressInfo).port}`, hang: () => (hung = true), connections: () => connections };
}

describe('sync engine loops', () => {
  it('says it is offline as soon as the central API stops answering its poke socket, without waiting for a request to time out', async () => {
    const api = await pokeServerThatHangs();
    const core = station();
    const client = new SyncClient({ apiUrl: api.url, credential: 'hd_test', timeoutMs: 60_000 });
    client.catalogue = () => Promise.resolve(testCatalogue());
    client.pull = (cursor) => Promise.resolve({ kind: 'page', entries: [], cursor, hasMore: false, head: cursor });
    client.lease = (queueId, day, count) => Promise.resolve({ queueId, day, start: 1, end: count });
    const engine = new SyncEngine(core, client, { pollIntervalMs: 60_000, pokeLivenessMs: 100 });
    cleanups.push(() => engine.stop());
    engine.start();
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => engine.status().online && api.connections() === 1, 'online with the poke socket open');
    // Answered pings keep it online.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(engine.status().online).toBe(true);
    api.hang();
    await until(() => !engine.status().online, 'offline');
    expect(engine.status().lastError).toMatch(/has not answered/);
    // The silent socket is dropped and opened again.
    await until(() => api.connections() >= 2, 'the poke socket reopened');
  });


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

/**
 * The hall's push order after an outage (HALL-MESH.md, "The server applies in the same
 * order"): counter 3 called the kiosk's ticket first, its call was lost on the way to
 * counter 1, which then called the same ticket. The rest of the hall shows counter 3's call.
 * Counter 1 has counter 3's advert (seq 2) but holds only its seq 1.
 */
describe('sync engine behind the hall mesh push gate', () => {
  const BOUND_MS = 2000;

  function counter(deviceId: string, counterId: string, now: () => number): StationCore {
    const core = StationCore.open(join(mkdtempSync(join(tmpdir(), 'engine-')), 'station.db'), { deviceId, hallId: 'hall-1', role: 'counter', counterId }, now);
    core.store.replaceCatalogue(testCatalogue());
    core.deviceProver = testDeviceProver(deviceId);
    cleanups.push(() => core.close());
    return core;
  }

  function committed(core: StationCore) {
    const own = core.store.meshVector()[0];
    return own ? core.store.meshMutationsAfter(own.deviceId, own.epoch, 0, 1000) : [];
  }

  /**
   * `advertBeforeCall`: counter 1's last advert from counter 3 predates its call (the call was
   * made just before the API returned). `returnHoldMs`: the engine's hold after the API returns.
   * `apiAway`: while true, every request fails as if the central API were unreachable.
   */
  function callLostOnTheWay(options: { advertBeforeCall?: boolean; returnHoldMs?: number; apiAway?: () => boolean } = {}) {
    const clock = { ms: Date.parse('2026-03-02T02:00:00.000Z') };
    const now = () => clock.ms;
    const kiosk = StationCore.open(join(mkdtempSync(join(tmpdir(), 'engine-')), 'station.db'), { deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk' }, now);
    kiosk.store.replaceCatalogue(testCatalogue());
    kiosk.deviceProver = testDeviceProver('kiosk-1');
    cleanups.push(() => kiosk.close());
    const c1 = counter('counter-c1', 'c1', now);
    const c3 = counter('counter-c3', 'c3', now);
    kiosk.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 1, end: 10 });
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    for (const c of [c1, c3]) {
      c.store.receivePeerMutations(committed(kiosk));
      c.counterCommand('openCounter');
    }
    c1.store.receivePeerMutations(committed(c3));
    const gate = new PushGate('counter-c1', BOUND_MS);
    if (options.advertBeforeCall) gate.heardAdvert('counter-c3', c1.store.meshVector(), { vector: c3.store.meshVector() }, now());
    clock.ms += 10;
    const c3Call = c3.callNext();
    expect(c3Call?.id).toBe(ticket.id);
    const c3CallMutation = committed(c3).at(-1);
    if (!c3CallMutation) throw new Error('counter 3 call');
    clock.ms += 10;
    expect(c1.callNext()?.id).toBe(ticket.id);
    const c1CallMutation = committed(c1).at(-1);
    if (!c1CallMutation) throw new Error('counter 1 call');
    kiosk.store.receivePeerMutations([...committed(c1), ...committed(c3)]);
    expect(kiosk.store.live.queue.tickets[ticket.id]?.counterId).toBe('c3');

    // Counter 1's mesh node heard counter 3's advert: seq 2 of counter 3, which it lacks.
    const advertCall = () => gate.heardAdvert('counter-c3', c1.store.meshVector(), { vector: c3.store.meshVector() }, now());
    if (!options.advertBeforeCall) advertCall();
    let holdsAsked = 0;
    const pushes: Mutation[][] = [];
    const client = new SyncClient({ apiUrl: 'http://127.0.0.1:9', credential: 'hd_test' });
    const away = () => Promise.reject(new SyncHttpError(503, 'unavailable', 'central API unreachable'));
    client.catalogue = () => (options.apiAway?.() ? away() : Promise.resolve(testCatalogue()));
    client.pull = (cursor) => (options.apiAway?.() ? away() : Promise.resolve({ kind: 'page', entries: [], cursor, hasMore: false, head: cursor }));
    let logSeq = 0;
    let pushesTried = 0;
    client.push = (_epoch, batch) => {
      pushesTried++;
      if (options.apiAway?.()) return away();
      pushes.push(batch);
      return Promise.resolve({ results: batch.map((m) => ({ id: m.id, seq: m.seq, deviceId: m.deviceId, epoch: m.epoch, status: 'applied' as const, logSeq: ++logSeq })), lastSeq: 0 });
    };
    // Relaying at once: counter 1 pushes the hall's whole order as it holds it.
    const engine = new SyncEngine(c1, client, {
      pokes: false,
      pollIntervalMs: 20,
      relayAfterMs: 0,
      now,
      pushHold: () => {
        holdsAsked++;
        return gate.holdMs(c1.store.meshVector(), now());
      },
      returnHold: () => options.returnHoldMs ?? 0,
    });
    cleanups.push(() => engine.stop());
    return { clock, c1, c3, c3CallMutation, c1CallMutation, engine, pushes, holdsAsked: () => holdsAsked, advertCall, pushesTried: () => pushesTried };
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('holds counter 1\'s push until it holds counter 3\'s earlier call, then pushes that call first', async () => {
    const { c1, c3, c3CallMutation, c1CallMutation, engine, pushes, holdsAsked } = callLostOnTheWay();
    engine.start();
    await until(() => holdsAsked() >= 3 || pushes.length > 0, 'the push gate asked');
    expect(pushes).toEqual([]);
    // Anti-entropy brings counter 3's call.
    c1.store.receivePeerMutations(committed(c3));
    await until(() => pushes.flat().some((m) => m.id === c1CallMutation.id), 'counter 1 call pushed');
    const order = pushes.flat().map((m) => m.id);
    expect(order).toContain(c3CallMutation.id);
    expect(order.indexOf(c3CallMutation.id)).toBeLessThan(order.indexOf(c1CallMutation.id));
  });

  it('holds its first push after the API returns, so a call no advert showed yet still goes first', async () => {
    let apiAway = true;
    const { clock, c1, c3, c3CallMutation, c1CallMutation, engine, pushes, holdsAsked, advertCall, pushesTried } = callLostOnTheWay({
      advertBeforeCall: true,
      returnHoldMs: BOUND_MS,
      apiAway: () => apiAway,
    });
    engine.start();
    await until(() => engine.status().lastError !== null, 'the API found away');
    // The API away: nothing is pushed, not even tried (the download loop looks for it).
    expect(pushesTried()).toBe(0);
    apiAway = false;
    await until(() => engine.status().online, 'the API found again');
    const asked = holdsAsked();
    await until(() => holdsAsked() >= asked + 3 || pushes.length > 0, 'the hold asked');
    expect(pushes).toEqual([]);
    // Within the hold, counter 3's next advert shows its call; the push gate holds on until it arrives.
    clock.ms += BOUND_MS / 2;
    advertCall();
    clock.ms += BOUND_MS / 2;
    const later = holdsAsked();
    await until(() => holdsAsked() >= later + 3 || pushes.length > 0, 'the gate asked');
    expect(pushes).toEqual([]);
    c1.store.receivePeerMutations(committed(c3));
    await until(() => pushes.flat().some((m) => m.id === c1CallMutation.id), 'counter 1 call pushed');
    const order = pushes.flat().map((m) => m.id);
    expect(order.indexOf(c3CallMutation.id)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(c3CallMutation.id)).toBeLessThan(order.indexOf(c1CallMutation.id));
  });

  it('without that hold, pushes its own later call first (the window the hold closes)', async () => {
    const { c1CallMutation, c3CallMutation, engine, pushes } = callLostOnTheWay({ advertBeforeCall: true });
    engine.start();
    await until(() => pushes.flat().some((m) => m.id === c1CallMutation.id), 'counter 1 call pushed');
    expect(pushes.flat().map((m) => m.id)).not.toContain(c3CallMutation.id);
  });

  it('pushes anyway once the bound passes and the gap was never filled', async () => {
    const { clock, c3CallMutation, c1CallMutation, engine, pushes, holdsAsked } = callLostOnTheWay();
    engine.start();
    await until(() => holdsAsked() >= 3 || pushes.length > 0, 'the push gate asked');
    expect(pushes).toEqual([]);
    clock.ms += BOUND_MS;
    await until(() => pushes.flat().some((m) => m.id === c1CallMutation.id), 'counter 1 call pushed');
    expect(pushes.flat().map((m) => m.id)).not.toContain(c3CallMutation.id);
  });
});

/**
 * Midnight in a hall whose clocks differ by minutes (found by the mesh fault schedules, seed
 * 1327542516, in a run at 00:05 Shanghai time): a kiosk ten minutes slow issued a ticket
 * "yesterday", the server decided it, and a counter also still in yesterday called it while
 * the API was away. A counter restarted meanwhile, its clock already in the new day, ran
 * retention as it started, before it heard that call.
 */
describe('sync engine retention at the turn of the hall day', () => {
  const at = (iso: string) => {
    const ms = Date.parse(iso);
    return () => ms;
  };
  const open = (deviceId: string, role: 'kiosk' | 'counter' | 'display', now: () => number, counterId?: string) => {
    const core = StationCore.open(join(mkdtempSync(join(tmpdir(), 'engine-')), 'station.db'), { deviceId, hallId: 'hall-1', role, ...(counterId ? { counterId } : {}) }, now);
    core.store.replaceCatalogue(testCatalogue());
    cleanups.push(() => core.close());
    return core;
  };

  it('keeps yesterday\'s tickets by default, as the central API does, so a call a peer makes on one replays the same everywhere', async () => {
    const kiosk = open('kiosk-1', 'kiosk', at('2026-03-02T15:58:00.000Z'));
    const c2 = open('counter-c2', 'counter', at('2026-03-02T15:59:00.000Z'), 'c2');
    const c3Now = at('2026-03-02T16:08:00.000Z');
    const c3 = open('counter-c3', 'counter', c3Now, 'c3');
    const display = open('display-1', 'display', at('2026-03-02T15:52:00.000Z'));
    kiosk.store.addNumberBlock({ queueId: 'qA', day: '2026-03-02', start: 1, end: 10 });
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const issued = kiosk.store.outbox()[0]!;
    // The server decided the ticket before the outage; every station pulled it.
    for (const core of [c2, c3, display]) {
      core.store.applyPage([{ seq: 1, change: { entity: 'ticket', id: ticket.id, data: ticket }, origin: { mutationId: issued.id, deviceId: 'kiosk-1', epoch: kiosk.store.epoch, seq: 1 }, at: issued.createdAt }], 1);
    }
    c2.counterCommand('openCounter');
    expect(c2.callNext()?.id).toBe(ticket.id);
    const own = c2.store.meshVector()[0]!;
    const c2Work = c2.store.meshMutationsAfter(own.deviceId, own.epoch, 0, 100);

    // Counter 3 starts with the central API away: its first download step fails and runs retention.
    const client = new SyncClient({ apiUrl: 'http://127.0.0.1:9', credential: 'hd_test' });
    client.catalogue = () => Promise.reject(new SyncHttpError(503, 'unavailable', 'central API unreachable'));
    client.pull = () => Promise.reject(new SyncHttpError(503, 'unavailable', 'central API unreachable'));
    const engine = new SyncEngine(c3, client, { pokes: false, pollIntervalMs: 60_000, catalogueRefreshMs: 0, now: c3Now });
    cleanups.push(() => engine.stop());
    engine.start();
    const deadline = Date.now() + 5000;
    while (!engine.status().lastError) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the first download step');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(c3.store.base.queue.tickets[ticket.id]).toBeDefined();

    for (const core of [c3, display]) core.store.receivePeerMutations(c2Work);
    const shown = (core: StationCore) => core.store.live.queue.tickets[ticket.id];
    expect(shown(display)).toMatchObject({ status: 'called', counterId: 'c2' });
    expect(shown(c3)).toEqual(shown(display));
  });
});
