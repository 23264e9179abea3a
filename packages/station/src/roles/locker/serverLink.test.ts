import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Board8aController, LockBusSimulator } from '@hall/devices';
import { openPtyHarness } from '@hall/devices/testing';
import { LOCKER_PATHS } from '@hall/shared';
import { LockerServerLink, type LinkTimers } from './serverLink';
import { LockerStation } from './station';
import { TestCodeIssuer } from './testing';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real HTTP central API stand-in whose key endpoint answers 503 until told to answer. */
async function keyServer(): Promise<{ url: string; answering: { value: boolean }; requests: () => number }> {
  const issuer = new TestCodeIssuer();
  const answering = { value: false };
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (answering.value && request.url === LOCKER_PATHS.keys) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.keySet()));
      return;
    }
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, answering, requests: () => requests };
}

/** Timers the test fires by hand: each round's "next round in N ms" lands here instead of on the clock. */
class HandTimers implements LinkTimers {
  readonly delays: number[] = [];
  #pending: (() => void) | undefined;
  #waiting: ((ms: number) => void) | undefined;
  set(run: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.#pending = run;
    this.#waiting?.(ms);
    this.#waiting = undefined;
    return run;
  }
  clear(handle: unknown): void {
    if (handle === this.#pending) this.#pending = undefined;
  }
  /** The delay the link asks for once its current round ends. */
  nextSet(): Promise<number> {
    return new Promise((resolve) => (this.#waiting = resolve));
  }
  /** Runs the scheduled round now and returns the delay it asks for next. */
  async fire(): Promise<number> {
    const run = this.#pending;
    if (!run) throw new Error('no round scheduled');
    this.#pending = undefined;
    const next = this.nextSet();
    run();
    return next;
  }
}

async function lockerStation(): Promise<LockerStation> {
  const bus = await openPtyHarness({ baudRate: 9600 });
  closers.push(() => bus.close());
  new LockBusSimulator(bus.device, { protocol: { kind: '8a80' }, boards: { 1: 2 } }).start();
  const controller = new Board8aController({ link: bus.host, timeoutMs: 400, openGapMs: 10 });
  controller.start();
  closers.push(() => controller.close());
  const station = new LockerStation({ file: ':memory:', hallId: 'hall-1', layout: { compartments: [{ id: 'A01', board: 1, lock: 1, size: 'small' }] }, controller });
  await station.start();
  closers.push(() => station.stop());
  return station;
}

describe("the locker's link to the central API", () => {
  it('backs off exponentially with jitter while the API fails, caps the wait, and returns to the interval after a success', async () => {
    const api = await keyServer();
    const station = await lockerStation();
    const timers = new HandTimers();
    let jitter = 1;
    const link = new LockerServerLink(station, { baseUrl: api.url, headers: () => ({}), intervalMs: 1000, backoffMaxMs: 8000, random: () => jitter, timers });
    closers.push(() => link.stop());

    const first = timers.nextSet();
    link.start();
    // Interval 1 s: the first retry within one interval, then doubling up to the 8 s cap.
    expect(await first).toBe(1000);
    expect(station.status().online).toBe(false);
    expect(await timers.fire()).toBe(2000);
    expect(await timers.fire()).toBe(4000);
    expect(await timers.fire()).toBe(8000);
    expect(await timers.fire()).toBe(8000);
    // The jitter spreads each wait over its upper half: lockers that lost the API together do not return together.
    jitter = 0;
    expect(await timers.fire()).toBe(4000);
    expect(api.requests()).toBe(6);

    api.answering.value = true;
    expect(await timers.fire()).toBe(1000);
    expect(station.status().online).toBe(true);
    expect(link.lastError).toBeUndefined();

    // Reset on success: the next outage starts again from the first step.
    api.answering.value = false;
    jitter = 1;
    expect(await timers.fire()).toBe(1000);
    expect(await timers.fire()).toBe(2000);
    expect(station.status().online).toBe(false);
  });

  it('stops asking for rounds once stopped', async () => {
    const api = await keyServer();
    const station = await lockerStation();
    const timers = new HandTimers();
    const link = new LockerServerLink(station, { baseUrl: api.url, headers: () => ({}), intervalMs: 1000, random: () => 1, timers });
    const first = timers.nextSet();
    link.start();
    await first;
    await link.stop();
    const before = api.requests();
    await link.round();
    expect(api.requests()).toBe(before);
    expect(timers.delays).toEqual([1000]);
  });
});
