// The hall PCs of the year bench: a kiosk and a counter station in one process (apart from
// the central API, so their memory is measured apart), on a simulated clock that the bench
// moves from hall-day to hall-day.
// IPC in: {cmd:'start', …}, {cmd:'day', …}, 'exit'. IPC out: 'ready', {day figures}.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { uuidV7 } from '@hall/shared';
import { LocalRejection, type StationRuntime } from '@hall/station';
import { signInStationClerk } from '@hall/station/testing';
import { FIXTURE_PASSWORD } from '../apps/server/src/testing/fixture';
import { eventually, startTestStation } from '../tests/sync/harness';
import { percentile } from './sync';

export interface SimClock {
  /** Simulated time at `realStart` (ms). */
  dayBase: number;
  realStart: number;
}

export interface StartMessage {
  cmd: 'start';
  apiUrl: string;
  kioskCode: string;
  counterCode: string;
  clock: SimClock;
}

export interface DayMessage {
  cmd: 'day';
  clock: SimClock;
  tickets: number;
}

export interface DayFigures {
  commits: number;
  local_commit_p99_ms: number;
  local_commit_p50_ms: number;
  /** The floor under a durable commit, sampled between the day's commits (FloorSampler). */
  disk_fsync_p99_ms: number;
  call_next_p99_ms: number;
  station_db_bytes: number;
  station_rss_bytes: number;
  station_heap_bytes: number;
  station_tickets: number;
  station_outbox_rows: number;
}

/**
 * A full garbage collection before memory is read, so RSS and heap figures compare what is
 * held, not how far the collector happened to lag behind on that day.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

let clock: SimClock = { dayBase: Date.now(), realStart: Date.now() };
const now = () => clock.dayBase + (Date.now() - clock.realStart);

let kiosk: StationRuntime & { dataDir: string };
let counter: StationRuntime & { dataDir: string };

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function dbBytes(dataDir: string): number {
  const file = join(dataDir, 'station.db');
  return fileBytes(file) + fileBytes(`${file}-wal`);
}

async function start(message: StartMessage): Promise<void> {
  clock = message.clock;
  // Polling stays slow: pokes and local commits drive sync, as in a hall.
  const sync = { pollIntervalMs: 2000, leaseBlockSize: 200, leaseLowWater: 100 };
  kiosk = await startTestStation({ deviceId: 'year-kiosk', role: 'kiosk', apiUrl: message.apiUrl, code: message.kioskCode, start: { now, sync } });
  counter = await startTestStation({ deviceId: 'year-counter', role: 'counter', counterId: 't1-c1', apiUrl: message.apiUrl, code: message.counterCode, start: { now, sync } });
}

/**
 * The floor under a durable commit, sampled between the day's commits (not after them), so
 * both see the same load of the machine: one fsync'd one-row insert into a bare table on
 * the same disk (WAL, synchronous=FULL, as the station runs).
 */
class FloorSampler {
  private readonly dir = mkdtempSync(join(tmpdir(), 'bench-year-floor-'));
  private readonly db = new Database(join(this.dir, 'floor.db'));
  private readonly insert;
  readonly samples: number[] = [];

  constructor() {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec('CREATE TABLE t (v INTEGER)');
    this.insert = this.db.prepare<[number]>('INSERT INTO t (v) VALUES (?)');
  }

  sample(): void {
    const t0 = performance.now();
    this.insert.run(this.samples.length);
    this.samples.push(performance.now() - t0);
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `work` and records how long it took. */
function timed<T>(samples: number[], work: () => T): T {
  const t0 = performance.now();
  const result = work();
  samples.push(performance.now() - t0);
  return result;
}

async function issueWithNumbers(samples: number[]): Promise<string> {
  for (;;) {
    try {
      return timed(samples, () => kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' })).id;
    } catch (error) {
      if (!(error instanceof LocalRejection) || error.code !== 'no_numbers') throw error;
      samples.pop();
      kiosk.sync.kick();
      if (!(await eventually(() => kiosk.core.store.remainingNumbers('t1-qa', kiosk.core.today()) > 0, 60_000, 10))) throw new Error('no ticket numbers leased');
    }
  }
}

/**
 * One hall-day: the morning's tickets at the kiosk (every tenth with a form), then the
 * counter calls, serves and finishes each, the citizen rates, and the form's case is
 * refused for a missing material (a final case, as most are by the end of a day).
 */
async function day(message: DayMessage): Promise<DayFigures> {
  clock = message.clock;
  const mark = (label: string) => {
    if (process.env.YEAR_DEBUG) console.error(`${label} ${Math.round(performance.now() - t0)}ms`);
  };
  const t0 = performance.now();
  await signInStationClerk(counter, 't1-clerk', FIXTURE_PASSWORD, 60_000);
  // The first tenth of each phase warms the code up (JIT, caches) and is not counted, on
  // every day alike, so day 1 is not slower for being the first.
  const warmUp = Math.floor(message.tickets / 10);
  const warming: number[] = [];
  const issueCommits: number[] = [];
  const serveCommits: number[] = [];
  const calls: number[] = [];
  let commits = issueCommits;
  try {
    counter.core.counterCommand('openCounter');
  } catch (error) {
    if (!(error instanceof LocalRejection)) throw error;
  }
  kiosk.sync.kick();
  const today = kiosk.core.today();
  if (!(await eventually(() => kiosk.core.store.remainingNumbers('t1-qa', today) > 0, 60_000, 10))) throw new Error('no ticket numbers for the day');
  mark('numbers');
  const forms = new Map<string, string>();
  const issued: string[] = [];
  const floor = new FloorSampler();
  for (let i = 0; i < message.tickets; i++) {
    commits = i < warmUp ? warming : issueCommits;
    const ticketId = await issueWithNumbers(commits);
    issued.push(ticketId);
    floor.sample();
    if (i % 10 === 0) {
      const kase = timed(commits, () => kiosk.core.submitForm({ serviceId: 't1-svc-1', ticketId, answers: {}, values: { note: 'bench' } }));
      forms.set(ticketId, kase.id);
    }
  }
  const lastIssued = issued.at(-1)!;
  if (!(await eventually(() => counter.core.store.live.queue.tickets[lastIssued] !== undefined, 120_000, 10))) throw new Error('the counter never saw the day\'s tickets');
  mark('issued+seen');
  const session = counter.core.clerkSession();
  if (!session) throw new Error('no clerk at the counter');
  const service = counter.core.store.catalogue?.services.find((s) => s.id === 't1-svc-1');
  const materialId = service?.materials[0]?.id;
  if (!materialId) throw new Error('the bench service lists no material');
  for (let served = 0; served < issued.length; served++) {
    commits = served < warmUp ? warming : serveCommits;
    const callTimes: number[] = [];
    const called = timed(callTimes, () => counter.core.callNext());
    commits.push(callTimes[0]!);
    if (served >= warmUp) calls.push(callTimes[0]!);
    if (!called) throw new Error('nobody waiting although tickets were issued');
    timed(commits, () => counter.core.ticketCommand('startServing', called.id));
    timed(commits, () => counter.core.ticketCommand('finish', called.id));
    const at = new Date(now()).toISOString();
    const { staffId, counterId } = session.facts;
    timed(commits, () =>
      counter.core.store.commit({ type: 'recordEvaluation', payload: { evaluationId: uuidV7(now(), randomBytes(10)), ticketId: called.id, counterId, staffId, rating: 'satisfied', defaulted: true, at } }),
    );
    floor.sample();
    const caseId = forms.get(called.id);
    if (caseId && counter.core.store.live.cases[caseId]) {
      timed(commits, () =>
        counter.core.store.commit({ type: 'refuseCase', payload: { caseId, staffId, counterId, reason: '材料不全', missingMaterialIds: [materialId], at } }),
      );
    }
  }
  mark('served');
  for (const station of [kiosk, counter]) station.sync.kick();
  const drained = await eventually(() => kiosk.sync.status().pending === 0 && counter.sync.status().pending === 0 && kiosk.sync.status().rejected === 0 && counter.sync.status().rejected === 0, 300_000, 20);
  if (!drained) throw new Error(`the day did not drain: ${JSON.stringify([kiosk.sync.status(), counter.sync.status()])}`);
  mark('drained');
  const fsync = percentile(floor.samples, 99);
  floor.close();
  collectGarbage();
  const counted = [...issueCommits, ...serveCommits];
  return {
    commits: counted.length,
    local_commit_p99_ms: percentile(counted, 99),
    local_commit_p50_ms: percentile(counted, 50),
    disk_fsync_p99_ms: fsync,
    call_next_p99_ms: percentile(calls, 99),
    station_db_bytes: dbBytes(kiosk.dataDir) + dbBytes(counter.dataDir),
    station_rss_bytes: process.memoryUsage().rss,
    station_heap_bytes: process.memoryUsage().heapUsed,
    station_tickets: Object.keys(counter.core.store.live.queue.tickets).length,
    station_outbox_rows: counter.core.store.outbox().length,
  };
}

process.on('message', (message: StartMessage | DayMessage | 'exit') => {
  if (message === 'exit') {
    void Promise.all([kiosk?.stop(), counter?.stop()]).then(() => process.exit(0));
    return;
  }
  const work = message.cmd === 'start' ? start(message).then(() => 'ready' as const) : day(message);
  work.then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ error: (error as Error).stack ?? String(error) }),
  );
});
process.send?.('online');
