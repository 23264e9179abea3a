import { existsSync } from 'node:fs';
import type { DemoHall } from '../demo/types';

/**
 * The demo data module, loaded only when present so the server (and its tests) run in a
 * tree where it has not landed yet.
 */
export async function loadDemoHall(): Promise<DemoHall | undefined> {
  const url = new URL('../demo/index.ts', import.meta.url);
  if (!existsSync(url)) return undefined;
  return ((await import(url.href)) as { demoHall?: DemoHall }).demoHall;
}
