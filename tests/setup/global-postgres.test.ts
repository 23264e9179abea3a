import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { hydrateSymlinks } from './global-postgres';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('recreates the binary package’s library symlinks when an install skipped its postinstall', () => {
  const pkg = mkdtempSync(path.join(tmpdir(), 'hall-pgbin-'));
  dirs.push(pkg);
  mkdirSync(path.join(pkg, 'native', 'lib'), { recursive: true });
  writeFileSync(path.join(pkg, 'native', 'lib', 'libpq.so.5.17'), 'library');
  writeFileSync(
    path.join(pkg, 'native', 'pg-symlinks.json'),
    JSON.stringify([
      { source: 'native/lib/libpq.so.5.17', target: 'native/lib/libpq.so.5' },
      { source: 'native/lib/libpq.so.5.17', target: 'native/lib/libpq.so' },
    ]),
  );
  hydrateSymlinks(pkg);
  hydrateSymlinks(pkg); // idempotent
  expect(readlinkSync(path.join(pkg, 'native', 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');
  expect(readFileSync(path.join(pkg, 'native', 'lib', 'libpq.so'), 'utf8')).toBe('library');
});
