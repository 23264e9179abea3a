// A city-sized day through the central API: `npm run bench -- city [--halls N] [--tickets N]
// [--max-seconds S] [--concurrency N] [--spread] [--quick]`. 100 halls × 20 stations (2 kiosks, 16 counters, 2 displays)
// against one PostgreSQL with two API instances (child processes, as in production) on
// loopback. Each hall issues its day's tickets in rounds; counters call, start and finish
// them; displays pull. Every sync request's latency is recorded. Bounded: it stops after
// the day or after --max-seconds, whichever comes first, and says how much of the day ran.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../apps/server/src/db/connection';
import { migrate } from '../apps/server/src/db/migrate';
import { seedDemoHall } from '../apps/server/src/demo/seed';
import { createPostgresDatabase } from '../apps/server/src/testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../apps/server/src/testing/fixture';
import { uuidV7, type Mutation, localDay } from '@hall/shared';
import { proven } from '../apps/server/src/testing/clerk';
import { SyncClient, type ClerkSessionProver } from '@hall/station';
import { signInCounterClerk } from './clerk';
import { cpuFigures, sampleCpu, startBenchPostgres } from './syncMeter';
import { SyncWire } from './syncWire';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KIOSKS = 2;
const COUNTERS = 16;
const DISPLAYS = 2;

export interface CityArgs {
  halls: number;
  ticketsPerHall: number;
  maxSeconds: number;
  /** Tickets each kiosk issues per round (one push). */
  perRound: number;
  /** Requests in flight across the city: a closed-loop generator, below each instance's admission limit (64). */
  concurrency: number;
  /**
   * How stations reach the two instances: `hall` keeps a hall's stations on one instance
   * (deploy/nginx: hash on the hall in the URL), `spread` alternates stations of a hall
   * between instances (plain round robin).
   */
  routing: 'hall' | 'spread';
  /**
   * Which waiting request a free virtual user sends: `fair` takes the halls in turn, as
   * independent stations would arrive; `fifo` sends in arrival order, so one hall's
   * round (16 counters at once) fills every slot and queues on that hall's lock.
   */
  scheduling: 'fair' | 'fifo';
}

export function parseCityArgs(args: readonly string[]): CityArgs {
  const value = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    const parsed = at >= 0 ? Number(args[at + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} expects a positive integer`);
    return parsed;
  };
  const quick = args.includes('--quick');
  return {
    halls: value('--halls', quick ? 10 : 100),
    ticketsPerHall: value('--tickets', quick ? 200 : 2000),
    maxSeconds: value('--max-seconds', quick ? 60 : 600),
    perRound: value('--per-round', 25),
    concurrency: value('--concurrency', 4),
    routing: args.includes('--spread') ? 'spread' : 'hall',
    scheduling: args.includes('--fifo') ? 'fifo' : 'fair',
  };
}

/** Counting semaphore: the load generator is closed-loop with `concurrency` virtual users. */
class Gate {
  #free: number;
  /** Waiting requests per hall; a Map iterates in insertion order, so re-inserting rotates. */
  readonly #waiting = new Map<string, (() => void)[]>();
  constructor(
    size: number,
    private readonly scheduling: CityArgs['scheduling'],
  ) {
    this.#free = size;
  }
  async run<T>(hall: string, work: () => Promise<T>): Promise<T> {
    const key = this.scheduling === 'fair' ? hall : '';
    if (this.#free > 0) this.#free -= 1;
    else {
      await new Promise<void>((resolve) => {
        const list = this.#waiting.get(key);
        if (list) list.push(resolve);
        else this.#waiting.set(key, [resolve]);
      });
    }
    try {
      return await work();
    } finally {
      this.#next();
    }
  }
  #next(): void {
    const first = this.#waiting.entries().next();
    if (first.done) {
      this.#free += 1;
      return;
    }
    const [key, list] = first.value;
    const resolve = list.shift();
    this.#waiting.delete(key);
    if (list.length > 0) this.#waiting.set(key, list);
    resolve?.();
  }
}

interface Recorder {
  latencies: number[];
  errors: number;
  applied: number;
  firstError?: string;
}

function percentile(samples: number[], p: number): number {
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** An API instance as production runs it: its own process, migrating on start. */
async function startInstance(databaseUrl: string, dataKeys: string): Promise<{ url: string; process: ChildProcess }> {
  // HALL_BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each instance there on exit.
  const profile = process.env.HALL_BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HALL_BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(root, 'apps/server/src/cli/start.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, HALL_HOST: '127.0.0.1', HALL_PORT: '0', HALL_SEED_DEMO: '0', HALL_LOG_LEVEL: 'warn', HALL_SYNC_DEVICE_RATE: '1000', HALL_DATA_KEYS: dataKeys },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[0-9.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`API instance exited (${String(code)}): ${output}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  return { url, process: child };
}

function tag(hall: number): string {
  return `c${String(hall).padStart(3, '0')}`;
}

/** The fixture hall with 4-digit numbers, open every day all day, and 16 general counters. */
function cityHall(hall: number) {
  const t = tag(hall);
  const demo = fixtureHall(t);
  demo.hall.openingHours = { weekdays: [1, 2, 3, 4, 5, 6, 7], sessions: [{ from: '00:00', to: '23:59' }] } as typeof demo.hall.openingHours;
  for (const queue of demo.queues) queue.numberDigits = 4;
  const template = demo.counters[1]!;
  demo.counters = Array.from({ length: COUNTERS }, (_, i) => ({ ...template, id: `${t}-k${i}`, number: String(i + 1), name: { zh: `${i + 1}号窗口` } }));
  return demo;
}

interface Station {
  id: string;
  credential: string;
  /** A counter's signed-in clerk: its counter mutations carry the session's proof. */
  clerk?: ClerkSessionProver;
  /** The keep-alive connection pool to the station's API instance. */
  wire: SyncWire;
  seq: number;
}

function mutation(station: Station, type: Mutation['type'], payload: Record<string, unknown>): Mutation {
  station.seq += 1;
  const made: Mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: station.id, epoch: 'city', seq: station.seq, type, payload: { ...payload, at: new Date().toISOString() }, hlc: String(station.seq) };
  return station.clerk ? proven(station.clerk, made) : made;
}

async function enroll(apiUrl: string, wire: SyncWire, managerToken: string, hallId: string, id: string, role: 'kiosk' | 'counter' | 'display', counterId?: string): Promise<Station> {
  const created = await fetch(`${apiUrl}/api/v1/sync/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${managerToken}` },
    // A counter device acts only for the counter it is bound to.
    body: JSON.stringify({ id, hallId, role, name: id, ...(counterId ? { counterId } : {}) }),
  });
  if (created.status !== 201) throw new Error(`device ${id}: ${created.status} ${await created.text()}`);
  const { enrollmentCode } = (await created.json()) as { enrollmentCode: string };
  const client = new SyncClient({ apiUrl, timeoutMs: 60_000 });
  const credential = (await client.enroll(enrollmentCode)).credential;
  if (!counterId) return { id, credential, wire, seq: 0 };
  client.setCredential(credential);
  const clerk = await signInCounterClerk(client, { id }, `${hallId.replace(/-hall$/, '')}-clerk`, counterId);
  return { id, credential, wire, seq: 0, clerk };
}

async function login(apiUrl: string, loginName: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: loginName, password: FIXTURE_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login ${loginName}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

interface HallRun {
  hallId: string;
  t: string;
  kiosks: Station[];
  counters: Station[];
  displays: Station[];
  cursors: number[];
  numbers: number[][];
  issued: number;
}

async function setUpHall(hall: number, urls: string[], wires: SyncWire[], routing: CityArgs['routing']): Promise<HallRun> {
  const t = tag(hall);
  const hallId = `${t}-hall`;
  const instanceFor = (n: number) => (hall + (routing === 'spread' ? n : 0)) % urls.length;
  const token = await login(urls[instanceFor(0)]!, `${t}-manager`);
  const enrollAt = (n: number, id: string, role: 'kiosk' | 'counter' | 'display', counterId?: string) =>
    enroll(urls[instanceFor(n)]!, wires[instanceFor(n)]!, token, hallId, id, role, counterId);
  const kiosks: Station[] = [];
  const counters: Station[] = [];
  const displays: Station[] = [];
  for (let i = 0; i < KIOSKS; i++) kiosks.push(await enrollAt(i, `${t}-kiosk-${i}`, 'kiosk'));
  for (let i = 0; i < COUNTERS; i++) counters.push(await enrollAt(i, `${t}-counter-${i}`, 'counter', `${t}-k${i}`));
  for (let i = 0; i < DISPLAYS; i++) displays.push(await enrollAt(i, `${t}-display-${i}`, 'display'));
  return { hallId, t, kiosks, counters, displays, cursors: displays.map(() => 0), numbers: kiosks.map(() => []), issued: 0 };
}

/**
 * One timed sync request; a thrown error or a rejected mutation counts as an error. After
 * the deadline nothing new is sent, so the run ends within one request of --max-seconds.
 * Returns whether the request was sent and succeeded.
 */
async function timed(gate: Gate, hall: string, recorder: Recorder, deadline: number, work: () => Promise<number>): Promise<boolean> {
  return gate.run(hall, async () => {
    if (performance.now() > deadline) return false;
    const t0 = performance.now();
    try {
      const applied = await work();
      recorder.applied += applied;
      return true;
    } catch (error) {
      recorder.errors += 1;
      recorder.firstError ??= error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      recorder.latencies.push(performance.now() - t0);
    }
  });
}

function push(station: Station, mutations: Mutation[]): Promise<number> {
  return station.wire.push(station.credential, 'city', mutations);
}

/** The hall's day, round by round, until its tickets are issued and served or time is up. */
async function runHallDay(run: HallRun, args: CityArgs, gate: Gate, recorder: Recorder, deadline: number): Promise<void> {
  const day = localDay(Date.now(), 'Asia/Shanghai');
  const queues = [`${run.t}-qa`, `${run.t}-qb`];
  const services = [`${run.t}-svc-1`, `${run.t}-svc-2`];
  await Promise.all(run.counters.map((counter, i) => timed(gate, run.hallId, recorder, deadline, () => push(counter, [mutation(counter, 'openCounter', { counterId: `${run.t}-k${i}` })]))));
  let waiting: string[] = [];
  let nextCounter = 0;
  while (run.issued < args.ticketsPerHall && performance.now() < deadline) {
    const round: string[] = [];
    await Promise.all(
      run.kiosks.map(async (kiosk, k) => {
        const count = Math.min(args.perRound, Math.ceil((args.ticketsPerHall - run.issued) / run.kiosks.length));
        if (count <= 0) return;
        const numbers = run.numbers[k]!;
        while (numbers.length < count) {
          const leased = await timed(gate, run.hallId, recorder, deadline, async () => {
            const block = await kiosk.wire.lease(kiosk.credential, queues[k % 2]!, day, 200);
            for (let s = block.start; s <= block.end; s++) numbers.push(s);
            return 0;
          });
          if (!leased) return;
        }
        const ids = Array.from({ length: count }, () => uuidV7(Date.now(), randomBytes(10)));
        const mutations = ids.map((ticketId) =>
          mutation(kiosk, 'issueTicket', { ticketId, queueId: queues[k % 2], serviceIds: [services[k % 2]], kind: 'walk_in', sequence: numbers.shift() }),
        );
        if (await timed(gate, run.hallId, recorder, deadline, () => push(kiosk, mutations))) round.push(...ids);
      }),
    );
    run.issued += round.length;
    // Counters serve the previous round's tickets, so a queue is always waiting.
    const byCounter = new Map<number, string[]>();
    for (const ticketId of waiting) {
      const list = byCounter.get(nextCounter) ?? [];
      list.push(ticketId);
      byCounter.set(nextCounter, list);
      nextCounter = (nextCounter + 1) % run.counters.length;
    }
    waiting = round;
    await Promise.all([
      ...[...byCounter].map(([i, tickets]) => {
        const counter = run.counters[i]!;
        const counterId = `${run.t}-k${i}`;
        const mutations = tickets.flatMap((ticketId) => [
          mutation(counter, 'callSpecific', { counterId, ticketId }),
          mutation(counter, 'startServing', { counterId, ticketId }),
          mutation(counter, 'finish', { counterId, ticketId }),
        ]);
        return timed(gate, run.hallId, recorder, deadline, () => push(counter, mutations));
      }),
      ...run.displays.map((display, d) =>
        timed(gate, run.hallId, recorder, deadline, async () => {
          const page = await display.wire.pull(display.credential, run.cursors[d]!, 1000);
          if (page.kind === 'page' && page.cursor !== undefined) run.cursors[d] = page.cursor;
          return 0;
        }),
      ),
    ]);
  }
}

export async function runBenchmark(rawArgs: string[]): Promise<Record<string, number | string>> {
  const args = parseCityArgs(rawArgs);
  // HALL_BENCH_PG_STATS=1 prints the statements PostgreSQL spent most time on (stderr).
  const statements = process.env.HALL_BENCH_PG_STATS === '1';
  let adminUrl = process.env.HALL_TEST_DATABASE_URL;
  let postgres: Awaited<ReturnType<typeof startBenchPostgres>> | undefined;
  if (!adminUrl) {
    postgres = await startBenchPostgres({ statements });
    adminUrl = postgres.adminUrl;
  }
  const instances: ChildProcess[] = [];
  const wires: SyncWire[] = [];
  const created = await createPostgresDatabase(adminUrl);
  const database = openDatabase({ dialect: 'postgres', url: created.url, poolSize: 4 });
  try {
    const setupStart = performance.now();
    await migrate(database);
    for (let hall = 0; hall < args.halls; hall++) await seedDemoHall(database.db, cityHall(hall));
    const durability = await sql<{ fsync: string; synchronous_commit: string }>`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`.execute(database.db);
    if (statements && postgres) await sql`create extension if not exists pg_stat_statements`.execute(database.db);
    // Both instances seal and open personal data with the same key, as a deployment's would.
    const dataKeys = process.env.HALL_DATA_KEYS ?? `bench:${randomBytes(32).toString('base64')}`;
    const started = await Promise.all([startInstance(created.url, dataKeys), startInstance(created.url, dataKeys)]);
    instances.push(...started.map((s) => s.process));
    const urls = started.map((s) => s.url);
    wires.push(...urls.map((url) => new SyncWire(url)));
    const runs: HallRun[] = [];
    for (let first = 0; first < args.halls; first += 10) {
      const batch = Array.from({ length: Math.min(10, args.halls - first) }, (_, i) => first + i);
      runs.push(...(await Promise.all(batch.map((hall) => setUpHall(hall, urls, wires, args.routing)))));
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;
    if (statements && postgres) await sql`select pg_stat_statements_reset()`.execute(database.db);

    const recorder: Recorder = { latencies: [], errors: 0, applied: 0 };
    const gate = new Gate(args.concurrency, args.scheduling);
    const apiPids = instances.map((child) => child.pid ?? 0);
    const cpuBefore = sampleCpu(apiPids, postgres?.postmasterPid);
    const t0 = performance.now();
    const deadline = t0 + args.maxSeconds * 1000;
    await Promise.all(runs.map((run) => runHallDay(run, args, gate, recorder, deadline)));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuFigures(cpuBefore, sampleCpu(apiPids, postgres?.postmasterPid));
    const issued = runs.reduce((n, run) => n + run.issued, 0);
    if (recorder.firstError) console.error(`first error: ${recorder.firstError}`);
    if (statements && postgres) await printTopStatements(database);
    return {
      halls: args.halls,
      stations: args.halls * (KIOSKS + COUNTERS + DISPLAYS),
      api_instances: urls.length,
      concurrency: args.concurrency,
      routing_spread: args.routing === 'spread' ? 1 : 0,
      scheduling: args.scheduling,
      pg_fsync: durability.rows[0]?.fsync ?? '?',
      pg_synchronous_commit: durability.rows[0]?.synchronous_commit ?? '?',
      tickets_target: args.halls * args.ticketsPerHall,
      tickets_issued: issued,
      day_completed: Number((issued / (args.halls * args.ticketsPerHall)).toFixed(3)),
      mutations: recorder.applied,
      requests: recorder.latencies.length,
      seconds: Number(seconds.toFixed(1)),
      setup_seconds: Number(setupSeconds.toFixed(1)),
      ...cpu,
      mutations_per_s: Math.round(recorder.applied / seconds),
      requests_per_s: Math.round(recorder.latencies.length / seconds),
      p50_ms: Number(percentile(recorder.latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(recorder.latencies, 99).toFixed(1)),
      errors: recorder.errors,
    };
  } finally {
    for (const child of instances) child.kill('SIGTERM');
    await Promise.all(instances.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    for (const wire of wires) wire.close();
    await database.close();
    await created.drop();
    await postgres?.stop();
  }
}

async function printTopStatements(database: ReturnType<typeof openDatabase>): Promise<void> {
  const top = await sql<{ calls: string; total_ms: number; mean_ms: number; query: string }>`
    select calls, total_exec_time as total_ms, mean_exec_time as mean_ms, query from pg_stat_statements
    order by total_exec_time desc limit 15`.execute(database.db);
  for (const row of top.rows) {
    console.error(`${row.total_ms.toFixed(0).padStart(8)} ms ${String(row.calls).padStart(8)} calls ${row.mean_ms.toFixed(2).padStart(7)} ms/call  ${row.query.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
}
