import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSocketBridge, StationCallError, type StationApiHandlers, type SyncStatus } from '@hall/shared';
import { StationApiError } from './dispatch';
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

function connect(host: StationHost, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${STATION_API_PATH}`, { origin });
    ws.once('open', () => resolve(ws));
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
      throw new StationApiError({ code: 'rejected', reason: 'daily_cap', message: 'no more tickets today' });
    }
    // Deliberately malformed: the host must refuse to pass it on.
    return { id: 'x' } as never;
  },
};

describe('browser-mode station host', () => {
  it('binds to loopback and serves the renderer without escaping its directory', async () => {
    host = await startStationHost({ role: 'kiosk', handlers, rendererDir: rendererDir() });
    expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
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

  it('refuses WebSocket connections from foreign origins', async () => {
    host = await startStationHost({ role: 'kiosk', handlers });
    await expect(connect(host, 'http://evil.example')).rejects.toThrow(/403/);
    const ws = await connect(host, host.url);
    sockets.push(ws);
    expect(ws.readyState).toBe(WebSocket.OPEN);
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
    const a = createSocketBridge(await connect(host, host.url).then((ws) => (sockets.push(ws), ws)));
    const b = createSocketBridge(await connect(host, host.url).then((ws) => (sockets.push(ws), ws)));
    const got = (bridge: typeof a) =>
      new Promise<unknown>((resolve) => {
        bridge.on('ticket.called', resolve);
      });
    const [ea, eb] = [got(a), got(b)];
    const called = { ticketId: 't1', ticketNumber: 'A001', counterId: 'c3', counterNumber: '3', kind: 'call' as const };
    host.emit('ticket.called', called);
    expect(await ea).toEqual(called);
    expect(await eb).toEqual(called);
    expect(() => host?.emit('ticket.called', { ...called, kind: 'shout' } as never)).toThrow(/schema/);
  });
});
