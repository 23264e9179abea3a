import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCKER_PATHS, makeTestIdNumber, type CitizenView } from '@hall/shared';
import { parseStationConfig, type StationConfig } from '@hall/station';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '@hall/server/testing';
import { waitUntil } from '../e2e/harness/stations';
import { startKioskStation, type KioskStation } from '../../apps/kiosk/src/main/station';

/**
 * Residence codes at the kiosk are verified from kiosk.db: the cached key set and the
 * replay ledger survive a restart, so a used code stays used and codes verify without the API.
 */
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

async function kioskConfig(id: string): Promise<StationConfig> {
  const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role: 'kiosk', name: id } });
  const dir = mkdtempSync(join(tmpdir(), `kiosk-codes-${id}-`));
  dirs.push(dir);
  return parseStationConfig({
    hallId: 't1-hall',
    role: 'kiosk',
    deviceId: id,
    apiUrl: url,
    enrollment: { code: created.json().enrollmentCode, credentialPath: join(dir, 'credential') },
    dataDir: dir,
    devices: { codeScanner: { kind: 'simulated' } },
  });
}

async function residenceCode(idNumber: string): Promise<string> {
  const issued = await server.app.inject({ method: 'POST', url: `/api/v1${LOCKER_PATHS.issueResidenceCode}`, headers: citizenPlatform(), payload: { idNumber } });
  expect(issued.statusCode).toBe(201);
  return (issued.json() as { code: string }).code;
}

/** Scans `code` on the kiosk's simulated scanner; the citizen it names, or undefined when refused. */
async function scan(kiosk: KioskStation, code: string): Promise<CitizenView | undefined> {
  const scanned = new Promise<{ citizen?: CitizenView }>((resolve) => {
    const off = kiosk.onEvent((event, data) => {
      if (event !== 'code.scanned') return;
      off();
      resolve(data as { citizen?: CitizenView });
    });
  });
  // The simulated scanner's serial link opens shortly after the station starts.
  await waitUntil('the simulated scanner to connect', () =>
    kiosk.devices.simulators.scanner!.scan(code).then(
      () => true,
      () => false,
    ),
  );
  return (await scanned).citizen;
}

const start = (config: StationConfig) => startKioskStation(config, { host: false, enforceOpeningHours: false });

describe('residence codes at the kiosk across a restart', () => {
  it('refuses a code used before the restart and verifies a fresh one offline after it', async () => {
    const config = await kioskConfig('kiosk-codes-1');
    const idNumber = makeTestIdNumber({ birthDate: '1980-05-05', sequence: 31 });
    let kiosk = await start(config);
    expect(await kiosk.residenceKeys.refresh()).toBe(true);
    const used = await residenceCode(idNumber);
    const fresh = await residenceCode(idNumber);
    const citizen = await scan(kiosk, used);
    expect(citizen?.source).toBe('residenceCode');
    // Same kiosk, same run: the nonce is spent.
    expect(await scan(kiosk, used)).toBeUndefined();
    await kiosk.stop();

    // Restarted with the central API unreachable: keys and spent nonces come from kiosk.db.
    kiosk = await start({ ...config, apiUrl: 'http://127.0.0.1:9' });
    try {
      expect(await kiosk.residenceKeys.refresh()).toBe(false);
      expect((await scan(kiosk, fresh))?.source).toBe('residenceCode');
      // The keys verify (above), so this refusal is the replay ledger's.
      expect(await scan(kiosk, used)).toBeUndefined();
    } finally {
      await kiosk.stop();
    }
  });
});
