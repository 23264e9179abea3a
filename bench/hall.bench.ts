import { parseHallArgs, runHallBench, type Figures } from './hall';

/** Entry for `npm run bench -- hall [--quick]` (see bench/run.ts and bench/hall.ts). */
export async function runBenchmark(args: string[]): Promise<Figures> {
  return runHallBench(parseHallArgs(args));
}
