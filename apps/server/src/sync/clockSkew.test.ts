import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type Ticket,
  localDay,
} from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { checkMutationTime, MAX_OFFLINE_AGE_MS, onlineQueueStamp, ONLINE_PUSH_WINDOW_MS } from './clockSkew';
import { proven, signInClerk } from '../testing/clerk';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T = Date.parse('2026-03-10T02:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('mutation time bounds', () => {
  const device = { createdAtMs: T - 30 * DAY, offsetMs: 0 };

  it('refuses times too far ahead, as before', () => {
    expect(checkMutationTime(iso(T + 14 * MINUTE), T, device)).toBeUndefined();
    expect(checkMutationTime(iso(T + 16 * MINUTE), T, device)).toMatchObject({ code: 'clock_skew', reason: expect.stringContaining('ahead') });
  });

  it('takes offline work days old, up to the longest supported outage, and no older', () => {
    expect(checkMutationTime(iso(T - 3 * DAY), T, device)).toBeUndefined();
    expect(checkMutationTime(iso(T - MAX_OFFLINE_AGE_MS + MINUTE), T, device)).toBeUndefined();
    expect(checkMutationTime(iso(T - MAX_OFFLINE_AGE_MS - MINUTE), T, device)).toMatchObject({ code: 'clock_skew', reason: expect.stringContaining('7 days') });
  });

  it('refuses a time from before the device was registered, beyond the skew tolerance', () => {
    const fresh = { createdAtMs: T - MINUTE, offsetMs: 0 };
    expect(checkMutationTime(iso(T - 10 * MINUTE), T, fresh)).toBeUndefined();
    expect(checkMutationTime(iso(T - 20 * MINUTE), T, fresh)).toMatchObject({ code: 'clock_skew', reason: expect.stringContaining('registered') });
  });

  it('judges "before registration" by the server clock when the station is measured slow', () => {
    // A kiosk 20 hours slow, registered a minute ago: its work is from now, not yesterday.
    const slow = { createdAtMs: T - MINUTE, offsetMs: 20 * 3600_000 };
    expect(checkMutationTime(iso(T - 20 * 3600_000), T, slow)).toBeUndefined();
    expect(checkMutationTime(iso(T - 21 * 3600_000), T, slow)).toMatchObject({ code: 'clock_skew' });
  });
});

describe('queue time of a ticket', () => {
  it('an online push queues by the server clock: the station time corrected by its offset, never after receipt', () => {
    // Kiosk 5 minutes fast (offset -5 min), issued 2 s before the server got it.
    expect(onlineQueueStamp(iso(T + 5 * MINUTE - 2_000), T, { createdAtMs: 0, offsetMs: -5 * MINUTE })).toBe(iso(T - 2_000));
    // Offset not measured yet: a time ahead of the server is clamped to the receipt.
    expect(onlineQueueStamp(iso(T + 5 * MINUTE), T, undefined)).toBe(iso(T));
  });

  it('offline work (older than the online window by the corrected clock) keeps the hall time', () => {
    expect(onlineQueueStamp(iso(T - ONLINE_PUSH_WINDOW_MS - 1), T, { createdAtMs: 0, offsetMs: 0 })).toBeUndefined();
    expect(onlineQueueStamp(iso(T - 3 * 3600_000), T, { createdAtMs: 0, offsetMs: -5 * MINUTE })).toBeUndefined();
  });
});

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

describe.each(BACKENDS)('station clocks at the central API on %s', (dialect) => {
  let server: TestServer;
  /** The server's clock: tests move it to register a device days before it pushes. */
  let serverNow = Date.now();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(serverNow) });
  });
  afterAll(async () => server?.dispose());

  async function enroll(id: string, role: 'kiosk' | 'counter', counterId?: string): Promise<string> {
    const manager = await server.login('t1-manager');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: id, ...(counterId ? { counterId } : {}) } });
    expect(created.statusCode, created.body).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    return enrolled.json().credential as string;
  }

  function mutation(deviceId: string, seq: number, type: Mutation['type'], payload: Record<string, unknown>): Mutation {
    return { id: uuidV7(Date.now(), randomBytes(10)), deviceId, epoch: 'e1', seq, type, payload, hlc: `h-${seq}` };
  }

  async function push(credential: string, mutations: Mutation[], offsetMs?: number): Promise<PushResponse> {
    const headers = { ...versions, ...bearer(credential), ...(offsetMs === undefined ? {} : { [SYNC_HEADERS.clockOffset]: String(offsetMs) }) };
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers, payload: { epoch: 'e1', mutations } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  it('answers with its clock and keeps the offset each station reports on its device row for the console', async () => {
    serverNow = Date.now();
    const credential = await enroll('skew-kiosk-1', 'kiosk');
    const pulled = await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1', headers: { ...versions, ...bearer(credential), [SYNC_HEADERS.clockOffset]: '-300250' } });
    expect(pulled.statusCode).toBe(200);
    expect(Number(pulled.headers[SYNC_HEADERS.serverTime])).toBe(serverNow);
    // A header that is no number is ignored, not stored.
    await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1', headers: { ...versions, ...bearer(credential), [SYNC_HEADERS.clockOffset]: 'soon' } });
    const manager = await server.login('t1-manager');
    const listed = await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/devices', headers: bearer(manager) });
    const device = (listed.json() as { devices: { id: string; clockOffsetMs: number | null; clockOffsetAt: string | null }[] }).devices.find((d) => d.id === 'skew-kiosk-1');
    expect(device).toMatchObject({ clockOffsetMs: -300_250, clockOffsetAt: new Date(serverNow).toISOString() });
  });

  it('takes a counter\'s offline work from two days ago, refuses work older than a week or from before the device existed', async () => {
    serverNow = Date.now() - 3 * DAY;
    const credential = await enroll('skew-counter-1', 'counter', 't1-c2');
    // First use confirms the credential (the station has it on disk), then the station goes offline for days.
    await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1', headers: { ...versions, ...bearer(credential) } });
    // The clerk signed in that morning (the counter's offline sign-in opens the key it got online).
    const clerk = await signInClerk(server.app, { id: 'skew-counter-1', credential, counterId: 't1-c2' }, 't1-clerk', { startedAt: iso(Date.now() - 2 * DAY - 30 * MINUTE) });
    serverNow = Date.now();
    const results = await push(
      credential,
      [
        mutation('skew-counter-1', 1, 'openCounter', { counterId: 't1-c2', at: iso(serverNow - 2 * DAY) }),
        mutation('skew-counter-1', 2, 'pauseCounter', { counterId: 't1-c2', reason: 'lunch', at: iso(serverNow - 8 * DAY) }),
        mutation('skew-counter-1', 3, 'pauseCounter', { counterId: 't1-c2', reason: 'lunch', at: iso(serverNow - 3 * DAY - 20 * MINUTE) }),
      ].map((m) => proven(clerk, m)),
    );
    expect(results.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['applied', 'clock_skew', 'clock_skew']);
  });

  it('queues an online ticket from a kiosk 5 minutes fast at the server-corrected time, not its clock', async () => {
    serverNow = Date.now();
    const credential = await enroll('skew-kiosk-2', 'kiosk');
    const day = localDay(serverNow, 'Asia/Shanghai');
    const lease = await server.app.inject({ method: 'POST', url: '/api/v1/sync/leases', headers: { ...versions, ...bearer(credential) }, payload: { queueId: 't1-qa', day, count: 5 } });
    const sequence = (lease.json() as { block: { start: number } }).block.start;
    const ticketId = uuidV7(serverNow, randomBytes(10));
    const kioskAt = iso(serverNow + 5 * MINUTE - 1_000);
    const pushed = await push(credential, [mutation('skew-kiosk-2', 1, 'issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence, at: kioskAt })], -5 * MINUTE);
    expect(pushed.results[0]?.status).toBe('applied');
    const page = (await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1000', headers: { ...versions, ...bearer(credential) } })).json() as PullResponse;
    const ticket = page.kind === 'page' ? (page.entries.find((e) => e.change.entity === 'ticket' && e.change.id === ticketId)?.change.data as Ticket | undefined) : undefined;
    expect(ticket).toMatchObject({ issuedAt: kioskAt, queuedAt: iso(serverNow - 1_000) });
  });
});
