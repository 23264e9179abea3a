// Packaging without Electron's download host: each station app is bundled into the stage
// electron-builder packages (dist/stage/<app>), the bundle's every import is checked to
// resolve inside the stage, and the electron-builder configuration is loaded and validated
// by electron-builder itself. With an unpacked Electron at HALL_ELECTRON_DIST (or the
// electron package's own dist/), `electron-builder --dir` builds the app directory too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, ROOT, type BundleReport } from '../../build/bundle';
import { HALL_APPS } from '../../build/main/paths';
import { buildRendererIfStale } from '../../scripts/renderers';

const electronDist = process.env.HALL_ELECTRON_DIST ?? (existsSync(join(ROOT, 'node_modules/electron/dist/electron')) ? join(ROOT, 'node_modules/electron/dist') : undefined);

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  directories: { app: string; output: string };
  afterPack: string;
  extraResources: { from: string; to: string }[];
}

/** electron-builder's own loading (macros, extends) and schema validation of electron-builder.yml. */
async function loadBuilderConfig(app: string): Promise<BuilderConfig> {
  const previous = process.env.HALL_APP;
  process.env.HALL_APP = app;
  try {
    const { getConfig, validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as unknown as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = (await import('builder-util')) as unknown as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    // ${env.X} macros in paths are expanded by electron-builder at build time; do the same.
    return JSON.parse(JSON.stringify(config).replaceAll('${env.HALL_APP}', app)) as BuilderConfig;
  } finally {
    if (previous === undefined) delete process.env.HALL_APP;
    else process.env.HALL_APP = previous;
  }
}

const excludedBy = (patterns: string[], file: string) => patterns.flatMap((p) => (typeof p === 'string' ? [p] : (p as { filter: string[] }).filter)).filter((p) => p.startsWith('!')).some((p) => minimatch(file, p.slice(1), { dot: true }));

describe.each(HALL_APPS)('%s package', (app) => {
  let report: BundleReport;
  let files: string[];

  beforeAll(async () => {
    // A clean clone has no built renderer yet (the e2e run builds them later).
    buildRendererIfStale(app);
    report = await bundleApp(app);
    files = readdirSync(report.stageDir, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
  }, 180_000);

  it('bundles main, browser mode and preload; every external import resolves inside the stage', () => {
    expect(report.unresolved).toEqual([]);
    expect(report.entries).toContain('src/main/browser.mjs');
    expect(Object.keys(report.natives)).toEqual(expect.arrayContaining(['better-sqlite3']));
    expect(files).toContain(`${report.rendererDir}/index.html`);
    // Every bundle parses as the module kind it is loaded as.
    for (const entry of report.entries) execFileSync(process.execPath, ['--check', join(report.stageDir, entry)]);
  });

  it('copies each native module with its whole runtime dependency tree (loaded from the stage in plain Node)', () => {
    // The stage holds the repository's Node-ABI builds until electron-builder rebuilds them
    // for Electron, so plain Node can load them here: a missing runtime dependency fails.
    const script = `const r = require('node:module').createRequire(process.cwd() + '/src/main/x.mjs'); for (const m of ${JSON.stringify(Object.keys(report.natives))}) r(m); console.log('ok');`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: report.stageDir, encoding: 'utf8' }).trim()).toBe('ok');
    expect(Object.keys(report.natives).sort()).toEqual(['@serialport/bindings-cpp', 'better-sqlite3', 'node-hid']);
  });

  it.skipIf(!existsSync(join(ROOT, 'apps', app, 'src/main/electron.ts')))('has an Electron entry: bootstrap → electron main, preload as CommonJS', () => {
    expect(report.electronMain).toBe(true);
    expect(report.entries).toEqual(expect.arrayContaining(['src/main/bootstrap.mjs', 'src/main/electron.mjs']));
    expect(report.entries.some((e) => e.startsWith('src/preload/') && e.endsWith('.cjs'))).toBe(true);
  });

  it(`${electronDist ? '' : 'dry validation (no Electron binary here): '}electron-builder loads and validates the configuration; packaged files keep what the bundle needs`, async () => {
    const config = await loadBuilderConfig(app);
    expect(config.directories.app).toBe(`dist/stage/${app}`);
    expect(existsSync(join(ROOT, config.afterPack))).toBe(true);
    for (const resource of config.extraResources) expect(existsSync(join(ROOT, resource.from)), resource.from).toBe(true);
    // Run-time files: bundles, renderer, addons and package code (not examples, tests, docs).
    const needed = files.filter((f) => /\.(mjs|cjs|html|node|js|json)$/.test(f) && !/\/(tests?|examples?|docs|deps)\//.test(f));
    expect(needed.filter((f) => excludedBy(config.files, f))).toEqual([]);
    const natives = files.filter((f) => f.endsWith('.node'));
    expect(natives.length).toBeGreaterThan(0);
    // Each compiled addon must be unpacked from the asar, or it cannot be dlopen()ed.
    expect(natives.filter((f) => !config.asarUnpack.some((p) => minimatch(f, p, { dot: true, matchBase: true })))).toEqual([]);
  });

  it.skipIf(!electronDist || !existsSync(join(ROOT, 'apps', app, 'src/main/electron.ts')))(`electron-builder --dir builds the unpacked app from a pre-downloaded Electron (${electronDist ?? 'none here'})`, () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false'], {
      cwd: ROOT,
      env: { ...process.env, HALL_APP: app },
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(ROOT, 'dist/release', app, 'linux-unpacked/resources/app.asar'))).toBe(true);
  }, 180_000);
});
