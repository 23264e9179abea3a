import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { citizenKeyPath, parseStationConfig, readCitizenKey, requireCitizenKey, startStation, type StationConfig } from '@hall/station';
import { citizenKey, bearer, startTestServer, type TestServer } from '@hall/server/testing';

/** A station gets the city's citizen-hash key from the central API, never from a hand-copied setting. */
let server: TestServer;
let url = '';
let manager = '';
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite', inject('postgresUrl'));
  url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  manager = await server.login('t1-manager');
});
afterAll(async () => {
  await server.dispose();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function stationConfig(id: string, role: 'kiosk' | 'display'): Promise<StationConfig> {
  const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: id } });
  const dir = mkdtempSync(join(tmpdir(), `citizen-key-${id}-`));
  dirs.push(dir);
  return parseStationConfig({
    hallId: 't1-hall',
    role,
    deviceId: id,
    apiUrl: url,
    enrollment: { code: created.json().enrollmentCode, credentialPath: join(dir, 'credential') },
    dataDir: dir,
  });
}

describe('citizen-hash key on a station', () => {
  it('is written (0600) at enrollment, fetched again by an enrolled station that lacks it, and required by a deployed kiosk', async () => {
    const config = await stationConfig('ck-station-kiosk', 'kiosk');
    expect(() => requireCitizenKey(config)).toThrow(/no citizen-hash key/);
    const expected = await citizenKey(server.db.database.db, server.app.hall.dataKeys);
    let runtime = await startStation(config);
    await runtime.stop();
    expect(readCitizenKey(config)).toBe(expected);
    expect(requireCitizenKey(config)).toBe(expected);
    expect(statSync(citizenKeyPath(config)).mode & 0o777).toBe(0o600);

    // Enrolled before the key came with enrollment: the credential is there, the key is not.
    unlinkSync(citizenKeyPath(config));
    runtime = await startStation(config);
    await runtime.stop();
    expect(readCitizenKey(config)).toBe(expected);
  });

  it('is not given to a display', async () => {
    const config = await stationConfig('ck-station-display', 'display');
    const runtime = await startStation(config);
    await runtime.stop();
    expect(readCitizenKey(config)).toBeUndefined();
  });
});
