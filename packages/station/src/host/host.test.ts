import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createSocketBridge,
  LocalRejection,
  STATION_TOKEN_PROTOCOL_PREFIX,
  STATION_UNAUTHORISED_CLOSE_CODE,
  STATION_WS_PROTOCOL,
  StationCallError,
  tokenFromFragment,
  type StationApiHandlers,
  type SyncStatus,
} from '@hall/shared';
import { STATION_API_PATH, startStationHost, type StationHost } from './host';

const status: SyncStatus = {
  online: true,
  pending: 2,
  rejected: 0,
  oldestPendingAgeSeconds: 1.5,
  lastSyncAt: null,
  lastError: null,
  cursor: 7,
};

function rendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'secret');
  return dir;
}

function get(port: number, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The token the host put in its page URL, as a page would read it. */
function pageToken(host: StationHost): string {
  const token = tokenFromFragment(new URL(host.url).hash);
  if (!token) throw new Error(`no token in ${host.url}`);
  return token;
}

/** Opens the station socket as a page would: the protocol plus `token.<token>` (none when undefined). */
function openSocket(host: StationHost, origin: string, token: string | undefined): WebSocket {
  const protocols = token === undefined ? [STATION_WS_PROTOCOL] : [STATION_WS_PROTOCOL, `${STATION_TOKEN_PROTOCOL_PREFIX}${token}`];
  return new WebSocket(`ws://127.0.0.1:${host.port}${STATION_API_PATH}`, protocols, { origin });
}

function connect(host: StationHost, origin: string, token: string | undefined = pageToken(host)): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = openSocket(host, origin, token);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * What a page with a missing or wrong token gets: the close code and reason, and no answer
 * to the request it sends meanwhile (a reply would arrive before the close frame).
 */
function refusal(host: StationHost, token: string | undefined): Promise<{ code: number; reason: string; answered: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = openSocket(host, host.origin, token);
    let answered = false;
    ws.once('open', () => ws.send(JSON.stringify({ type: 'request', id: 1, method: 'station.info', params: {} })));
    ws.on('message', () => (answered = true));
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), answered }));
    ws.once('error', reject);
  });
}

let host: StationHost | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await host?.close();
  host = undefined;
});

const handlers: StationApiHandlers = {
  'station.info': () => ({ deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk', apiVersion: 1 }),
  'sync.status': () => status,
  'ticket.issue': (params) => {
    if (params.serviceIds.includes('closed')) {
      throw new LocalRejection('daily_cap', 'no more tickets today');
    }
    // Deliberately malformed: the host must refuse to pass it on.
    return { id: 'x' } as never;
  },
};

describe('browser-mode station host', () => {
  it('binds to loopback and serves the renderer without escaping its directory', async () => {
    host = await startStationHost({ role: 'kiosk', handlers, rendererDir: rendererDir() });
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    // Static files need no token: they hold no data.
    const index = await get(host.port, '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('<title>kiosk</title>');
    expect((await get(host.port, '/assets/app.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(host.port, '/queue/today')).body).toContain('<title>kiosk</title>');
    expect((await get(host.port, '/assets/missing.js')).status).toBe(404);
    const escape = await get(host.port, '/%2e%2e/secret.txt');
    expect(escape.body).not.toContain('secret');
    expect([403, 404]).toContain(escape.status);
  });

  it('puts a fresh 256-bit token in the page URL fragment on every launch', async () => {
    host = await startStationHost({ role: 'kiosk', handlers });
    const first = pageToken(host);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${first}`);
    expect(host.pageUrl('/rating')).toBe(`http://127.0.0.1:${host.port}/rating#token=${first}`);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    await host.close();
    host = await startStationHost({ role: 'kiosk', handlers });
    expect(pageToken(host)).not.toBe(first);
  });

  it('refuses WebSocket connections from foreign origins, even with the right token', async () => {
    host = await startStationHost({ role: 'kiosk', handlers });
    await expect(connect(host, 'http://evil.example')).rejects.toThrow(/403/);
    // A DNS-rebinding page: its own name for this host's address, so its own Origin.
    await expect(connect(host, `http://rebound.example:${host.port}`)).rejects.toThrow(/403/);
    const ws = await connect(host, host.origin);
    sockets.push(ws);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(ws.protocol).toBe(STATION_WS_PROTOCOL);
  });

  it('closes a socket without the token or with a wrong one before reading anything from it', async () => {
    host = await startStationHost({ role: 'kiosk', handlers });
    const expected = { code: STATION_UNAUTHORISED_CLOSE_CODE, reason: 'station token missing or wrong', answered: false };
    expect(await refusal(host, undefined)).toEqual(expected);
    const right = pageToken(host);
    const wrong = (right.startsWith('A') ? 'B' : 'A') + right.slice(1);
    expect(await refusal(host, wrong)).toEqual(expected);
    expect(await refusal(host, right.slice(0, -1))).toEqual(expected);
  });

  it('takes a configured stable token instead of a fresh one', async () => {
    const token = 'stable-token-for-a-kiosk-service_0123456789';
    host = await startStationHost({ role: 'kiosk', handlers, token });
    expect(pageToken(host)).toBe(token);
    sockets.push(await connect(host, host.origin, token));
  });

  it('refuses a bind beyond loopback unless allowRemote says so, and still wants the token then', async () => {
    for (const bind of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(startStationHost({ role: 'kiosk', handlers, bind })).rejects.toThrow(/not a loopback address.*allowRemote/);
    }
    host = await startStationHost({ role: 'kiosk', handlers, bind: '0.0.0.0', allowRemote: true });
    expect(host.url).toMatch(new RegExp(`^http://0\\.0\\.0\\.0:${host.port}/#token=`));
    expect((await refusal(host, undefined)).code).toBe(STATION_UNAUTHORISED_CLOSE_CODE);
    sockets.push(await connect(host, `http://127.0.0.1:${host.port}`));
  });

  it('answers calls validated both ways and enforces the role', async () => {
    host = await startStationHost({ role: 'kiosk', handlers });
    const ws = await connect(host, `http://localhost:${host.port}`);
    sockets.push(ws);
    const bridge = createSocketBridge(ws);

    expect(await bridge.call('station.info', {})).toEqual({ deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk', apiVersion: 1 });
    expect(await bridge.call('sync.status', {})).toEqual(status);

    const failure = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StationCallError);
      return (error as StationCallError).error;
    };
    expect(await failure(bridge.call('counter.callNext', {}))).toMatchObject({ code: 'forbidden' });
    // A refusal comes back as the type the station threw.
    await expect(bridge.call('ticket.issue', { serviceIds: ['closed'] })).rejects.toBeInstanceOf(LocalRejection);
    expect(await failure(bridge.call('ticket.issue', { serviceIds: ['closed'] }))).toEqual({
      code: 'rejected',
      reason: 'daily_cap',
      message: 'no more tickets today',
    });
    expect(await failure(bridge.call('ticket.issue', { serviceIds: ['s1'] }))).toMatchObject({ code: 'internal' });
    // The client validates before sending …
    expect(await failure(bridge.call('ticket.issue', { serviceIds: [] }))).toMatchObject({ code: 'bad_request' });
    // … and the host validates what arrives, whoever sent it.
    const raw = await new Promise<unknown>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'request', id: 'r1', method: 'ticket.issue', params: { serviceIds: 'A' } }));
    });
    expect(raw).toMatchObject({ id: 'r1', ok: false, error: { code: 'bad_request', message: expect.stringMatching(/serviceIds/) } });
    const unknown = await new Promise<unknown>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'request', id: 2, method: 'fs.readFile', params: {} }));
    });
    expect(unknown).toMatchObject({ id: 2, ok: false, error: { code: 'unknown_method' } });
  });

  it('pushes schema-checked events to every connected renderer', async () => {
    host = await startStationHost({ role: 'display', handlers });
    const a = createSocketBridge(await connect(host, host.origin).then((ws) => (sockets.push(ws), ws)));
    const b = createSocketBridge(await connect(host, host.origin).then((ws) => (sockets.push(ws), ws)));
    const got = (bridge: typeof a) =>
      new Promise<unknown>((resolve) => {
        bridge.on('callpad.action', resolve);
      });
    const [ea, eb] = [got(a), got(b)];
    const pressed = { action: 'next' as const };
    host.emit('callpad.action', pressed);
    expect(await ea).toEqual(pressed);
    expect(await eb).toEqual(pressed);
    expect(() => host?.emit('callpad.action', { action: 'shout' } as never)).toThrow(/schema/);
  });
});
