// What a load test needs around it on a small shared machine: a PostgreSQL configured as
// production runs it, and where the CPU went while it ran (the generator, the API
// instances, PostgreSQL, everything else), so a latency figure can be interpreted.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../tests/setup/global-postgres';

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every Linux build we run on). */
const TICKS = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after it are space separated (state is field 3).
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds a process used (user + system), plus what its exited children used if asked. */
export function processCpuSeconds(pid: number, withReapedChildren = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  // Fields 14-17 of proc(5): utime, stime, cutime, cstime (0-based after the name: 11-14).
  const own = Number(f[11]) + Number(f[12]);
  const children = withReapedChildren ? Number(f[13]) + Number(f[14]) : 0;
  return (own + children) / TICKS;
}

/** A PostgreSQL server's CPU: the postmaster, its exited backends, and its live ones. */
export function postgresCpuSeconds(postmasterPid: number): number {
  let total = processCpuSeconds(postmasterPid, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmasterPid) total += processCpuSeconds(Number(entry));
  }
  return total;
}

/** Busy CPU seconds of the whole machine (all cores). */
export function machineBusySeconds(): number {
  let busy = 0;
  for (const cpu of cpus()) busy += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  return busy / 1000;
}

export interface CpuSample {
  at: number;
  generator: number;
  api: number;
  postgres: number;
  machine: number;
}

export function sampleCpu(apiPids: readonly number[], postmasterPid: number | undefined): CpuSample {
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    generator: (own.user + own.system) / 1e6,
    api: apiPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    postgres: postmasterPid === undefined ? NaN : postgresCpuSeconds(postmasterPid),
    machine: machineBusySeconds(),
  };
}

/** Average use between two samples, in percent of one core (200 = both cores of a 2-core machine). */
export function cpuFigures(from: CpuSample, to: CpuSample): Record<string, number> {
  const seconds = (to.at - from.at) / 1000;
  const pct = (a: number, b: number) => Math.round(((b - a) / seconds) * 100);
  const generator = pct(from.generator, to.generator);
  const api = pct(from.api, to.api);
  const postgres = pct(from.postgres, to.postgres);
  const machine = pct(from.machine, to.machine);
  return {
    cores: cpus().length,
    cpu_generator_pct: generator,
    cpu_api_pct: api,
    ...(Number.isNaN(postgres) ? {} : { cpu_postgres_pct: postgres, cpu_other_pct: machine - generator - api - postgres }),
    cpu_machine_pct: machine,
    loadavg_1m: Number((loadavg()[0] ?? 0).toFixed(1)),
  };
}

export interface BenchPostgres {
  adminUrl: string;
  postmasterPid: number;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL with production's durability: fsync, synchronous_commit and
 * full_page_writes at PostgreSQL's defaults (on), which the deployment (docs/OPERATIONS.md)
 * does not change; the test suite's cluster turns them off for speed, so a figure
 * measured there would promise what production cannot keep. `statements` loads
 * pg_stat_statements.
 */
export async function startBenchPostgres(options: { statements: boolean }): Promise<BenchPostgres> {
  const server = await startEmbeddedPostgres({ password: 'hall-bench', flags: options.statements ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : [] });
  const postmasterPid = Number(readFileSync(path.join(server.databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { adminUrl: server.adminUrl, postmasterPid, stop: server.stop };
}
