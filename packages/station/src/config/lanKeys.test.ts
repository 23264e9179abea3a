import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LanKeyRing } from '@hall/shared';
import { parseDisplayConfig } from '../roles/display/config';
import {
  ConfigError,
  DEVELOPER_LAN_KID,
  developerLanKeyRing,
  LanKeyInConfigError,
  lanKeysPath,
  meshKeyRingOf,
  parseStationConfig,
  readLanKeys,
  refuseConfiguredLanKey,
  writeLanKeys,
} from './index';
import { log } from '../log';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function rawConfig(extra: Record<string, unknown> = {}, enrollment: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lan-keys-'));
  dirs.push(dir);
  return {
    dir,
    raw: {
      hallId: 'hall-1',
      role: 'display',
      deviceId: 'display-1',
      apiUrl: 'https://hall-api.example.gov.cn',
      enrollment: { credentialPath: join(dir, 'secrets', 'credential'), ...enrollment },
      dataDir: join(dir, 'data'),
      ...extra,
    },
  };
}

function config(extra: Record<string, unknown> = {}, enrollment: Record<string, unknown> = {}) {
  const { dir, raw } = rawConfig(extra, enrollment);
  return parseStationConfig(raw, join(dir, 'station.json'));
}

const wireKey = (kid: string) => ({ kid, key: randomBytes(32).toString('base64') });
function ring(): LanKeyRing {
  const current = wireKey('lk20260302-aaaaaaaaaaaa');
  return { current, accepted: [current, wireKey('lk20260301-bbbbbbbbbbbb')] };
}

describe('hall LAN key ring of a station', () => {
  it('lives beside the credential unless the config names a file, written 0600 and read back', () => {
    const c = config();
    expect(lanKeysPath(c)).toBe(join(c.enrollment.credentialPath, '..', 'lan-keys'));
    expect(config({}, { lanKeysPath: 'keys/lan' }).enrollment.lanKeysPath).toMatch(/lan-keys-[^/]+\/keys\/lan$/);
    expect(readLanKeys(c)).toBeUndefined();
    const r = ring();
    writeLanKeys(c, r);
    expect(readLanKeys(c)).toEqual(r);
    expect(statSync(lanKeysPath(c)).mode & 0o777).toBe(0o600);
    // Rewritten atomically over the old file, still 0600, no temporary left behind.
    const next = ring();
    writeLanKeys(c, next);
    expect(readLanKeys(c)).toEqual(next);
    expect(statSync(lanKeysPath(c)).mode & 0o777).toBe(0o600);
    expect(() => statSync(`${lanKeysPath(c)}.tmp`)).toThrow();
  });

  it('treats an unreadable file as missing (it is fetched again) and refuses to write a ring without its current key', () => {
    const c = config();
    writeLanKeys(c, ring());
    writeFileSync(lanKeysPath(c), '{"current": "garbage"');
    expect(readLanKeys(c)).toBeUndefined();
    const r = ring();
    expect(() => writeLanKeys(c, { current: r.current, accepted: [wireKey('other')] })).toThrow(/current/);
  });

  it('turns the wire ring into 32-byte Buffers for the mesh', () => {
    const r = ring();
    const mesh = meshKeyRingOf(r);
    expect(mesh.current.kid).toBe(r.current.kid);
    expect(mesh.current.key).toEqual(Buffer.from(r.current.key, 'base64'));
    expect(mesh.accepted.map((k) => k.key.length)).toEqual([32, 32]);
  });

  it('a deployed config with a LAN key in it is refused with a message that says where the key comes from', () => {
    const key = randomBytes(32).toString('hex');
    for (const field of ['lan', 'lanKey']) {
      const { dir, raw } = rawConfig({ [field]: field === 'lan' ? { key } : key });
      const file = join(dir, 'station.json');
      expect(() => parseStationConfig(raw, file)).toThrow(ConfigError);
      expect(() => parseStationConfig(raw, file)).toThrow(new RegExp(`${field}: the hall LAN key is never written in a config file: the central API hands it to the station at enrollment`));
    }
    // The display's own config (display.json) parses, but a deployed display station refuses its key.
    const display = parseDisplayConfig({ lan: { key, listen: { port: 0 } } });
    const deployed = config();
    expect(() => refuseConfiguredLanKey(deployed, 'display config "lan.key"', display.lan?.key)).toThrow(LanKeyInConfigError);
    expect(() => refuseConfiguredLanKey(deployed, 'display config "lan.key"', display.lan?.key)).toThrow(
      /display-1: display config "lan\.key": the hall LAN key is never written in a config file.*only a developer station/,
    );
    expect(() => refuseConfiguredLanKey(deployed, 'display config "lan.key"', undefined)).not.toThrow();
    expect(() => refuseConfiguredLanKey(config({ development: true }), 'display config "lan.key"', key)).not.toThrow();
  });

  it('HALL_LAN_KEY is a developer station\'s fallback only; a deployed station ignores it and says so', () => {
    const key = randomBytes(32).toString('hex');
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    expect(developerLanKeyRing(config(), key)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/HALL_LAN_KEY is ignored on a deployed station/));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(key);
    const dev = developerLanKeyRing(config({ development: true }), key);
    expect(dev?.current).toEqual({ kid: DEVELOPER_LAN_KID, key: Buffer.from(key, 'hex') });
    expect(developerLanKeyRing(config({ development: true }), undefined)).toBeUndefined();
    expect(() => developerLanKeyRing(config({ development: true }), 'abcd')).toThrow(/at least 32 bytes/);
  });
});
