import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Area =
  | { kind: 'shared' }
  | { kind: 'devices' }
  | { kind: 'station' }
  | { kind: 'ui' }
  | { kind: 'app'; app: string; layer: 'main' | 'preload' | 'renderer' | 'other' }
  | { kind: 'tests' }
  | { kind: 'bench' }
  | { kind: 'other' };

const packageAreas: Record<string, Area['kind']> = {
  '@hall/shared': 'shared',
  '@hall/devices': 'devices',
  '@hall/station': 'station',
  '@hall/ui': 'ui',
};

/** Node-only packages a renderer must never load: it reaches them only through the station API. */
const nodeOnlyPackages = [
  'electron',
  'better-sqlite3',
  'serialport',
  'node-hid',
  'escpos',
  'pg',
  'kysely',
  'fastify',
  'ws',
  'iconv-lite',
];

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function areaOf(file: string): Area {
  const parts = relative(repoRoot, file).split(sep);
  if (parts[0] === 'packages' && parts[1] === 'shared') return { kind: 'shared' };
  if (parts[0] === 'packages' && parts[1] === 'devices') return { kind: 'devices' };
  if (parts[0] === 'packages' && parts[1] === 'station') return { kind: 'station' };
  if (parts[0] === 'packages' && parts[1] === 'ui') return { kind: 'ui' };
  if (parts[0] === 'apps' && parts[1]) {
    const layer = parts[2] === 'src' && ['main', 'preload', 'renderer'].includes(parts[3] ?? '') ? parts[3] : 'other';
    return { kind: 'app', app: parts[1], layer: layer as 'main' | 'preload' | 'renderer' | 'other' };
  }
  if (parts[0] === 'tests') return { kind: 'tests' };
  if (parts[0] === 'bench') return { kind: 'bench' };
  return { kind: 'other' };
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'out' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) specifiers.push(specifier);
  }
  return specifiers;
}

/** The area an import lands in: a workspace package, an app, a Node builtin or a third-party package. */
function targetOf(fromFile: string, specifier: string): { area?: Area; external?: string } {
  if (specifier.startsWith('.')) return { area: areaOf(resolve(dirname(fromFile), specifier)) };
  const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  const workspaceKind = packageAreas[packageName];
  if (workspaceKind) return { area: { kind: workspaceKind } as Area };
  if (packageName.startsWith('@hall/')) return { area: { kind: 'app', app: packageName.slice(6), layer: 'other' } };
  return { external: specifier };
}

export function violation(fromFile: string, specifier: string): string | undefined {
  const from = areaOf(fromFile);
  const { area: to, external } = targetOf(fromFile, specifier);
  const isBuiltin = external !== undefined && nodeBuiltins.has(external.split('/')[0]!.replace(/^node:/, '')) || (external?.startsWith('node:') ?? false);
  if (to?.kind === 'app' && (from.kind !== 'app' || from.app !== to.app) && from.kind !== 'tests' && from.kind !== 'bench') {
    return 'nothing imports an app';
  }
  switch (from.kind) {
    case 'shared':
      if (isBuiltin) return 'shared is pure TypeScript: no Node APIs';
      if (to && to.kind !== 'shared') return 'shared imports nothing of ours';
      return undefined;
    case 'devices':
      if (to && to.kind !== 'shared' && to.kind !== 'devices') return 'devices imports only shared';
      return undefined;
    case 'station':
      if (to && !['shared', 'devices', 'station'].includes(to.kind)) return 'station imports only shared and devices';
      return undefined;
    case 'ui':
      if (isBuiltin) return 'ui runs in renderers: no Node APIs';
      if (to && to.kind !== 'shared' && to.kind !== 'ui') return 'ui imports only shared';
      if (external && nodeOnlyPackages.some((name) => external === name || external.startsWith(`${name}/`))) {
        return 'ui never imports Node-only packages';
      }
      return undefined;
    case 'app':
      if (from.layer === 'main' || from.layer === 'preload') {
        if (to?.kind === 'ui') return 'main and preload run in Node: no renderer UI code';
        return undefined;
      }
      if (from.layer !== 'renderer') return undefined;
      if (isBuiltin) return 'a renderer never imports Node modules';
      if (to && (to.kind === 'devices' || to.kind === 'station')) return 'a renderer reaches the station only through the API bridge';
      if (to?.kind === 'app' && to.layer !== 'renderer' && to.layer !== 'other') return 'a renderer imports no main or preload code';
      if (external && nodeOnlyPackages.some((name) => external === name || external.startsWith(`${name}/`))) {
        return 'a renderer never imports Node-only packages';
      }
      return undefined;
    default:
      return undefined;
  }
}

describe('dependency rule of ARCHITECTURE.md', () => {
  it('holds for every source file in the repository', () => {
    const roots = ['packages', 'apps', 'tests', 'bench'].map((dir) => join(repoRoot, dir));
    const broken: string[] = [];
    for (const file of roots.flatMap(sourceFiles)) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const reason = violation(file, specifier);
        if (reason) broken.push(`${relative(repoRoot, file)} imports '${specifier}': ${reason}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('catches each kind of violation', () => {
    const at = (path: string) => join(repoRoot, path);
    expect(violation(at('packages/shared/src/a.ts'), 'node:fs')).toMatch(/pure/);
    expect(violation(at('packages/shared/src/a.ts'), '@hall/devices')).toMatch(/nothing of ours/);
    expect(violation(at('packages/shared/src/a.ts'), '../../station/src/x')).toMatch(/nothing of ours/);
    expect(violation(at('packages/devices/src/a.ts'), '@hall/station')).toMatch(/only shared/);
    expect(violation(at('packages/station/src/a.ts'), '../../../apps/server/src/app')).toMatch(/imports an app/);
    expect(violation(at('packages/station/src/a.ts'), '@hall/server')).toMatch(/imports an app/);
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), 'node:path')).toMatch(/Node modules/);
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), 'fs')).toMatch(/Node modules/);
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), '@hall/station')).toMatch(/API bridge/);
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), 'better-sqlite3')).toMatch(/Node-only/);
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), '../main/window')).toMatch(/main or preload/);
    expect(violation(at('apps/kiosk/src/main/a.ts'), '@hall/station')).toBeUndefined();
    expect(violation(at('apps/kiosk/src/renderer/a.tsx'), '@hall/shared')).toBeUndefined();
    expect(violation(at('packages/station/src/a.ts'), '@hall/devices')).toBeUndefined();
    expect(violation(at('packages/ui/src/a.tsx'), '@hall/station')).toMatch(/only shared/);
    expect(violation(at('packages/ui/src/a.tsx'), 'node:fs')).toMatch(/no Node APIs/);
    expect(violation(at('packages/ui/src/a.tsx'), 'serialport')).toMatch(/Node-only/);
    expect(violation(at('apps/counter/src/renderer/a.tsx'), '@hall/ui')).toBeUndefined();
    expect(violation(at('apps/counter/src/main/a.ts'), '@hall/ui')).toMatch(/no renderer UI/);
  });

  it('reads every import form', () => {
    const source = `import { a } from 'x';\nimport type { B } from "y";\nexport * from './z';\nimport './side';\nconst m = await import('dyn');`;
    expect(importsOf(source)).toEqual(['x', 'y', './z', './side', 'dyn']);
  });
});
