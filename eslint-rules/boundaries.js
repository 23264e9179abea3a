// The dependency rule of ARCHITECTURE.md as a lint rule, so a forbidden import fails `npm run lint`
// at the line that adds it. It reads the workspaces and their package.json files (declared
// dependencies, `exports` entry points) from the repository, so the manifests stay the one truth.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const rootManifest = readJson(join(repoRoot, 'package.json'));

/** Every workspace by folder (e.g. 'packages/station') and by package name (e.g. '@hall/station'). */
const workspaces = rootManifest.workspaces.map((folder) => {
  const manifest = readJson(join(repoRoot, folder, 'package.json'));
  const declared = new Set(
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {})),
  );
  const entries = new Set(Object.keys(manifest.exports ?? { '.': true }));
  return { folder, name: manifest.name, declared, entries };
});
const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
const rootTooling = new Set(Object.keys(rootManifest.devDependencies ?? {}));

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Node-only packages a renderer must never load: it reaches them only through the station API. */
const nodeOnlyPackages = ['electron', 'better-sqlite3', 'serialport', 'node-hid', 'escpos', 'pg', 'kysely', 'fastify', 'ws', 'iconv-lite'];

/** Where a file sits: its workspace and, for the layered ones, its layer. */
function placeOf(absolutePath) {
  const path = relative(repoRoot, absolutePath).split(sep).join('/');
  const workspace = workspaces.find((candidate) => path === candidate.folder || path.startsWith(`${candidate.folder}/`));
  const parts = path.split('/');
  let kind = 'other';
  if (parts[0] === 'packages' && ['shared', 'devices', 'station', 'ui'].includes(parts[1])) kind = parts[1];
  else if (parts[0] === 'apps' && parts[1]) kind = 'app';
  else if (parts[0] === 'tests' || parts[0] === 'bench' || parts[0] === 'scripts') kind = 'tooling';
  const layer = kind === 'app' && parts[2] === 'src' && ['main', 'preload', 'renderer'].includes(parts[3]) ? parts[3] : undefined;
  return { path, workspace, kind, app: kind === 'app' ? parts[1] : undefined, layer, rules: isStationRules(parts) };
}

/**
 * Inside packages/station/src, a `rules/` folder at any depth (store/rules, roles/kiosk/rules …)
 * holds pure decision logic: the same inputs give the same answer, with no I/O, so it is tested
 * without a database, a device or a clock. Its tests are tooling and may use anything.
 */
function isStationRules(parts) {
  const inStation = parts[0] === 'packages' && parts[1] === 'station' && parts[2] === 'src';
  return inStation && parts.slice(3).includes('rules') && !/\.(test|bench)\.tsx?$/.test(parts.at(-1));
}

/** The one outside package a station rules module may import besides @hall/shared: schemas are pure. */
const rulesMayImport = new Set(['zod']);

/** Test, bench and build files may use the repository's shared tooling (root devDependencies). */
function isToolingFile(place) {
  return (
    place.kind === 'tooling' ||
    /\.(test|e2e|bench)\.tsx?$/.test(place.path) ||
    /(^|\/)testing\//.test(place.path) ||
    /(^|\/)vite\.config\.ts$/.test(place.path) ||
    place.workspace === undefined
  );
}

const packageNameOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const isNodeOnly = (name) => nodeOnlyPackages.includes(name);

/** A station rules module stays pure: @hall/shared, zod and other rules modules only. */
function rulesViolation(to, { builtin, external }) {
  const reason = 'a station rules module is pure: it imports only @hall/shared, zod and other rules modules';
  if (builtin) return `${reason} (no Node APIs)`;
  if (to) return to.kind === 'shared' || to.rules ? undefined : reason;
  return external && !rulesMayImport.has(external) ? reason : undefined;
}

/** The layer rule between two places; returns the broken rule or undefined. */
function layerViolation(from, to, { builtin, external }) {
  if (to?.kind === 'app' && from.kind !== 'tooling' && (from.kind !== 'app' || from.app !== to.app)) return 'nothing imports an app';
  switch (from.kind) {
    case 'shared':
      if (builtin) return 'shared is pure TypeScript: no Node APIs';
      if (to && to.kind !== 'shared') return 'shared imports nothing of ours';
      return undefined;
    case 'devices':
      if (to && to.kind !== 'shared' && to.kind !== 'devices') return 'devices imports only shared';
      return undefined;
    case 'station':
      if (to && !['shared', 'devices', 'station'].includes(to.kind)) return 'station imports only shared and devices';
      if (from.rules) return rulesViolation(to, { builtin, external });
      return undefined;
    case 'ui':
      if (builtin) return 'ui runs in renderers: no Node APIs';
      if (to && to.kind !== 'shared' && to.kind !== 'ui') return 'ui imports only shared';
      if (external && isNodeOnly(external)) return 'ui never imports Node-only packages';
      return undefined;
    case 'app':
      if (from.layer === 'main' || from.layer === 'preload') {
        return to?.kind === 'ui' ? 'main and preload run in Node: no renderer UI code' : undefined;
      }
      if (from.layer !== 'renderer') return undefined;
      if (builtin) return 'a renderer never imports Node modules';
      if (to && (to.kind === 'devices' || to.kind === 'station')) return 'a renderer reaches the station only through the API bridge';
      if (to?.kind === 'app' && (to.layer === 'main' || to.layer === 'preload')) return 'a renderer imports no main or preload code';
      if (external && isNodeOnly(external)) return 'a renderer never imports Node-only packages';
      return undefined;
    default:
      return undefined;
  }
}

/** Every broken rule for one import specifier in one file (the rule's logic, exported for its test). */
export function boundaryProblems(filename, specifier) {
  const from = placeOf(filename);
  const problems = [];
  if (specifier.startsWith('.')) {
    const to = placeOf(resolve(dirname(filename), specifier));
    const layer = layerViolation(from, to, {});
    if (layer) problems.push(layer);
    // Another workspace is reached by its package name, so only its entry points are visible. Tests and
    // benches may still open an app's files (they drive the central API and the stations white-box).
    const crossesInto = to.workspace && to.workspace !== from.workspace && (from.kind !== 'tooling' || (to.kind !== 'app' && to.kind !== 'tooling'));
    if (!layer && crossesInto && (from.workspace || from.kind === 'tooling')) {
      problems.push(`a path into ${to.workspace.name}'s files: import '${to.workspace.name}' (an entry of its package.json exports) instead`);
    }
    return problems;
  }
  const name = packageNameOf(specifier);
  const workspace = byName.get(name);
  if (workspace) {
    const to = placeOf(join(repoRoot, workspace.folder, 'src', 'index.ts'));
    const subpath = specifier === name ? '.' : `.${specifier.slice(name.length)}`;
    const layer = layerViolation(from, to, {});
    if (layer) problems.push(layer);
    if (!workspace.entries.has(subpath)) {
      problems.push(`'${specifier}' is inside ${name}: import one of its entry points (${[...workspace.entries].map((entry) => name + entry.slice(1)).join(', ')})`);
    }
    if (from.workspace && from.workspace !== workspace && !from.workspace.declared.has(name)) {
      problems.push(`${from.workspace.name} imports ${name} without declaring it in ${from.workspace.folder}/package.json`);
    }
    return problems;
  }
  const builtin = nodeBuiltins.has(name) || specifier.startsWith('node:');
  const layer = layerViolation(from, undefined, { builtin, external: name });
  if (layer) problems.push(layer);
  if (!builtin && from.workspace && !from.workspace.declared.has(name) && !(isToolingFile(from) && rootTooling.has(name))) {
    problems.push(`${from.workspace.name} imports ${name} without declaring it in ${from.workspace.folder}/package.json`);
  }
  return problems;
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'The dependency rule of ARCHITECTURE.md: layers, entry points, declared dependencies' },
    schema: [],
    messages: { broken: "'{{specifier}}': {{reason}}" },
  },
  create(context) {
    const check = (sourceNode) => {
      if (sourceNode?.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      for (const reason of boundaryProblems(context.filename, sourceNode.value)) {
        context.report({ node: sourceNode, messageId: 'broken', data: { specifier: sourceNode.value, reason } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export const hallPlugin = { rules: { boundaries } };
