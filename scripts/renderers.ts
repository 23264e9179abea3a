import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export type RendererApp = 'kiosk' | 'counter' | 'display' | 'console';

/** Where each app's `vite build` writes its renderer (the console is served by the central API from apps/console/out). */
export function rendererDir(app: RendererApp): string {
  return join(repoRoot, 'apps', app, app === 'console' ? 'out' : 'out/renderer');
}

function newestModification(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the app's renderer with Vite when it is missing or older than its sources
 * (the app's renderer and packages/ui), so nobody runs or tests yesterday's UI.
 */
export function buildRendererIfStale(app: RendererApp): string {
  const appDir = join(repoRoot, 'apps', app);
  const out = rendererDir(app);
  const index = join(out, 'index.html');
  const sources = Math.max(
    newestModification(join(appDir, 'src/renderer')),
    newestModification(join(repoRoot, 'packages/ui/src')),
    newestModification(join(repoRoot, 'packages/shared/src')),
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '-c', join(appDir, 'vite.config.ts'), '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
  return out;
}
