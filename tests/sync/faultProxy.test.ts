// The fault proxy's own evidence: the fault schedules trust it to tell a fault that acted
// from one whose phase saw no traffic, and to fire the central API's kill mid-push.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './faultProxy';

let target: http.Server;
let port = 0;

beforeAll(async () => {
  target = http.createServer((request, response) => {
    // A push answers late, so it is still in flight when the proxy's hook runs.
    setTimeout(() => response.end('ok'), request.url?.endsWith('/sync/push') ? 100 : 0);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  port = (target.address() as AddressInfo).port;
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FaultProxy evidence', () => {
  it('counts what each phase did, and nothing for a phase without traffic', async () => {
    const proxy = new FaultProxy(() => port, () => 0.5, { reconnectOnModeChange: true });
    await proxy.listen();
    try {
      const normal = proxy.setMode('normal');
      expect(await (await fetch(`${proxy.url}/a`)).text()).toBe('ok');
      expect(proxy.evidence[normal]).toBe(1);

      // The connection kept alive from the normal phase is closed, so drop acts on the next request.
      const drop = proxy.setMode('drop');
      await sleep(50);
      await expect(fetch(`${proxy.url}/b`)).rejects.toThrow();
      expect(proxy.evidence[drop]).toBeGreaterThan(0);

      const idle = proxy.setMode('delay');
      await sleep(50);
      expect(proxy.evidence[idle]).toBe(0);

      const delay = proxy.setMode('delay');
      expect(await (await fetch(`${proxy.url}/c`)).text()).toBe('ok');
      expect(proxy.evidence[delay]).toBeGreaterThan(0);
      expect(proxy.evidenceByMode()).toMatchObject({ normal: 1, delay: proxy.evidence[delay] });
    } finally {
      await proxy.close();
    }
  });

  it('runs the armed action once a push is forwarded and in flight, not for other requests', async () => {
    const proxy = new FaultProxy(() => port, () => 0.5, { reconnectOnModeChange: true });
    await proxy.listen();
    try {
      const inFlight: number[] = [];
      proxy.armOnPush(() => inFlight.push(proxy.pushesInFlight));
      await fetch(`${proxy.url}/api/v1/sync/pull`);
      expect(inFlight).toEqual([]);
      await fetch(`${proxy.url}/api/v1/sync/push`, { method: 'POST', body: '{}' });
      await fetch(`${proxy.url}/api/v1/sync/push`, { method: 'POST', body: '{}' });
      expect(inFlight).toEqual([1]);
      expect(proxy.pushesInFlight).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
