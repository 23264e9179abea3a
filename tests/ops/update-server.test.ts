// deploy/update-server/stage.sh: publishes a release's files, then its latest*.yml with the
// rollout percentage electron-updater reads (stagingPercentage).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'deploy', 'update-server', 'stage.sh');

describe('staged rollout on the update server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hall-updates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const release = join(dir, 'release');
  const root = join(dir, 'srv');
  mkdirSync(release);
  writeFileSync(join(release, 'latest-linux.yml'), 'version: 0.2.0\nfiles:\n  - url: hall-kiosk-0.2.0.AppImage\n    sha512: abc\npath: hall-kiosk-0.2.0.AppImage\nreleaseDate: 2026-11-22T00:00:00.000Z\n');
  writeFileSync(join(release, 'hall-kiosk-0.2.0.AppImage'), 'binary');
  writeFileSync(join(release, 'hall-kiosk-0.2.0.AppImage.blockmap'), 'map');
  const stage = (percent: string) => spawnSync(script, ['kiosk', release, percent], { env: { ...process.env, HALL_UPDATES_ROOT: root }, encoding: 'utf8' });

  it('copies the files and sets the percentage, then widens it without duplicating the line', () => {
    expect(stage('10').status).toBe(0);
    expect(existsSync(join(root, 'kiosk', 'hall-kiosk-0.2.0.AppImage'))).toBe(true);
    expect(existsSync(join(root, 'kiosk', 'hall-kiosk-0.2.0.AppImage.blockmap'))).toBe(true);
    expect(readFileSync(join(root, 'kiosk', 'latest-linux.yml'), 'utf8')).toMatch(/^version: 0\.2\.0\n[\s\S]*\nstagingPercentage: 10\n$/);
    writeFileSync(join(release, 'latest-linux.yml'), `${readFileSync(join(root, 'kiosk', 'latest-linux.yml'), 'utf8')}`);
    const out = execFileSync(script, ['kiosk', release, '100'], { env: { ...process.env, HALL_UPDATES_ROOT: root }, encoding: 'utf8' });
    expect(out).toContain('0.2.0 at 100%');
    const yml = readFileSync(join(root, 'kiosk', 'latest-linux.yml'), 'utf8');
    expect(yml.match(/stagingPercentage/g)).toHaveLength(1);
    expect(yml).toContain('stagingPercentage: 100');
  });

  it('refuses a percentage outside 0-100 and leaves the published yml alone', () => {
    const before = readFileSync(join(root, 'kiosk', 'latest-linux.yml'), 'utf8');
    for (const bad of ['101', '-5', 'ten', '']) expect(stage(bad).status).toBe(2);
    expect(readFileSync(join(root, 'kiosk', 'latest-linux.yml'), 'utf8')).toBe(before);
  });
});
