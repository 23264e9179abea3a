import { describe, expect, it } from 'vitest';
import { STATION_UNAUTHORISED_CLOSE_CODE, type SyncStatus } from '@hall/shared';
import { createReconnectingConnection, unauthorisedConnection, type ReconnectingSocket } from './connect';

/**
 * A stand-in for the browser's WebSocket (Node 20 has none). The real socket path is
 * covered by the kiosk's Playwright tests against the station host.
 */
class FakeSocket implements ReconnectingSocket {
  readyState = 0;
  sent: unknown[] = [];
  private handlers: Record<string, ((e: { data: unknown; code?: number }) => void)[]> = {};
  addEventListener(type: string, listener: (e: { data: unknown; code?: number }) => void): void {
    (this.handlers[type] ??= []).push(listener);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.fire('close');
  }
  fire(type: string, data?: unknown, code?: number): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const h of this.handlers[type] ?? []) h(code === undefined ? { data } : { data, code });
  }
}

const status: SyncStatus = { online: false, pending: 3, rejected: 0, oldestPendingAgeSeconds: 2, lastSyncAt: null, lastError: null, cursor: 1 };

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const connection = createReconnectingConnection({
    openSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    minDelayMs: 100,
    maxDelayMs: 400,
    setTimer: (fn, ms) => {
      const t = { fn, ms };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const runTimer = (ms: number) => {
    const i = timers.findIndex((t) => t.ms === ms);
    if (i < 0) throw new Error(`no timer of ${ms} ms among ${timers.map((t) => t.ms).join(',')}`);
    const [t] = timers.splice(i, 1);
    t?.fn();
  };
  return { connection, sockets, timers, runTimer };
}

describe('reconnecting station connection', () => {
  it('backs off exponentially, keeps listeners across reconnects and drops removed ones', () => {
    const { connection, sockets, runTimer } = harness();
    const states: string[] = [];
    connection.onState((s) => states.push(s));
    const got: number[] = [];
    const off = connection.on('sync.status', (s) => got.push(s.pending));
    sockets[0]!.fire('close');
    runTimer(100);
    sockets[1]!.fire('error');
    runTimer(200);
    sockets[2]!.fire('close');
    runTimer(400);
    sockets[3]!.fire('close');
    runTimer(400);
    sockets[4]!.fire('open');
    expect(states).toEqual(['closed', 'connecting', 'closed', 'connecting', 'closed', 'connecting', 'closed', 'connecting', 'open']);
    sockets[4]!.fire('message', JSON.stringify({ type: 'event', event: 'sync.status', data: status }));
    expect(got).toEqual([3]);
    // A malformed event never reaches the listener.
    sockets[4]!.fire('message', JSON.stringify({ type: 'event', event: 'sync.status', data: { pending: -1 } }));
    expect(got).toEqual([3]);
    off();
    sockets[4]!.fire('message', JSON.stringify({ type: 'event', event: 'sync.status', data: status }));
    expect(got).toEqual([3]);
    // After a successful open the backoff starts again from the minimum.
    sockets[4]!.fire('close');
    runTimer(100);
  });

  it('holds a call made while disconnected until the link opens, and fails it after the wait', async () => {
    const { connection, sockets, runTimer, timers } = harness();
    const pending = connection.call('sync.status', {});
    sockets[0]!.fire('open');
    await Promise.resolve();
    await Promise.resolve();
    const request = sockets[0]!.sent[0] as { id: number; method: string };
    expect(request.method).toBe('sync.status');
    sockets[0]!.fire('message', JSON.stringify({ type: 'response', id: request.id, ok: true, result: status }));
    await expect(pending).resolves.toEqual(status);

    sockets[0]!.fire('close');
    const refused = connection.call('sync.status', {});
    expect(timers.some((t) => t.ms === 5000)).toBe(true);
    runTimer(5000);
    await expect(refused).rejects.toMatchObject({ error: { code: 'unavailable' } });
  });

  it('fails calls in flight when the link drops, so no screen waits forever', async () => {
    const { connection, sockets } = harness();
    sockets[0]!.fire('open');
    const inFlight = connection.call('sync.status', {});
    await Promise.resolve();
    sockets[0]!.fire('close');
    await expect(inFlight).rejects.toMatchObject({ error: { code: 'unavailable' } });
  });

  it('stops at "unauthorised" when the station refuses the token, instead of retrying forever', async () => {
    const { connection, sockets, timers } = harness();
    const states: string[] = [];
    connection.onState((state) => states.push(state));
    // The host completes the handshake, then closes with the application code.
    sockets[0]!.fire('open');
    sockets[0]!.fire('close', undefined, STATION_UNAUTHORISED_CLOSE_CODE);
    expect(connection.state).toBe('unauthorised');
    expect(states).toEqual(['open', 'unauthorised']);
    expect(timers.filter((t) => t.ms < 5000)).toEqual([]);
    expect(sockets).toHaveLength(1);
    // An ordinary close code still means "retry".
    const other = harness();
    other.sockets[0]!.fire('close', undefined, 1006);
    expect(other.connection.state).toBe('closed');
    expect(other.timers.map((t) => t.ms)).toEqual([100]);
  });

  it('refuses every call of a page opened without a token', async () => {
    const connection = unauthorisedConnection();
    expect(connection.state).toBe('unauthorised');
    await expect(connection.call('sync.status', {})).rejects.toMatchObject({ error: { code: 'forbidden' } });
  });
});
