// deploy/haproxy/hall-api.cfg passes HAProxy's own configuration check (with a throwaway
// certificate in place of the site's).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const HAPROXY = '/usr/sbin/haproxy';

describe.skipIf(!existsSync(HAPROXY))('HAProxy example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hall-haproxy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a valid configuration for the installed HAProxy', () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=hall-test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    writeFileSync(join(dir, 'hall-api.pem'), readFileSync(join(dir, 'cert.pem'), 'utf8') + readFileSync(join(dir, 'key.pem'), 'utf8'));
    const shipped = readFileSync(join(import.meta.dirname, '..', '..', 'deploy/haproxy/hall-api.cfg'), 'utf8');
    expect(shipped).toContain('/etc/ssl/hall/hall-api.pem');
    writeFileSync(join(dir, 'hall-api.cfg'), shipped.replace('/etc/ssl/hall/hall-api.pem', join(dir, 'hall-api.pem')));
    const result = spawnSync(HAPROXY, ['-c', '-f', join(dir, 'hall-api.cfg')], { encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
