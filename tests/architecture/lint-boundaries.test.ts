import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency rule lives in eslint.config.js (eslint-rules/boundaries.js); `npm run lint`
// applies it to every file. Here each kind of forbidden import is linted on its own, as the
// repository's real configuration sees it at a path inside the repository.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: repoRoot });

async function ruleMessages(path: string, source: string, ruleIds: readonly string[]): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\n`, { filePath: join(repoRoot, path) });
  return (result?.messages ?? []).filter((message) => message.ruleId !== null && ruleIds.includes(message.ruleId)).map((message) => message.message);
}

const boundaryMessages = (path: string, source: string) => ruleMessages(path, source, ['hall/boundaries']);

const forbidden: Array<[path: string, source: string, reason: RegExp]> = [
  ['packages/shared/src/x.ts', "export { readFileSync } from 'node:fs';", /pure TypeScript/],
  ['packages/shared/src/x.ts', "export * from '@hall/devices';", /shared imports nothing of ours/],
  ['packages/shared/src/x.ts', "export * from '../../station/src/core';", /shared imports nothing of ours/],
  ['packages/devices/src/x.ts', "export * from '@hall/station';", /devices imports only shared/],
  ['packages/station/src/x.ts', "export * from '@hall/server';", /nothing imports an app/],
  ['packages/station/src/x.ts', "export * from '../../../apps/server/src/app';", /nothing imports an app/],
  ['packages/ui/src/x.ts', "export * from '@hall/station';", /ui imports only shared/],
  ['packages/ui/src/x.ts', "export { readFileSync } from 'node:fs';", /no Node APIs/],
  ['packages/ui/src/x.ts', "export * from 'serialport';", /Node-only/],
  ['apps/kiosk/src/renderer/x.ts', "export { join } from 'node:path';", /renderer never imports Node modules/],
  ['apps/kiosk/src/renderer/x.ts', "export { join } from 'path';", /renderer never imports Node modules/],
  ['apps/kiosk/src/renderer/x.ts', "export * from '@hall/station';", /only through the API bridge/],
  ['apps/kiosk/src/renderer/x.ts', "export * from '@hall/devices';", /only through the API bridge/],
  ['apps/kiosk/src/renderer/x.ts', "export { default } from 'better-sqlite3';", /Node-only/],
  ['apps/kiosk/src/renderer/x.ts', "export * from '../main/station';", /no main or preload code/],
  ['apps/counter/src/main/x.ts', "export * from '@hall/ui';", /no renderer UI code/],
  ['apps/counter/src/main/x.ts', "export * from '../../../kiosk/src/main/station';", /nothing imports an app/],
  // Entry points: only what a package.json `exports` names is reachable from outside.
  ['apps/kiosk/src/main/x.ts', "export * from '@hall/shared/queue/index';", /inside @hall\/shared: import one of its entry points/],
  ['apps/kiosk/src/main/x.ts', "export * from '@hall/station/roles/kiosk/role';", /inside @hall\/station/],
  ['tests/sync/x.test.ts', "export * from '@hall/devices/printer/index';", /inside @hall\/devices/],
  ['apps/kiosk/src/main/x.ts', "export * from '../../../../packages/station/src/core';", /a path into @hall\/station's files/],
  ['tests/sync/x.test.ts', "export * from '../../packages/station/src/mesh/testing';", /a path into @hall\/station's files/],
  // Dependencies are declared by the workspace that imports them.
  ['packages/devices/src/x.ts', "export * from 'pg';", /@hall\/devices imports pg without declaring it/],
  ['apps/console/src/renderer/x.ts', "export * from 'zustand';", /@hall\/console imports zustand without declaring it/],
  ['packages/station/src/x.ts', "export * from 'vitest';", /@hall\/station imports vitest without declaring it/],
  // Inside the station, a rules/ folder (at any depth) holds pure decision logic: no Node, no devices, no I/O modules.
  ['packages/station/src/store/rules/x.ts', "export { readFileSync } from 'node:fs';", /station rules module is pure.*no Node APIs/],
  ['packages/station/src/roles/kiosk/rules/x.ts', "export { createHash } from 'crypto';", /station rules module is pure.*no Node APIs/],
  ['packages/station/src/store/rules/x.ts', "import type Database from 'better-sqlite3';\nexport type Db = Database.Database;", /station rules module is pure/],
  ['packages/station/src/roles/locker/rules/x.ts', "export * from '@hall/devices';", /station rules module is pure/],
  ['packages/station/src/roles/counter/rules/x.ts', "export * from '@hall/station';", /station rules module is pure/],
  ['packages/station/src/store/rules/x.ts', "export { PeerMutations } from '../peers';", /station rules module is pure/],
  ['packages/station/src/store/rules/x.ts', "import type { StationStore } from '../store';\nexport type Store = StationStore;", /station rules module is pure/],
  ['packages/station/src/roles/kiosk/rules/x.ts', "export * from '../../../sync/client';", /station rules module is pure/],
];

const allowed: Array<[path: string, source: string]> = [
  ['packages/station/src/x.ts', "export * from '@hall/devices';"],
  ['apps/kiosk/src/main/x.ts', "export * from '@hall/station';\nexport * from '@hall/station/roles/kiosk';"],
  ['apps/kiosk/src/renderer/x.ts', "export * from '@hall/shared';\nexport * from '@hall/ui';\nimport '@hall/ui/tokens.css';"],
  ['apps/counter/src/renderer/x.ts', "export * from '@hall/ui';"],
  ['tests/sync/x.test.ts', "export * from '@hall/server/testing';\nexport * from 'vitest';"],
  ['packages/station/src/x.test.ts', "export * from 'vitest';"],
  ['packages/devices/src/x.ts', "export { readFileSync } from 'node:fs';\nexport * from 'serialport';"],
  // Tests and benches drive the apps white-box and share their harnesses.
  ['tests/sync/x.test.ts', "export * from '../../apps/server/src/testing/fixture';\nexport * from '../../bench/hall';"],
  ['tests/sync/x.test.ts', "export * from '@hall/station/testing';\nexport * from '@hall/devices/testing';"],
  // A station rules module uses shared, zod and other rules (its own area's or another's); its tests and the Node code around it are free.
  ['packages/station/src/store/rules/x.ts', "export * from '@hall/shared';\nexport { z } from 'zod';\nexport * from './sameJson';\nexport * from '../../sync/rules/backoff';"],
  ['packages/station/src/roles/counter/rules/x.ts', "export * from '../../../store/rules/retention';"],
  ['packages/station/src/store/rules/x.test.ts', "export * from 'vitest';\nexport { readFileSync } from 'node:fs';\nexport * from '../peers';"],
  ['packages/station/src/store/x.ts', "export { readFileSync } from 'node:fs';\nexport * from '@hall/devices';\nexport * from './rules/replay';"],
];

/** Pure also means no I/O through globals, and no clock or randomness of a rules module's own. */
const impureInRules: Array<[source: string, rule: string]> = [
  ["export const load = () => fetch('http://127.0.0.1/');", 'no-restricted-globals'],
  ['export const later = (run: () => void) => setTimeout(run, 10);', 'no-restricted-globals'],
  ['export const home = () => process.env.HOME;', 'no-restricted-globals'],
  ["export const bytes = Buffer.from('x');", 'no-restricted-globals'],
  ['export const now = () => Date.now();', 'no-restricted-properties'],
  ['export const today = () => new Date();', 'no-restricted-syntax'],
  ['export const pick = () => Math.random();', 'no-restricted-properties'],
];
const pureRulesRules = ['no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax'];

describe('the dependency rule in the linter', () => {
  it.each(forbidden)('%s: %s is reported', async (path, source, reason) => {
    const messages = await boundaryMessages(path, source);
    expect(messages.some((message) => reason.test(message)), messages.join('\n')).toBe(true);
  });

  it.each(allowed)('%s: %s passes', async (path, source) => {
    expect(await boundaryMessages(path, source)).toEqual([]);
  });

  it.each(impureInRules)('a station rules module: %s is reported', async (source, rule) => {
    const messages = await ruleMessages('packages/station/src/sync/rules/x.ts', source, [rule]);
    expect(messages.join('\n')).toMatch(/station rules module is pure/);
  });

  it('a station rules module may compute from its arguments, even dates and times they give', async () => {
    const source = 'export const dayOf = (nowMs: number) => new Date(nowMs).toISOString().slice(0, 10);';
    expect(await ruleMessages('packages/station/src/sync/rules/x.ts', source, pureRulesRules)).toEqual([]);
  });

  it('the Node code beside the rules keeps its clock and timers', async () => {
    const source = 'export const later = (run: () => void) => setTimeout(run, Date.now() % 10);';
    expect(await ruleMessages('packages/station/src/sync/x.ts', source, pureRulesRules)).toEqual([]);
  });

  it('reads dynamic imports too', async () => {
    const messages = await boundaryMessages('packages/shared/src/x.ts', "export const load = () => import('@hall/station');");
    expect(messages.join('\n')).toMatch(/shared imports nothing of ours/);
  });
});
