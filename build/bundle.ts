// Builds the directory electron-builder packages for one station app (dist/stage/<app>):
// main, browser-mode main and bootstrap bundled with esbuild, preloads as CommonJS, the
// built renderer, and only the native modules (better-sqlite3, serialport, node-hid …)
// copied as packages, since they cannot be bundled. Run: `tsx build/bundle.ts <app>…`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { HALL_APPS, type HallApp } from './main/paths';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Electron 38 runs Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';
const RENDERER_DIRS = ['out/renderer'];
/** Optional accelerators `ws` requires inside try/catch and does without; not installed here. */
const OPTIONAL_IMPORTS = new Set(['bufferutil', 'utf-8-validate']);
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export interface BundleReport {
  app: HallApp;
  stageDir: string;
  /** Bundled entries written, relative to stageDir. */
  entries: string[];
  /** Whether the app has an Electron main yet (src/main/electron.ts). */
  electronMain: boolean;
  rendererDir: string;
  /** Native packages kept as real packages, with versions. */
  natives: Record<string, string>;
  /** Every package copied into stageDir/node_modules (natives and their dependencies). */
  copied: string[];
  /** External imports of the bundles that do not resolve inside the stage: must be empty. */
  unresolved: string[];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The directory of `name` as Node would find it from `fromDir`. */
function packageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A package with compiled code: its .node file must sit on disk, outside the bundle and asar. */
function isNative(dir: string): boolean {
  return ['binding.gyp', 'prebuilds'].some((entry) => existsSync(join(dir, entry)));
}

function nativePlugin(found: Map<string, string>): Plugin {
  return {
    name: 'hall-natives',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (BUILTINS.has(args.path) || args.path === 'electron') return { path: args.path, external: true };
        const name = packageName(args.path);
        const dir = packageDir(name, args.resolveDir || ROOT);
        if (dir && isNative(dir)) {
          found.set(name, dir);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

/** Copies `name` and its runtime dependencies (resolved as Node would) into stage/node_modules. */
function copyPackageTree(name: string, fromDir: string, stageModules: string, copied: Set<string>): void {
  if (copied.has(name)) return;
  const dir = packageDir(name, fromDir);
  if (!dir) throw new Error(`native dependency ${name} is not installed (from ${relative(ROOT, fromDir)})`);
  copied.add(name);
  const target = join(stageModules, name);
  cpSync(dir, target, {
    recursive: true,
    dereference: true,
    // C sources and build intermediates are not needed at run time (a package's src/ may
    // be its JavaScript, e.g. debug, so it stays).
    filter: (source) => !/^[\\/](deps|test|tests|build[\\/]Release[\\/](obj\.target|\.deps))([\\/]|$)/.test(`${sep}${relative(dir, source)}`),
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    if (packageDir(dep, dir)) copyPackageTree(dep, dir, stageModules, copied);
  }
}

function externalImports(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (imported.external && !BUILTINS.has(imported.path) && imported.path !== 'electron' && !OPTIONAL_IMPORTS.has(imported.path)) names.add(imported.path);
  }
  return [...names];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => statSync(join(dir, file)).isFile());
}

export async function bundleApp(app: HallApp, options: { outRoot?: string; minify?: boolean } = {}): Promise<BundleReport> {
  const appDir = join(ROOT, 'apps', app);
  const stageDir = join(options.outRoot ?? join(ROOT, 'dist', 'stage'), app);
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });

  // The mains find their renderer relative to their own file (src/main/../../<dir>), so the
  // stage keeps the app's layout: bundles in src/main, renderer where vite put it.
  const rendererRel = RENDERER_DIRS.find((dir) => existsSync(join(appDir, dir, 'index.html')));
  if (!rendererRel) throw new Error(`${app}: no built renderer in ${RENDERER_DIRS.join(' or ')}; run "npm run build -w @hall/${app}" first`);
  cpSync(join(appDir, rendererRel), join(stageDir, rendererRel), { recursive: true });

  const mainSrc = join(appDir, 'src', 'main');
  const electronMain = existsSync(join(mainSrc, 'electron.ts'));
  const entryPoints: Record<string, string> = { browser: join(mainSrc, 'browser.ts') };
  if (electronMain) {
    entryPoints.electron = join(mainSrc, 'electron.ts');
    entryPoints.bootstrap = join(ROOT, 'build', 'main', 'bootstrap.ts');
  }
  const natives = new Map<string, string>();
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: NODE_TARGET,
    metafile: true,
    logLevel: 'error' as const,
    minify: options.minify ?? false,
    sourcemap: 'linked' as const,
    legalComments: 'none' as const,
    plugins: [nativePlugin(natives)],
    define: { HALL_APP: JSON.stringify(app) },
  };
  const main = await build({
    ...common,
    entryPoints,
    outdir: join(stageDir, 'src', 'main'),
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    // Bundled CommonJS dependencies call require/__dirname; give the ESM output real ones.
    banner: {
      js: "import { createRequire as __hallRequire } from 'node:module'; import { fileURLToPath as __hallPath } from 'node:url'; import { dirname as __hallDir } from 'node:path'; const require = __hallRequire(import.meta.url); const __filename = __hallPath(import.meta.url); const __dirname = __hallDir(__filename);",
    },
  });
  const preloadDir = join(appDir, 'src', 'preload');
  const preloads = existsSync(preloadDir) ? readdirSync(preloadDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')) : [];
  const preload = preloads.length
    ? await build({
        ...common,
        entryPoints: preloads.map((f) => join(preloadDir, f)),
        outdir: join(stageDir, 'src', 'preload'),
        // Sandboxed preloads must be CommonJS and may require only electron.
        format: 'cjs',
        outExtension: { '.js': '.cjs' },
      })
    : undefined;

  const stageModules = join(stageDir, 'node_modules');
  const copied = new Set<string>();
  for (const [name, dir] of natives) copyPackageTree(name, dirname(dir), stageModules, copied);
  const version = (name: string) => (JSON.parse(readFileSync(join(stageModules, name, 'package.json'), 'utf8')) as { version: string }).version;
  const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; description: string };
  writeFileSync(
    join(stageDir, 'package.json'),
    `${JSON.stringify(
      {
        name: `hall-${app}`,
        productName: `hall-${app}`,
        version: rootManifest.version,
        description: `Hall suite ${app} station`,
        author: 'Hall suite',
        license: 'UNLICENSED',
        type: 'module',
        main: electronMain ? 'src/main/bootstrap.mjs' : 'src/main/browser.mjs',
        dependencies: Object.fromEntries([...natives.keys()].sort().map((name) => [name, version(name)])),
      },
      null,
      2,
    )}\n`,
  );

  const stageRequire = createRequire(join(stageDir, 'src', 'main', 'index.mjs'));
  const unresolved = [...externalImports(main.metafile ?? { inputs: {}, outputs: {} }), ...(preload ? externalImports(preload.metafile ?? { inputs: {}, outputs: {} }) : [])].filter((specifier) => {
    try {
      stageRequire.resolve(specifier);
      return false;
    } catch {
      return true;
    }
  });
  const entries = filesUnder(join(stageDir, 'src')).filter((f) => /\.(mjs|cjs)$/.test(f)).map((f) => join('src', f).split(sep).join('/'));
  return {
    app,
    stageDir,
    entries,
    electronMain,
    rendererDir: rendererRel,
    natives: Object.fromEntries([...natives.keys()].map((name) => [name, version(name)])),
    copied: [...copied].sort(),
    unresolved,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const apps = process.argv.slice(2).length ? process.argv.slice(2) : [...HALL_APPS];
  for (const app of apps) {
    if (!HALL_APPS.includes(app as HallApp)) throw new Error(`unknown app ${app}; expected ${HALL_APPS.join(', ')}`);
    const report = await bundleApp(app as HallApp);
    if (report.unresolved.length) throw new Error(`${app}: bundle needs ${report.unresolved.join(', ')}, which the stage does not contain`);
    process.stdout.write(`${app}: ${relative(ROOT, report.stageDir)} (${report.entries.join(', ')}; natives: ${Object.keys(report.natives).join(', ') || 'none'}${report.electronMain ? '' : '; no Electron main yet'})\n`);
  }
}
