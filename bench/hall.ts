// Hall mesh figures with the central API unreachable: kiosk → counter and call → display
// latency over the LAN, convergence after a partition among stations heals, and catch-up
// with the API after an outage. `npm run bench -- hall [--quick]` prints them as JSON.
//
// Layout (2 cores in mind):
// * The central API (SQLite) runs in this process, as in the sync bench, behind a FaultProxy
//   frozen with setMode('partition') (a hung data centre: connections swallowed, never answered).
// * Latency and partition: five stations, each in its own child process (bench/hallStation.ts),
//   as on five hall PCs: kiosk-1, counter-1 and display-1 give the latency figures; kiosk-2
//   and counter-2 join them for the partition. Stamps are taken inside the stations.
// * Outage catch-up: ten stations (2 kiosks, 8 counters) in ONE child process. Ten processes
//   (tsx, SQLite, mesh each) would overload 2 cores and measure the scheduler; one process for
//   the hall and this one for the API gives each side a core. The mesh between the ten is
//   still real UDP on loopback.
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPorts, seededRandom } from '@hall/station/testing';
import { SyncClient } from '@hall/station';
import { FaultProxy } from '../tests/sync/faultProxy';
import { HALL_ID, startCentral, type Central } from '../tests/sync/harness';
import { ticketsDigest, type HallCommand, type HallEvent, type HallStationSpec, type StationReport } from './hallWire';
import { benchHall, catchUp, diskFsync, percentile } from './sync';

export type Figures = Record<string, number | boolean>;

export interface HallBenchOptions {
  quick: boolean;
  /** Kiosk → counter → display rounds. */
  rounds: number;
  /** The partition among stations. */
  partitionMs: number;
  /** Mutations made during the outage by the ten stations. */
  mutations: number;
}

export function parseHallArgs(args: readonly string[]): HallBenchOptions {
  const quick = args.includes('--quick');
  return { quick, rounds: quick ? 50 : 300, partitionMs: quick ? 10_000 : 60_000, mutations: quick ? 200 : 1000 };
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const stamp = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Station sync as installed (config defaults: poll 5 s, push batch 200, backoff 250 ms … 30 s), except number leases sized for the bench's outage. */
const REQUEST_TIMEOUT_MS = 3000;
function syncOptions(lowWater: number): HallStationSpec['sync'] {
  return { leaseBlockSize: 200, leaseLowWater: lowWater };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string), stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`hall bench: timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(stepMs);
  }
}

interface StationSpec {
  deviceId: string;
  role: 'kiosk' | 'counter' | 'display';
  counterId?: string;
}

/** A child process hosting one or more stations (bench/hallStation.ts). */
class StationProcess {
  private rid = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly eventListeners = new Set<(event: HallEvent) => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: { rid?: number; reply?: unknown; error?: string } & Partial<HallEvent>) => {
      if (message.rid !== undefined) {
        const waiter = this.waiting.get(message.rid);
        this.waiting.delete(message.rid);
        if (message.error !== undefined) waiter?.reject(new Error(`${name}: ${message.error}`));
        else waiter?.resolve(message.reply);
      } else if (message.ev) {
        for (const listener of this.eventListeners) listener(message as HallEvent);
      }
    });
    child.on('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${name} exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(name: string, specFile: string): Promise<StationProcess> {
    const child = fork(fileURLToPath(new URL('./hallStation.ts', import.meta.url)), [specFile], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before it was ready`));
      child.once('exit', onExit);
      child.once('message', () => {
        child.off('exit', onExit);
        resolve();
      });
    });
    return new StationProcess(name, child);
  }

  request<T>(command: HallCommand): Promise<T> {
    const rid = ++this.rid;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(rid, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ rid, ...command });
    });
  }

  status(): Promise<StationReport[]> {
    return this.request<StationReport[]>({ cmd: 'status' });
  }

  onEvent(listener: (event: HallEvent) => void): void {
    this.eventListeners.add(listener);
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send('exit');
    });
  }
}

/** Writes the spec of a station process: configs as the stations' files would carry them, mesh peers by fixed port. */
async function writeSpec(
  central: Central,
  dir: string,
  file: string,
  stations: readonly StationSpec[],
  ports: ReadonlyMap<string, number>,
  apiUrl: string,
  sync: HallStationSpec['sync'],
): Promise<string> {
  const configs = [];
  for (const station of stations) {
    const dataDir = join(dir, station.deviceId);
    const own = ports.get(station.deviceId)!;
    configs.push({
      hallId: HALL_ID,
      role: station.role,
      deviceId: station.deviceId,
      ...(station.counterId ? { counterId: station.counterId } : {}),
      apiUrl,
      enrollment: { code: await central.enrollmentCode(station.deviceId, station.role, station.counterId), credentialPath: join(dataDir, 'credential') },
      dataDir,
      mesh: { port: own, bind: '127.0.0.1', peers: [...ports.values()].filter((p) => p !== own).map((port) => ({ host: '127.0.0.1', port })) },
    });
  }
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ configs, sync, requestTimeoutMs: REQUEST_TIMEOUT_MS } satisfies HallStationSpec));
  return path;
}

async function allReports(processes: readonly StationProcess[]): Promise<StationReport[]> {
  return (await Promise.all(processes.map((p) => p.status()))).flat();
}

/** Bare UDP round trips to an echo in another process, on loopback, with datagrams the size of a sealed mutation. */
async function udpRttLoopback(count: number): Promise<{ p50: number; p99: number }> {
  const child = fork(fileURLToPath(new URL('./udpEcho.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const payload = Buffer.alloc(600, 7);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        socket.once('message', () => resolve());
        socket.send(payload, port, '127.0.0.1');
      });
      samples.push(performance.now() - t0);
      if (i % 10 === 9) await sleep(1);
    }
  } finally {
    socket.close();
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('exit');
    });
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

interface LatencyFigures {
  kioskToCounter: number[];
  callToDisplay: number[];
  kioskLocalCommit: number[];
  /** Both hops: sender's commit → the receiver's store starts taking it (send, UDP, event loop, decryption). */
  transit: number[];
  /** Both hops: the receiver's store transaction (durable, fsync) and live update until its listener. */
  apply: number[];
  lost: number;
}

/**
 * Rounds of: kiosk-1 issues a ticket (stamped when its commit reached the kiosk's live state,
 * before the mesh sends it); counter-1 sees it waiting (stamped in its live listener); counter-1
 * calls it (stamped likewise); display-1 shows it called; the counter serves and finishes it.
 */
async function measureLatency(kiosk: StationProcess, counter: StationProcess, display: StationProcess, rounds: number): Promise<LatencyFigures> {
  const seen = new Map<string, HallEvent>();
  const waiters = new Map<string, (event: HallEvent) => void>();
  const onEvent = (event: HallEvent) => {
    const key = `${event.station}|${event.ev}|${event.ticketId}`;
    const waiter = waiters.get(key);
    if (waiter) {
      waiters.delete(key);
      waiter(event);
    } else seen.set(key, event);
  };
  counter.onEvent(onEvent);
  display.onEvent(onEvent);
  const eventAt = (station: string, ev: HallEvent['ev'], ticketId: string, timeoutMs = 5000): Promise<HallEvent | undefined> => {
    const key = `${station}|${ev}|${ticketId}`;
    const known = seen.get(key);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      waiters.set(key, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  };
  await counter.request({ cmd: 'open', station: 'counter-1' });
  await Promise.all([counter, display].map((p) => p.request({ cmd: 'watch', on: true })));
  const figures: LatencyFigures = { kioskToCounter: [], callToDisplay: [], kioskLocalCommit: [], transit: [], apply: [], lost: 0 };
  const random = seededRandom(11);
  try {
    for (let i = 0; i < rounds; i++) {
      const issued = await kiosk.request<{ ticketId: string; before: number; committedAt: number }>({ cmd: 'issue', station: 'kiosk-1', serviceId: 't1-svc-1' });
      figures.kioskLocalCommit.push(issued.committedAt - issued.before);
      const waiting = await eventAt('counter-1', 'waiting', issued.ticketId);
      if (waiting === undefined) {
        figures.lost++;
        continue;
      }
      figures.kioskToCounter.push(waiting.at - issued.committedAt);
      if (waiting.receivedAt !== undefined) {
        figures.transit.push(waiting.receivedAt - issued.committedAt);
        figures.apply.push(waiting.at - waiting.receivedAt);
      }
      const called = await counter.request<{ ticketId: string | null; committedAt: number }>({ cmd: 'call', station: 'counter-1' });
      if (called.ticketId !== issued.ticketId) throw new Error(`counter-1 called ${called.ticketId ?? 'nothing'}, not the ticket just issued`);
      const shown = await eventAt('display-1', 'called', issued.ticketId);
      if (shown === undefined) figures.lost++;
      else {
        figures.callToDisplay.push(shown.at - called.committedAt);
        if (shown.receivedAt !== undefined) {
          figures.transit.push(shown.receivedAt - called.committedAt);
          figures.apply.push(shown.at - shown.receivedAt);
        }
      }
      await counter.request({ cmd: 'serveAndFinish', station: 'counter-1', ticketId: issued.ticketId });
      // People are not a tight loop: 10–40 ms between rounds, so one round's resends and
      // adverts are not always in flight during the next.
      await sleep(10 + random() * 30);
    }
  } finally {
    await Promise.all([counter, display].map((p) => p.request({ cmd: 'watch', on: false })));
  }
  return figures;
}

/** Where each station stands, for an error message. */
function describe(reports: readonly StationReport[]): string {
  return reports
    .map((r) => `${r.deviceId}: holds ${r.heldCount} (${r.held.slice(0, 8)}), advertises ${r.advertised}, shows ${r.ticketCount} tickets (${r.tickets.slice(0, 8)})`)
    .join('; ');
}

/** All stations hold the same mutations and show the same live tickets. */
function agreed(reports: readonly StationReport[]): boolean {
  const first = reports[0];
  return first !== undefined && reports.every((r) => r.held === first.held && r.tickets === first.tickets);
}

const LATENCY_HALL: StationSpec[] = [
  { deviceId: 'kiosk-1', role: 'kiosk' },
  { deviceId: 'counter-1', role: 'counter', counterId: 't1-c1' },
  { deviceId: 'display-1', role: 'display' },
  { deviceId: 'kiosk-2', role: 'kiosk' },
  { deviceId: 'counter-2', role: 'counter', counterId: 't1-c2' },
];
const SIDE_A = ['kiosk-1', 'counter-1', 'display-1'];
/** After this long without agreement the heal is reported as not converged (heal_converged false). */
const HEAL_GIVE_UP_MS = 30_000;

/** Latency rounds, then a partition among the five stations, all with the API hung. */
async function latencyAndPartition(options: HallBenchOptions, figures: Figures): Promise<void> {
  const central = await startCentral({ adjustHall: benchHall });
  const proxy = new FaultProxy(() => central.port, seededRandom(3));
  await proxy.listen();
  const dir = mkdtempSync(join(tmpdir(), 'bench-hall-'));
  const processes: StationProcess[] = [];
  try {
    const portList = await freeUdpPorts(LATENCY_HALL.length);
    const ports = new Map(LATENCY_HALL.map((s, i) => [s.deviceId, portList[i]!]));
    // Numbers for the latency rounds and the partition, leased while the API answers.
    const lowWater = options.rounds + 200;
    for (const station of LATENCY_HALL) {
      const spec = await writeSpec(central, dir, `${station.deviceId}.json`, [station], ports, proxy.url, syncOptions(lowWater));
      processes.push(await StationProcess.start(station.deviceId, spec));
    }
    const byName = new Map(processes.map((p) => [p.name, p]));
    await until(
      async () =>
        (await allReports(processes)).every(
          (r) => r.online && r.peers === LATENCY_HALL.length - 1 && Object.values(r.numbers).every((n) => n >= lowWater),
        ),
      60_000,
      'five stations online, meshed and holding numbers',
      100,
    );

    proxy.setMode('partition');
    await until(async () => (await allReports(processes)).every((r) => r.hallMode === 'mesh'), 30_000, 'every station in mesh mode', 100);

    const latency = await measureLatency(byName.get('kiosk-1')!, byName.get('counter-1')!, byName.get('display-1')!, options.rounds);
    figures.kiosk_to_counter_p50_ms = round(percentile(latency.kioskToCounter, 50));
    figures.kiosk_to_counter_p99_ms = round(percentile(latency.kioskToCounter, 99));
    figures.call_to_display_mesh_p50_ms = round(percentile(latency.callToDisplay, 50));
    figures.call_to_display_mesh_p99_ms = round(percentile(latency.callToDisplay, 99));
    figures.kiosk_local_commit_p50_ms = round(percentile(latency.kioskLocalCommit, 50));
    figures.kiosk_local_commit_p99_ms = round(percentile(latency.kioskLocalCommit, 99));
    figures.mesh_transit_p50_ms = round(percentile(latency.transit, 50));
    figures.mesh_transit_p99_ms = round(percentile(latency.transit, 99));
    figures.mesh_receiver_apply_p50_ms = round(percentile(latency.apply, 50));
    figures.mesh_receiver_apply_p99_ms = round(percentile(latency.apply, 99));
    // The machine's run queue while the latency was measured: on a shared 2-core box other
    // work (not the bench's) shows in the tails; read the p99s against it.
    figures.load_avg_1m_latency = round(loadavg()[0] ?? Number.NaN);
    figures.latency_samples = Math.min(latency.kioskToCounter.length, latency.callToDisplay.length);
    figures.latency_lost = latency.lost;

    // The LAN splits in two; both sides keep issuing and calling (tests/sync/activity.ts: kiosks
    // issue A and B tickets, counters open, call — a third of calls 特呼 the longest-waiting A
    // ticket, the one both sides most often fight over — serve, finish, pause now and then).
    const before = await allReports(processes);
    for (const station of processes) {
      const side = SIDE_A.includes(station.name) ? SIDE_A : LATENCY_HALL.map((s) => s.deviceId).filter((id) => !SIDE_A.includes(id));
      const other = LATENCY_HALL.map((s) => s.deviceId).filter((id) => !side.includes(id));
      await station.request({ cmd: 'partition', station: station.name, blockPorts: other.map((id) => ports.get(id)!) });
    }
    await Promise.all(processes.map((p, i) => p.request({ cmd: 'activity', intervalMs: 300, seed: 100 * (i + 1) })));
    await sleep(options.partitionMs);
    // The people stop and the LAN heals at once: the last actions' datagrams (a commit is
    // sent, then sent again 150 ms later) are still in flight when it does, as they would
    // be in a hall where people never stop.
    const acted = await Promise.all(processes.map((p) => p.request<{ committed: number }>({ cmd: 'stopActivity' })));
    const split = await allReports(processes);
    if (agreed(split)) throw new Error('partition: both sides ended with the same mutations, so nothing was partitioned');
    const healAt = stamp();
    await Promise.all(processes.map((p) => p.request({ cmd: 'heal' })));
    let reports: StationReport[] = [];
    let converged = true;
    try {
      await until(
        async () => {
          reports = await allReports(processes);
          return agreed(reports);
        },
        HEAL_GIVE_UP_MS,
        'stations to agree after the partition healed',
        20,
      );
    } catch {
      converged = false;
    }
    const polledAt = stamp();
    figures.heal_converged = converged;
    if (converged) {
      // The last arrival or live change anywhere is when the hall agreed; the poll only confirms it.
      const lastChange = Math.max(...reports.map((r) => r.lastChangeAt));
      figures.heal_converge_s = round((Math.min(polledAt, Math.max(lastChange, healAt)) - healAt) / 1000, 3);
      figures.heal_converge_polled_s = round((polledAt - healAt) / 1000, 3);
    } else {
      // Not a time: prints null. What is left apart says why (see the figures below).
      figures.heal_converge_s = Number.NaN;
      console.error(`hall bench: no agreement ${HEAL_GIVE_UP_MS / 1000} s after the heal: ${describe(reports)}`);
    }
    const heldCounts = reports.map((r) => r.heldCount);
    figures.heal_mutations_held_max = Math.max(...heldCounts);
    figures.heal_mutations_missing = heldCounts.reduce((n, c) => n + Math.max(...heldCounts) - c, 0);
    figures.heal_stations_advertising_same = reports.every((r) => r.advertised === reports[0]!.advertised);
    figures.heal_ticket_views = new Set(reports.map((r) => r.tickets)).size;
    figures.partition_s = round(options.partitionMs / 1000, 1);
    figures.partition_mutations = acted.reduce((n, a) => n + a.committed, 0);
    const madeDuring = (ids: (id: string) => boolean) =>
      split.filter((r) => ids(r.deviceId)).reduce((n, r) => n + r.committed - (before.find((b) => b.deviceId === r.deviceId)?.committed ?? 0), 0);
    figures.partition_mutations_side_a = madeDuring((id) => SIDE_A.includes(id));
    figures.partition_mutations_side_b = madeDuring((id) => !SIDE_A.includes(id));
    figures.tickets_issued_latency_and_partition = Math.max(...reports.map((r) => r.ticketCount));
  } finally {
    await Promise.all(processes.map((p) => p.exit()));
    await proxy.close();
    await central.close();
    if (process.env.HALL_BENCH_KEEP) console.error(`hall bench: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const OUTAGE_HALL: StationSpec[] = [
  { deviceId: 'ok-1', role: 'kiosk' },
  { deviceId: 'ok-2', role: 'kiosk' },
  { deviceId: 'oc-1', role: 'counter', counterId: 't1-c1' },
  { deviceId: 'oc-2', role: 'counter', counterId: 't1-c2' },
  ...Array.from({ length: 6 }, (_, i) => ({ deviceId: `oc-${i + 3}`, role: 'counter' as const, counterId: `t1-bench-${i}` })),
];

async function serverMutations(central: Central): Promise<{ applied: number; rejected: number }> {
  const rows = await central.database.db
    .withTables<{ sync_mutations: { hall_id: string; status: string } }>()
    .selectFrom('sync_mutations')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', HALL_ID)
    .groupBy('status')
    .execute();
  const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { applied: of('applied'), rejected: of('rejected') };
}

async function hallHead(central: Central): Promise<number> {
  const row = await central.database.db.withTables<{ sync_halls: { hall_id: string; head: number } }>().selectFrom('sync_halls').select('head').where('hall_id', '=', HALL_ID).executeTakeFirst();
  return Number(row?.head ?? 0);
}

/**
 * Ten stations work through an outage (mesh whole, API hung): `mutations` user actions,
 * round robin (kiosks issue, counters open, call, serve, finish). Then the API answers
 * again: seconds until the server decided every mutation and every station's live tickets
 * equal the server's snapshot.
 */
async function outageCatchUp(options: HallBenchOptions, figures: Figures): Promise<void> {
  const central = await startCentral({ adjustHall: benchHall });
  const proxy = new FaultProxy(() => central.port, seededRandom(5));
  await proxy.listen();
  const dir = mkdtempSync(join(tmpdir(), 'bench-outage-'));
  let hall: StationProcess | undefined;
  try {
    const observer = new SyncClient({ apiUrl: central.url, timeoutMs: 60_000 });
    observer.setCredential((await observer.enroll(await central.enrollmentCode('bench-observer', 'display'))).credential);
    const portList = await freeUdpPorts(OUTAGE_HALL.length);
    const ports = new Map(OUTAGE_HALL.map((s, i) => [s.deviceId, portList[i]!]));
    const lowWater = Math.ceil(options.mutations / 2);
    const spec = await writeSpec(central, dir, 'outage-hall.json', OUTAGE_HALL, ports, proxy.url, syncOptions(lowWater));
    hall = await StationProcess.start('outage-hall', spec);
    const station = hall;
    await until(
      async () =>
        (await station.status()).every((r) => r.online && r.peers === OUTAGE_HALL.length - 1 && Object.values(r.numbers).every((n) => n >= lowWater)),
      60_000,
      'ten stations online, meshed and holding numbers',
      100,
    );
    const outageAt = stamp();
    proxy.setMode('partition');
    await until(async () => (await station.status()).every((r) => r.hallMode === 'mesh'), 30_000, 'every station in mesh mode', 100);
    const driven = await station.request<{ committed: number; refused: number }>({ cmd: 'drive', count: options.mutations, gapMs: 3 });
    await until(async () => agreed(await station.status()), 30_000, 'the ten stations to agree over the mesh');
    const made = await station.status();

    const t0 = stamp();
    figures.outage_s = round((t0 - outageAt) / 1000, 1);
    proxy.setMode('normal');
    let server: Awaited<ReturnType<SyncClient['snapshot']>> | undefined;
    let firstDecidedAt: number | undefined;
    await until(
      async () => {
        if (firstDecidedAt === undefined) {
          const decided = await serverMutations(central);
          if (decided.applied + decided.rejected > 0) firstDecidedAt = stamp();
        }
        const reports = await station.status();
        const head = await hallHead(central);
        if (!reports.every((r) => r.pending === 0 && r.peerPending === 0 && r.cursor === head)) return false;
        server = await observer.snapshot();
        const digest = ticketsDigest(Object.fromEntries(server.tickets.map((t) => [t.id, t])));
        return reports.every((r) => r.tickets === digest);
      },
      300_000,
      'every mutation confirmed and every station showing the server snapshot',
      50,
    );
    figures.outage_catchup_s = round((stamp() - t0) / 1000, 3);
    // Until the server decided the first mutation: the stations' retry backoff after the outage, not work.
    figures.outage_first_confirmed_s = round(((firstDecidedAt ?? Number.NaN) - t0) / 1000, 3);
    const decided = await serverMutations(central);
    figures.outage_stations = OUTAGE_HALL.length;
    figures.outage_mutations = driven.committed;
    figures.outage_mutations_held_per_station = made[0]!.heldCount;
    figures.outage_confirmed_applied = decided.applied;
    figures.outage_confirmed_rejected = decided.rejected;
    figures.outage_tickets_on_server = server?.tickets.length ?? 0;
    figures.outage_refused_locally = driven.refused;
  } finally {
    await hall?.exit();
    await proxy.close();
    await central.close();
    if (process.env.HALL_BENCH_KEEP) console.error(`hall bench: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export async function runHallBench(options: HallBenchOptions): Promise<Figures> {
  const figures: Figures = { cores: cpus().length };
  const rtt = await udpRttLoopback(options.quick ? 300 : 2000);
  figures.udp_rtt_loopback_p50_ms = round(rtt.p50, 3);
  figures.udp_rtt_loopback_p99_ms = round(rtt.p99, 3);
  // Every receiver takes a peer's mutation in one durable SQLite transaction before it shows it.
  const fsync = diskFsync(options.quick ? 300 : 1000);
  figures.disk_fsync_p50_ms = round(fsync.p50, 3);
  figures.disk_fsync_p99_ms = round(fsync.p99, 3);
  await latencyAndPartition(options, figures);
  await outageCatchUp(options, figures);
  // Floor for the catch-up: one station alone (no mesh, no outage, sync stopped and started
  // again) pushing as many mutations of its own, in the same batches, until the server
  // applied them and it pulled the result (bench/sync.ts catchUp).
  const floorCentral = await startCentral({ adjustHall: benchHall });
  try {
    figures.floor_one_station_catchup_s = round((await catchUp(floorCentral, options.mutations, 200)).seconds, 3);
  } finally {
    await floorCentral.close();
  }
  return figures;
}
