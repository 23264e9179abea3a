// `npm run bench -- <name>` runs one benchmark and prints its figures as one JSON
// object on the last line, so closing notes and CI logs can quote them verbatim.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();

const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}

// Bench databases are throwaway; the central API still refuses PostgreSQL without a data key.
process.env.HALL_DATA_KEYS ??= `bench:${randomBytes(32).toString('base64')}`;

const module = (await import(pathToFileURL(`${benchDir}/${name}.bench.ts`).href)) as {
  runBenchmark: (args: string[]) => Promise<Record<string, number | string | boolean>>;
};
const figures = await module.runBenchmark(process.argv.slice(3));
console.log(JSON.stringify({ bench: name, ...figures }));
process.exit(0);
