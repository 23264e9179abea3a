// Electron's own install script is denied in package.json (allowScripts) because its
// download host is unreachable on some build machines; try the download here and carry
// on without the binary, since every app also runs in browser mode.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0);
}
if (existsSync(join(electronDir, 'path.txt'))) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('[hall] ELECTRON_SKIP_BINARY_DOWNLOAD set: browser mode only');
  process.exit(0);
}
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: 'inherit',
  timeout: 120_000,
});
if (result.status === 0) console.log('[hall] Electron binary installed');
else console.log('[hall] Electron binary not available here: the apps run in browser mode');
process.exit(0);
