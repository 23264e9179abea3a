import { parseYearArgs, runYearBench } from './year';

/** Entry for `npm run bench -- year [--days N] [--tickets T] [--measure-tickets M]` (see bench/year.ts). */
export async function runBenchmark(args: string[]): Promise<Record<string, number | string>> {
  return runYearBench(parseYearArgs(args));
}
