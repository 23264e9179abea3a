import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStationConfig } from '../config/load';
import { counterDefinition } from '../roles/counter/definition';
import { runRole, splitRunOptions } from './run';
import { runStation } from './station';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(role: string, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-'));
  dirs.push(dir);
  return parseStationConfig({
    hallId: 'hall-1',
    role,
    deviceId: `${role}-1`,
    apiUrl: 'http://127.0.0.1:1',
    enrollment: { credentialPath: join(dir, 'credential') },
    dataDir: join(dir, 'data'),
    ...extra,
  });
}

describe('the station assembly', () => {
  it('refuses a config its role cannot run before anything opens (no data dir, no store)', async () => {
    const kiosk = config('kiosk');
    await expect(runRole(counterDefinition, kiosk, {}, { host: false })).rejects.toThrow(/configured as a kiosk, not a counter/);
    expect(existsSync(kiosk.dataDir)).toBe(false);
  });

  it('runs the role the config names, and says so when a display has no display config', async () => {
    await expect(runStation(config('display'), { host: false })).rejects.toThrow(/no display config/);
  });

  it("splits one options object into the station's options and the role's", () => {
    const now = () => 0;
    const { run, role } = splitRunOptions({ host: true, now, enforceOpeningHours: false, idHashKey: undefined });
    expect(run).toEqual({ host: true, now });
    expect(role).toEqual({ enforceOpeningHours: false });
    expect(splitRunOptions({}).run).toEqual({ host: false });
  });
});
