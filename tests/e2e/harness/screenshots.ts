import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * Where an app's end-to-end screenshots go: the committed set in docs/screenshots/<app>
 * with HALL_SCREENSHOTS=1, otherwise test-results/, so a test run leaves the tree clean
 * while every screenshot is still taken (and so still rendered) on each run.
 */
export function screenshotDir(app: string): string {
  const dir = process.env.HALL_SCREENSHOTS === '1' ? join(repoRoot, 'docs/screenshots', app) : join(repoRoot, 'test-results/screenshots', app);
  mkdirSync(dir, { recursive: true });
  return dir;
}
