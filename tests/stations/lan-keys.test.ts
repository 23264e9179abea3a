import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  LanKeyInConfigError,
  lanKeysPath,
  meshKeyRingOf,
  parseStationConfig,
  readLanKeys,
  startStation,
  SyncClient,
  type MeshKeyRing,
  type StationConfig,
  type StationRuntime,
} from '@hall/station';
import { parseDisplayConfig } from '@hall/station/roles/display';
import { hallLanKeyRing, bearer, startTestServer, type TestServer } from '@hall/server/testing';
import { startDisplayStation } from '../../apps/display/src/main/station';
import { startCounterStation } from '../../apps/counter/src/main/station';

/** A station gets the hall's LAN key ring from the central API, never from a config file. */
let server: TestServer;
let url = '';
let manager = '';
const dirs: string[] = [];
const running: StationRuntime[] = [];
const FAST = { pollIntervalMs: 200, backoffBaseMs: 50, backoffMaxMs: 300 };

beforeAll(async () => {
  server = await startTestServer('sqlite', inject('postgresUrl'));
  url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  manager = await server.login('t1-manager');
});
afterEach(async () => {
  for (const runtime of running.splice(0)) await runtime.stop();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server.dispose();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function stationConfig(id: string, role: 'kiosk' | 'counter' | 'display' | 'locker', extra: Record<string, unknown> = {}): Promise<StationConfig> {
  const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: id, ...(typeof extra.counterId === 'string' ? { counterId: extra.counterId } : {}) } });
  expect(created.statusCode).toBe(201);
  const dir = mkdtempSync(join(tmpdir(), `lan-keys-${id}-`));
  dirs.push(dir);
  return parseStationConfig(
    { hallId: 't1-hall', role, deviceId: id, apiUrl: url, enrollment: { code: created.json().enrollmentCode, credentialPath: join(dir, 'credential') }, dataDir: dir, ...extra },
    join(dir, 'station.json'),
  );
}

async function start(config: StationConfig, options: Parameters<typeof startStation>[1] = {}): Promise<StationRuntime> {
  const runtime = await startStation(config, { sync: FAST, ...options });
  running.push(runtime);
  return runtime;
}

const serverRing = async () => meshKeyRingOf(await hallLanKeyRing(server.db.database.db, server.app.hall.dataKeys, 't1-hall', new Date()));
const rotate = async () => {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/admin/halls/t1-hall/lan-keys/rotate', headers: bearer(manager) });
  expect(response.statusCode).toBe(200);
  return response.json() as { current: { kid: string }; stationsPoked: number };
};

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hall LAN key ring on a station', () => {
  it('is written (0600) at enrollment and served by runtime.lanKeys() without a fetch', async () => {
    const fetches = vi.spyOn(SyncClient.prototype, 'lanKeys');
    const config = await stationConfig('lk-st-display', 'display');
    const runtime = await start(config);
    expect(runtime.lanKeys()).toEqual(await serverRing());
    expect(runtime.lanKeys()?.current.key).toHaveLength(32);
    expect(statSync(lanKeysPath(config)).mode & 0o777).toBe(0o600);
    expect(readLanKeys(config)?.current.kid).toBe(runtime.lanKeys()?.current.kid);
    expect(fetches).not.toHaveBeenCalled();
  });

  it('is fetched once by an enrolled station whose file is missing, and not again on a start that has it', async () => {
    const config = await stationConfig('lk-st-locker', 'locker');
    const first = await start(config);
    // Stopped once online: a station stopped mid-handshake can leave the test server waiting on its socket.
    await waitUntil('online', () => first.sync.status().online);
    await first.stop();
    running.length = 0;
    // Enrolled before enrollment carried the ring: the credential is there, the ring is not.
    unlinkSync(lanKeysPath(config));
    const fetches = vi.spyOn(SyncClient.prototype, 'lanKeys');
    let runtime = await start(config);
    await waitUntil('the ring fetched', () => runtime.lanKeys() !== undefined);
    expect(fetches).toHaveBeenCalledTimes(1);
    expect(runtime.lanKeys()).toEqual(await serverRing());
    expect(statSync(lanKeysPath(config)).mode & 0o777).toBe(0o600);
    await runtime.stop();
    running.length = 0;
    fetches.mockClear();
    runtime = await start(config);
    expect(runtime.lanKeys()).toEqual(await serverRing());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fetches).not.toHaveBeenCalled();
  });

  it('is refetched at once when the console rotates the key (poke "lanKeys"): listeners get the new ring, the old key stays accepted', async () => {
    const config = await stationConfig('lk-st-kiosk', 'kiosk');
    const runtime = await start(config);
    const before = runtime.lanKeys() as MeshKeyRing;
    const changes: MeshKeyRing[] = [];
    runtime.onLanKeys((ring) => changes.push(ring));
    await waitUntil('the poke socket', () => server.app.hall.hub.connectionCount('t1-hall') > 0);
    const rotated = await rotate();
    expect(rotated.stationsPoked).toBeGreaterThan(0);
    await waitUntil('the new ring', () => runtime.lanKeys()?.current.kid === rotated.current.kid, 5000);
    const after = runtime.lanKeys() as MeshKeyRing;
    expect(after.current.key.equals(before.current.key)).toBe(false);
    expect(after.accepted.map((k) => k.kid)).toEqual([rotated.current.kid, before.current.kid]);
    expect(changes).toEqual([after]);
    expect(readLanKeys(config)?.current.kid).toBe(rotated.current.kid);
    expect(statSync(lanKeysPath(config)).mode & 0o777).toBe(0o600);
  });

  it('is refetched periodically, so a station that missed the poke still gets the new key', async () => {
    const config = await stationConfig('lk-st-counter', 'counter', { counterId: 't1-c1' });
    const runtime = await start(config, { sync: { ...FAST, pokes: false }, lanKeysRefreshMs: 150 });
    const rotated = await rotate();
    await waitUntil('the refreshed ring', () => runtime.lanKeys()?.current.kid === rotated.current.kid, 5000);
  });

  it('a deployed display or counter with a LAN key in its configuration is refused before it starts', async () => {
    const key = randomBytes(32).toString('hex');
    const display = await stationConfig('lk-st-display-2', 'display');
    await expect(startDisplayStation(display, { host: false, display: parseDisplayConfig({ voice: { enabled: false }, lan: { key, listen: { port: 0 } } }) })).rejects.toThrow(
      LanKeyInConfigError,
    );
    const counter = await stationConfig('lk-st-counter-2', 'counter', { counterId: 't1-c1' });
    await expect(startCounterStation(counter, { lan: { key, peers: [] } })).rejects.toThrow(/the hall LAN key is never written in a config file/);
  });
});
