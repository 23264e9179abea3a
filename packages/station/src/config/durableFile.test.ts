import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Watch which descriptors are fsynced and what they were opened on.
const opened = new Map<number, string>();
const synced: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    openSync: (path: fs.PathLike, ...rest: unknown[]) => {
      const fd = (actual.openSync as (...a: unknown[]) => number)(path, ...rest);
      opened.set(fd, String(path));
      return fd;
    },
    fsyncSync: (fd: number) => {
      synced.push(opened.get(fd) ?? `fd ${fd}`);
      actual.fsyncSync(fd);
    },
  };
});

const { writeCitizenKey } = await import('./citizenKey');
const { writeLanKeys } = await import('./lanKeys');
const { parseStationConfig } = await import('./load');
const { writeCredential } = await import('../runtime');

const dirs: string[] = [];
beforeEach(() => {
  opened.clear();
  synced.length = 0;
});
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function config() {
  const dir = fs.mkdtempSync(join(tmpdir(), 'durable-'));
  dirs.push(dir);
  return parseStationConfig(
    { hallId: 'hall-1', role: 'kiosk', deviceId: 'kiosk-1', apiUrl: 'https://hall-api.example.gov.cn', enrollment: { credentialPath: join(dir, 'secrets', 'credential') }, dataDir: join(dir, 'data') },
    join(dir, 'station.json'),
  );
}

const unlessWindows = process.platform === 'win32' ? it.skip : it;

describe('key files and the credential on a station', () => {
  unlessWindows('are fsynced, then renamed into place, then their directory is fsynced', () => {
    const c = config();
    const secrets = dirname(c.enrollment.credentialPath);
    writeCredential(c.enrollment.credentialPath, 'hd_credential');
    expect(synced).toEqual([`${c.enrollment.credentialPath}.tmp`, secrets]);
    expect(fs.readFileSync(c.enrollment.credentialPath, 'utf8')).toBe('hd_credential\n');
    expect(fs.statSync(c.enrollment.credentialPath).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${c.enrollment.credentialPath}.tmp`)).toBe(false);

    synced.length = 0;
    writeCitizenKey(c, 'k'.repeat(44));
    expect(synced).toEqual([join(secrets, 'citizen-key.tmp'), secrets]);

    synced.length = 0;
    const key = { kid: 'lk1', key: Buffer.alloc(32, 7).toString('base64') };
    writeLanKeys(c, { current: key, accepted: [key] });
    expect(synced).toEqual([join(secrets, 'lan-keys.tmp'), secrets]);
    expect(fs.statSync(join(secrets, 'lan-keys')).mode & 0o777).toBe(0o600);
  });

  unlessWindows('a stale world-readable .tmp left by a crash does not leave the secret readable', () => {
    const c = config();
    fs.mkdirSync(dirname(c.enrollment.credentialPath), { recursive: true });
    fs.writeFileSync(`${c.enrollment.credentialPath}.tmp`, 'half', { mode: 0o644 });
    writeCredential(c.enrollment.credentialPath, 'hd_again');
    expect(fs.statSync(c.enrollment.credentialPath).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(c.enrollment.credentialPath, 'utf8')).toBe('hd_again\n');
  });
});
