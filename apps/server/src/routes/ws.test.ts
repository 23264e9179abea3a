import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

/** Collects a socket's JSON messages so a test can await the next one. */
function messages(socket: WebSocket) {
  const queue: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as unknown;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  return {
    next: () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const ready = queue.shift();
        if (ready !== undefined) return resolve(ready as Record<string, unknown>);
        socket.once('close', () => reject(new Error('socket closed')));
        waiters.push(resolve as (m: unknown) => void);
      }),
  };
}

describe.each(BACKENDS)('over a real socket on %s', (dialect) => {
  let server: TestServer;
  let base = '';
  const sockets: WebSocket[] = [];
  const connect = (token?: string) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    sockets.push(socket);
    // Refused upgrades end in an error event by design; the assertions check the outcome.
    socket.on('error', () => {});
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server.dispose();
  });

  it('serves health and login over HTTP', async () => {
    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBeTruthy();
    expect(await health.json()).toMatchObject({ status: 'ok', db: { dialect } });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 't1-clerk', password: FIXTURE_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { principal: { id: string } }).principal.id).toBe('t1-clerk');
  });

  it('refuses an unauthenticated WebSocket upgrade with 401', async () => {
    for (const token of [undefined, 'hs_not-a-session']) {
      const socket = connect(token);
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
      expect(response.statusCode).toBe(401);
    }
    const forged = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, ['hall.v1', 'bearer.hs_forged']);
    sockets.push(forged);
    forged.on('error', () => {});
    const [, response] = (await once(forged, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(401);
  });

  it('greets, answers pings, rejects junk and delivers pokes only to the right hall', async () => {
    const tokens = [await server.login('t1-clerk'), await server.login('t2-clerk'), await server.login('city-admin')];
    // Collectors attach synchronously with each socket, so no early message is missed.
    const [hall1, hall2, city] = tokens.map((token) => connect(token)) as [WebSocket, WebSocket, WebSocket];
    const [m1, m2, mc] = [messages(hall1), messages(hall2), messages(city)];
    expect(await m1.next()).toMatchObject({ type: 'hello', principal: { kind: 'staff', id: 't1-clerk', hallId: 't1-hall' } });
    expect(await m2.next()).toMatchObject({ type: 'hello', principal: { hallId: 't2-hall' } });
    expect(await mc.next()).toMatchObject({ type: 'hello', principal: { hallId: null } });

    hall1.send(JSON.stringify({ type: 'ping' }));
    expect(await m1.next()).toMatchObject({ type: 'pong' });
    hall1.send('not json');
    expect(await m1.next()).toMatchObject({ type: 'error', code: 'malformed_message' });
    hall1.send(JSON.stringify({ type: 'launch-missiles' }));
    expect(await m1.next()).toMatchObject({ type: 'error', code: 'unknown_message' });
    hall1.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
    expect(await m1.next()).toMatchObject({ type: 'error', code: 'unsupported_message' });

    expect(server.app.hall.hub.connectionCount()).toBe(3);
    expect(server.app.hall.hub.poke('t2-hall', 'queue')).toBe(2);
    expect(await m2.next()).toMatchObject({ type: 'poke', hallId: 't2-hall', topic: 'queue' });
    expect(await mc.next()).toMatchObject({ type: 'poke', hallId: 't2-hall' });
    // Hall 1 heard nothing: its next message is the pong to this ping.
    hall1.send(JSON.stringify({ type: 'ping' }));
    expect(await m1.next()).toMatchObject({ type: 'pong' });

    // A browser authenticates by subprotocol and must get `hall.v1` selected back.
    const browser = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, ['hall.v1', `bearer.${tokens[0]}`]);
    sockets.push(browser);
    const mb = messages(browser);
    expect(await mb.next()).toMatchObject({ type: 'hello', principal: { id: 't1-clerk' } });
    expect(browser.protocol).toBe('hall.v1');
    expect(server.app.hall.hub.poke('t1-hall', 'catalogue')).toBe(3);
    expect(await mb.next()).toMatchObject({ type: 'poke', topic: 'catalogue' });

    hall2.close();
    await once(hall2, 'close');
    await expect.poll(() => server.app.hall.hub.connectionCount('t2-hall')).toBe(0);
  });
});
