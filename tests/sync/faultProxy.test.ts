// The fault proxy's own evidence: the fault schedules trust it to tell a fault that acted
// from one whose phase saw no traffic, and to fire the central API's kill mid-push.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
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
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check() && Date.now() < deadline) await sleep(5);
}

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

  it('duplicate: the server sees the request twice, and each answer still reaches its own request', async () => {
    const seen: string[] = [];
    const echo = http.createServer((request, response) => {
      seen.push(request.url ?? '');
      // Answers late, as a database-backed handler does: the client is free to send its next request first.
      setTimeout(() => response.end(request.url), 30);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const proxy = new FaultProxy(() => (echo.address() as AddressInfo).port, () => 0.5);
    await proxy.listen();
    try {
      const phase = proxy.setMode('duplicate');
      // One kept-alive connection, as the stations' HTTP client keeps: the next request goes
      // out as soon as an answer is read, so a surplus answer would be read as the next one's.
      const socket = net.connect(proxy.port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const request = (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nhost: hall\r\nconnection: keep-alive\r\n\r\n`);
      const bodies = () => received.split('HTTP/1.1 ').slice(1).map((response) => response.slice(response.indexOf('\r\n\r\n') + 4));
      request('/pull?cursor=1');
      await until(() => bodies().length >= 1);
      request('/pull?cursor=2');
      await until(() => bodies().length >= 2);
      await sleep(150);
      socket.destroy();
      expect(bodies()).toEqual(['/pull?cursor=1', '/pull?cursor=2']);
      expect(seen.filter((url) => url === '/pull?cursor=1')).toHaveLength(2);
      expect(proxy.evidence[phase]).toBeGreaterThan(0);
    } finally {
      await proxy.close();
      echo.closeAllConnections();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });
});
