import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshotDir } from '../harness/screenshots';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the console (apps/console/out) when missing or older than its sources. */
export function buildConsole(): void {
  const appDir = join(repoRoot, 'apps/console');
  const index = join(appDir, 'out/index.html');
  const sources = Math.max(newest(join(appDir, 'src/renderer')), newest(join(repoRoot, 'packages/ui/src')), newest(join(repoRoot, 'packages/shared/src')));
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync('npx', ['vite', 'build', '-c', join(appDir, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  }
}

export const SCREENSHOTS = screenshotDir('console');
