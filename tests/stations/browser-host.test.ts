import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenFromFragment } from '@hall/shared';
import { BROWSER_URL_FILE, parseStationConfig, startStation, type StationConfig } from '@hall/station';

/** A station's browser-mode host as its config sets it up (offline: no enrollment, nothing to sync). */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function config(host: Record<string, unknown>): StationConfig {
  const dir = mkdtempSync(join(tmpdir(), 'browser-host-'));
  dirs.push(dir);
  return parseStationConfig({
    hallId: 't1-hall',
    role: 'display',
    deviceId: 'display-browser-host',
    apiUrl: 'http://127.0.0.1:9',
    enrollment: { credentialPath: join(dir, 'credential') },
    dataDir: dir,
    host,
  });
}

const browserUrl = (c: StationConfig) => readFileSync(join(c.dataDir, BROWSER_URL_FILE), 'utf8');

describe('browser-mode host of a station', () => {
  it('refuses a LAN bind the config does not allow, before opening anything', async () => {
    const refused = config({ bind: '0.0.0.0' });
    await expect(startStation(refused, { host: true })).rejects.toThrow(/refuses to bind 0\.0\.0\.0.*allowRemote/);
    expect(existsSync(join(refused.dataDir, 'station.db'))).toBe(false);
  });

  it('writes the page URL with its token to <dataDir>/browser-url (0600): a configured token, else a fresh one per launch', async () => {
    const token = 'stable-kiosk-service-token_0123456789';
    const stable = config({ token });
    let runtime = await startStation(stable, { host: true });
    expect(browserUrl(stable)).toBe(`${runtime.host?.url}\n`);
    expect(tokenFromFragment(new URL(browserUrl(stable)).hash)).toBe(token);
    expect(statSync(join(stable.dataDir, BROWSER_URL_FILE)).mode & 0o777).toBe(0o600);
    await runtime.stop();

    const fresh = config({});
    runtime = await startStation(fresh, { host: true });
    const first = tokenFromFragment(new URL(browserUrl(fresh)).hash);
    await runtime.stop();
    runtime = await startStation(fresh, { host: true });
    const second = tokenFromFragment(new URL(browserUrl(fresh)).hash);
    await runtime.stop();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
  });

  it('rejects a configured token shorter than 128 bits', () => {
    expect(() => config({ token: 'short' })).toThrow(/22 base64url/);
  });
});
