import { runSyncBench } from './sync';

/** Entry for `npm run bench -- sync [--quick]` (see bench/run.ts). */
export async function runBenchmark(args: string[]): Promise<Record<string, number>> {
  return runSyncBench({ quick: args.includes('--quick') });
}
