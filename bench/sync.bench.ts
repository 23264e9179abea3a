import { runSyncBench } from './sync';

/** Entry for `npm run bench -- sync [--quick]` (see bench/run.ts). */
export async function runBenchmark(args: string[]): Promise<Record<string, number | string>> {
  return runSyncBench({ quick: args.includes('--quick') });
}
