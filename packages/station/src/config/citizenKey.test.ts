import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { citizenKeyPath, DEMO_CITIZEN_KEY, loadStationConfig, MissingCitizenKeyError, parseStationConfig, readCitizenKey, requireCitizenKey, writeCitizenKey } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(extra: Record<string, unknown> = {}, enrollment: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'citizen-key-'));
  dirs.push(dir);
  return parseStationConfig(
    {
      hallId: 'hall-1',
      role: 'kiosk',
      deviceId: 'kiosk-1',
      apiUrl: 'https://hall-api.example.gov.cn',
      enrollment: { credentialPath: join(dir, 'secrets', 'credential'), ...enrollment },
      dataDir: join(dir, 'data'),
      ...extra,
    },
    join(dir, 'station.json'),
  );
}

const KEY = 'k'.repeat(44);

describe('citizen-hash key of a station', () => {
  it('lives beside the credential unless the config names a file, written 0600', () => {
    const c = config();
    expect(citizenKeyPath(c)).toBe(join(c.enrollment.credentialPath, '..', 'citizen-key'));
    expect(config({}, { citizenKeyPath: 'keys/city' }).enrollment.citizenKeyPath).toMatch(/citizen-key-[^/]+\/keys\/city$/);
    expect(readCitizenKey(c)).toBeUndefined();
    writeCitizenKey(c, KEY);
    expect(readCitizenKey(c)).toBe(KEY);
    expect(statSync(citizenKeyPath(c)).mode & 0o777).toBe(0o600);
  });

  it('a deployed station without the key refuses with a message that says where it comes from; the environment is not read', () => {
    const c = config();
    expect(c.development).toBe(false);
    expect(() => requireCitizenKey(c, 'from-env')).toThrow(MissingCitizenKeyError);
    expect(() => requireCitizenKey(c)).toThrow(/kiosk-1: no citizen-hash key at .*citizen-key\. The central API delivers it at enrollment/);
    writeCitizenKey(c, KEY);
    expect(requireCitizenKey(c, 'from-env')).toBe(KEY);
  });

  it('a developer station takes HALL_ID_HASH_KEY, then the delivered key, then the demo key', () => {
    const c = config({ development: true });
    expect(requireCitizenKey(c, undefined)).toBe(DEMO_CITIZEN_KEY);
    writeCitizenKey(c, KEY);
    expect(requireCitizenKey(c, undefined)).toBe(KEY);
    expect(requireCitizenKey(c, 'e2e-city-key')).toBe('e2e-city-key');
  });

  it('the deploy examples are valid configs of deployed stations', () => {
    const dir = fileURLToPath(new URL('../../../../deploy/station/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.example.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const loaded = loadStationConfig(join(dir, file));
      expect(loaded.development).toBe(false);
      if (loaded.role === 'kiosk' || loaded.role === 'counter') expect(loaded.enrollment.citizenKeyPath).toBe(`/var/lib/hall/${loaded.role}/citizen-key`);
      if (loaded.role === 'locker') expect(loaded.locker?.unclaimedDays).toBe(182);
      expect(loaded.enrollment.lanKeysPath).toBe(`/var/lib/hall/${loaded.role}/lan-keys`);
    }
  });

  it('refuses a non-boolean development flag', () => {
    expect(() => config({ development: 'yes' })).toThrow(/development/);
  });
});
