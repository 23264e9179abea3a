// Sync figures: local commit latency, offline catch-up, push throughput on SQLite and
// PostgreSQL, poke-to-applied latency. `npm run bench -- sync` prints them as JSON.
import { createHmac, randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clerkMutationMessage, parseIntent, uuidV7, type Mutation, localDay } from '@hall/shared';
import { StationCore, SyncClient, LocalRejection } from '@hall/station';
import { testCatalogue } from '@hall/station/testing';
import { sql, type Kysely } from 'kysely';
import { startBenchPostgres } from './syncMeter';
import { eventually, startCentral, writeStationConfig, startTestStation, type Central, type CentralOptions } from '../tests/sync/harness';
import { proven } from '../apps/server/src/testing/clerk';
import { signInCounterClerk } from './clerk';

export interface SyncBenchFigures {
  local_commit_p99_ms: number;
  catchup_10k_s: number;
  push_mutations_per_s: number;
  push_mutations_per_s_pg: number;
  poke_to_applied_p99_ms: number;
  [key: string]: number | string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
/** 4-digit numbers (up to 9999 a day) and 20 more counters, so load fits one hall-day. */
export const benchHall: CentralOptions['adjustHall'] = (hall) => {
  for (const queue of hall.queues) queue.numberDigits = 4;
  const template = hall.counters[0]!;
  for (let i = 0; i < 20; i++) hall.counters.push({ ...template, id: `t1-bench-${i}`, number: String(100 + i), name: { zh: `${100 + i}号窗口` } });
};

/**
 * The disk's own fsync latency (one-row commits, WAL, synchronous=FULL): the floor under
 * every durable local commit, reported so local_commit figures can be read against it.
 */
export function diskFsync(count: number): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fsync-'));
  try {
    const db = new Database(join(dir, 'fsync.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      insert.run(i);
      samples.push(performance.now() - t0);
    }
    db.close();
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One local intent + outbox commit (synchronous=FULL, so each includes an fsync). */
function localCommit(count: number): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-local-'));
  try {
    const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'bench', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
    const catalogue = testCatalogue();
    catalogue.queues = catalogue.queues.map((q) => ({ ...q, numberDigits: 4 }));
    core.store.replaceCatalogue(catalogue);
    core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 9999 });
    core.counterCommand('openCounter');
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      if (i % 4 === 3) {
        try {
          const called = core.callNext();
          if (called) core.ticketCommand('finish', called.id);
        } catch (error) {
          if (!(error instanceof LocalRejection)) throw error;
        }
      } else core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
      samples.push(performance.now() - t0);
    }
    core.close();
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function enrolledClient(central: Central, id: string, role: 'kiosk' | 'counter', counterId?: string): Promise<SyncClient> {
  const client = new SyncClient({ apiUrl: central.url, timeoutMs: 120_000 });
  const enrolled = await client.enroll(await central.enrollmentCode(id, role, counterId));
  client.setCredential(enrolled.credential);
  return client;
}

function mutation(deviceId: string, epoch: string, seq: number, type: Mutation['type'], payload: Record<string, unknown>): Mutation {
  return { id: uuidV7(Date.now(), randomBytes(10)), deviceId, epoch, seq, type, payload, hlc: String(seq) };
}

/** Issues `count` tickets of a queue through a bench kiosk (setup, not measured); returns their ids. */
async function issueThroughKiosk(central: Central, id: string, queueId: string, serviceId: string, count: number): Promise<string[]> {
  const client = await enrolledClient(central, id, 'kiosk');
  const day = localDay(Date.now(), 'Asia/Shanghai');
  const sequences: number[] = [];
  while (sequences.length < count) {
    const block = await client.lease(queueId, day, Math.min(200, count - sequences.length));
    for (let s = block.start; s <= block.end; s++) sequences.push(s);
  }
  const at = new Date().toISOString();
  const ids: string[] = [];
  const mutations = sequences.map((sequence, n) => {
    const ticketId = uuidV7(Date.now(), randomBytes(10));
    ids.push(ticketId);
    return mutation(id, 'setup', n + 1, 'issueTicket', { ticketId, queueId, serviceIds: [serviceId], kind: 'walk_in', sequence, at });
  });
  for (let i = 0; i < mutations.length; i += 500) await client.push('setup', mutations.slice(i, i + 500));
  return ids;
}

async function hallHead(central: Central): Promise<number> {
  const row = await central.database.db.withTables<{ sync_halls: { hall_id: string; head: number } }>().selectFrom('sync_halls').select('head').executeTakeFirst();
  return Number(row?.head ?? 0);
}

interface FloorRow {
  id: string;
  type: string;
  payload: string;
}

/**
 * The floor under a catch-up: the same rows inserted into a bare SQLite table in one
 * transaction (WAL, synchronous=FULL, as the station and the central API run). Seconds.
 */
function bareSqliteInsert(rows: readonly FloorRow[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  try {
    const db = new Database(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE floor_rows (id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL) STRICT');
    const insert = db.prepare<[string, string, string]>('INSERT INTO floor_rows (id, type, payload) VALUES (?, ?, ?)');
    const t0 = performance.now();
    db.transaction(() => {
      for (const row of rows) insert.run(row.id, row.type, row.payload);
    })();
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor under push throughput: the same mutations inserted into a bare table of the
 * same central database, `batch` rows per statement and transaction, one writer. Rows/s.
 */
async function bareBatchedInsert(db: Kysely<unknown>, mutations: readonly Mutation[], batch: number): Promise<number> {
  await sql`create table if not exists bench_floor_rows (id text primary key, device_id text not null, type text not null, payload text not null)`.execute(db);
  await sql`delete from bench_floor_rows`.execute(db);
  const t0 = performance.now();
  for (let i = 0; i < mutations.length; i += batch) {
    const values = mutations.slice(i, i + batch).map((m) => sql`(${m.id}, ${m.deviceId}, ${m.type}, ${JSON.stringify(m.payload)})`);
    await db.transaction().execute((trx) => sql`insert into bench_floor_rows (id, device_id, type, payload) values ${sql.join(values)}`.execute(trx));
  }
  const perSecond = mutations.length / ((performance.now() - t0) / 1000);
  await sql`drop table bench_floor_rows`.execute(db);
  return perSecond;
}

/** The durability the central database runs with, stated beside its figures. */
async function durability(central: Central): Promise<string> {
  const db = central.database.db as unknown as Kysely<unknown>;
  if (central.location.dialect === 'sqlite') {
    const row = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0];
    return `sqlite WAL synchronous=${row?.synchronous === 2 ? 'FULL' : String(row?.synchronous)}`;
  }
  const show = async (name: string) => (await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(db)).rows[0]?.v ?? '?';
  return `postgres fsync=${await show('fsync')} synchronous_commit=${await show('synchronous_commit')} full_page_writes=${await show('full_page_writes')}`;
}

/** Rows inserted, updated or deleted through the central API's SQLite connection so far (undefined on PostgreSQL). */
async function centralRowChanges(central: Central): Promise<number | undefined> {
  if (central.location.dialect !== 'sqlite') return undefined;
  const db = central.database.db as unknown as Kysely<unknown>;
  return Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]?.n ?? 0);
}

function stationRowChanges(db: Database.Database): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

/**
 * The checks every pushed mutation gets besides its rows, timed alone on the same mutations:
 * the wire's JSON both ways, the payload's schema (parseIntent) and the clerk proof's HMAC
 * (here with a throwaway key: the same computation). Seconds for all of them.
 */
function perMutationChecks(mutations: readonly Mutation[]): number {
  const key = randomBytes(32);
  const t0 = performance.now();
  for (const m of mutations) {
    const wire = JSON.parse(JSON.stringify(m)) as Mutation;
    if (!parseIntent(wire.type, wire.payload).ok) throw new Error(`bench mutation ${wire.type} does not parse`);
    createHmac('sha256', key).update(clerkMutationMessage(wire)).digest();
  }
  return (performance.now() - t0) / 1000;
}

export interface CatchUpFigures {
  seconds: number;
  floorSeconds: number;
  /** Durable row writes per mutation, central API and station together (SQLite total_changes). */
  rowsPerMutation: number;
  /** perMutationChecks of the same mutations. */
  checksSeconds: number;
}

/**
 * A counter station works offline through `count` mutations (open, then call, start and
 * finish ticket after ticket), then reconnects: seconds until the server applied them
 * all and the station pulled the result; beside it, its floor (bareSqliteInsert of the same
 * rows), the rows the catch-up wrote per mutation and the time its per-mutation checks take alone.
 */
export async function catchUp(central: Central, count: number, pushBatch = 500): Promise<CatchUpFigures> {
  const tickets = await issueThroughKiosk(central, 'bench-catchup-kiosk', 't1-qa', 't1-svc-1', Math.ceil(count / 3) + 1);
  const station = await startTestStation({
    deviceId: 'bench-catchup',
    role: 'counter',
    counterId: 't1-c1',
    apiUrl: central.url,
    code: await central.enrollmentCode('bench-catchup', 'counter', 't1-c1'),
    start: { sync: { pollIntervalMs: 60_000, pushBatch }, requestTimeoutMs: 120_000 },
  });
  try {
    const last = tickets.at(-1)!;
    if (!(await eventually(() => station.core.store.base.queue.tickets[last] !== undefined, 60_000, 50))) throw new Error('catch-up: tickets did not arrive');
    await station.sync.stop();
    station.core.counterCommand('openCounter');
    let done = 1;
    for (const ticketId of tickets) {
      for (const type of ['callSpecific', 'startServing', 'finish'] as const) {
        if (done >= count) break;
        station.core.ticketCommand(type, ticketId);
        done++;
      }
    }
    const outbox = station.core.store.outbox();
    const rows = outbox.map((row) => ({ id: row.id, type: row.type, payload: JSON.stringify(row.payload) }));
    const changesBefore = { central: await centralRowChanges(central), station: stationRowChanges(station.core.store.db) };
    const t0 = performance.now();
    station.sync.start();
    const caughtUp = await eventually(async () => station.sync.status().pending === 0 && station.core.store.cursor === (await hallHead(central)), 300_000, 10);
    if (!caughtUp) throw new Error('catch-up did not finish');
    const seconds = (performance.now() - t0) / 1000;
    const centralRows = ((await centralRowChanges(central)) ?? 0) - (changesBefore.central ?? 0);
    const stationRows = stationRowChanges(station.core.store.db) - changesBefore.station;
    const made = station.core.store.mutationsFrom(1, outbox.length);
    return { seconds, floorSeconds: bareSqliteInsert(rows), rowsPerMutation: (centralRows + stationRows) / rows.length, checksSeconds: perMutationChecks(made) };
  } finally {
    await station.stop();
  }
}

/**
 * Mutations per second the server applies while 20 counter stations push at once
 * (pause/resume cycles), and the floor: the same rows as a bare batched insert.
 */
export async function pushCounterOps(
  central: Central,
  stations: number,
  perStation: number,
  batch: number,
): Promise<{ perSecond: number; floor: number; rowsPerMutation: number | undefined; checksSeconds: number }> {
  const devices = [];
  for (let i = 0; i < stations; i++) {
    const id = `bench-counter-${i}`;
    const counterId = `t1-bench-${i}`;
    const client = await enrolledClient(central, id, 'counter', counterId);
    // The clerk's session proves each counter mutation, as at a real counter (the server checks it).
    const clerk = await signInCounterClerk(client, { id }, 't1-clerk', counterId);
    const at = new Date().toISOString();
    const mutations = [mutation(id, 'e', 1, 'openCounter', { counterId, at })];
    for (let n = 2; n <= perStation; n++) {
      mutations.push(n % 2 === 0 ? mutation(id, 'e', n, 'pauseCounter', { counterId, reason: '休息', at }) : mutation(id, 'e', n, 'resumeCounter', { counterId, at }));
    }
    devices.push({ client, mutations: mutations.map((m) => proven(clerk, m)) });
  }
  const changesBefore = await centralRowChanges(central);
  const perSecond = await timedPush(devices, batch);
  const changesAfter = await centralRowChanges(central);
  const all = devices.flatMap((d) => d.mutations);
  const rowsPerMutation = changesBefore === undefined || changesAfter === undefined ? undefined : (changesAfter - changesBefore) / all.length;
  return { perSecond, floor: await bareBatchedInsert(central.database.db as unknown as Kysely<unknown>, all, batch), rowsPerMutation, checksSeconds: perMutationChecks(all) };
}

async function timedPush(devices: { client: SyncClient; mutations: Mutation[] }[], batch: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    devices.map(async ({ client, mutations }) => {
      for (let i = 0; i < mutations.length; i += batch) {
        const response = await client.push(mutations[0]!.epoch, mutations.slice(i, i + batch));
        if (response.results.some((r) => r.status !== 'applied')) throw new Error('bench push rejected a mutation');
      }
    }),
  );
  const total = devices.reduce((n, d) => n + d.mutations.length, 0);
  return total / ((performance.now() - t0) / 1000);
}

/** Tickets per second the server issues while 20 kiosks push at once (each issue is checked against the day's numbers). */
async function pushIssues(central: Central, stations: number, perStation: number, batch: number): Promise<number> {
  const devices = [];
  for (let i = 0; i < stations; i++) {
    const id = `bench-kiosk-${i}`;
    const client = await enrolledClient(central, id, 'kiosk');
    const day = localDay(Date.now(), 'Asia/Shanghai');
    const queueId = i % 2 === 0 ? 't1-qa' : 't1-qb';
    const serviceId = i % 2 === 0 ? 't1-svc-1' : 't1-svc-2';
    const sequences: number[] = [];
    while (sequences.length < perStation) {
      const block = await client.lease(queueId, day, Math.min(200, perStation - sequences.length));
      for (let s = block.start; s <= block.end; s++) sequences.push(s);
    }
    const at = new Date().toISOString();
    const mutations = sequences.map((sequence, n) =>
      mutation(id, 'e', n + 1, 'issueTicket', { ticketId: uuidV7(Date.now(), randomBytes(10)), queueId, serviceIds: [serviceId], kind: 'walk_in', sequence, at }),
    );
    devices.push({ client, mutations });
  }
  return timedPush(devices, batch);
}

/** Starts a bench station in its own process from a config file. */
async function stationProcess(central: Central, dir: string, deviceId: string, role: 'kiosk' | 'display'): Promise<ChildProcess> {
  const { file } = await writeStationConfig(central, dir, { deviceId, role, apiUrl: central.url });
  const child = fork(fileURLToPath(new URL('./syncStation.ts', import.meta.url)), [file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${deviceId} exited (${code})`)));
  });
  child.removeAllListeners('exit');
  return child;
}

/**
 * One station's mutation until another station has applied it, over loopback: a kiosk
 * and a display, each in its own process as on two hall PCs, the server in this one.
 */
async function pokeToApplied(central: Central, rounds: number): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-poke-'));
  const kiosk = await stationProcess(central, dir, 'bench-poke-k', 'kiosk');
  const display = await stationProcess(central, dir, 'bench-poke-d', 'display');
  const seen = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  display.on('message', (m: { seen?: string; at?: number }) => {
    if (!m.seen || m.at === undefined) return;
    const waiter = waiters.get(m.seen);
    if (waiter) waiter(m.at);
    else seen.set(m.seen, m.at);
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const issued = await new Promise<{ issued: string; at: number }>((resolve) => {
        kiosk.once('message', (m) => resolve(m as { issued: string; at: number }));
        kiosk.send({ cmd: 'issue' });
      });
      const appliedAt = seen.get(issued.issued) ?? (await new Promise<number>((resolve) => waiters.set(issued.issued, resolve)));
      samples.push(appliedAt - issued.at);
    }
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    for (const child of [kiosk, display]) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('exit');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pushFigures(
  central: Central,
  quick: boolean,
): Promise<{ ops: number; floor: number; issues: number; durability: string; rowsPerMutation: number | undefined; ceiling: number | undefined }> {
  const perStation = quick ? 100 : 500;
  const ops = await pushCounterOps(central, 20, perStation, 100);
  const issues = await pushIssues(central, 20, quick ? 25 : 100, 25);
  // The best ratio the design allows: each row it writes per mutation costs at least a floor
  // row, and the per-mutation checks come on top.
  const floorSeconds = (20 * perStation) / ops.floor;
  const ceiling = ops.rowsPerMutation === undefined ? undefined : floorSeconds / (ops.rowsPerMutation * floorSeconds + ops.checksSeconds);
  return { ops: Math.round(ops.perSecond), floor: Math.round(ops.floor), issues: Math.round(issues), durability: await durability(central), rowsPerMutation: ops.rowsPerMutation, ceiling };
}

export async function runSyncBench(options: { quick?: boolean } = {}): Promise<SyncBenchFigures> {
  const quick = options.quick ?? false;
  const figures: Partial<SyncBenchFigures> = {};
  const local = localCommit(quick ? 300 : 2000);
  figures.local_commit_p99_ms = round(local.p99);
  figures.local_commit_p50_ms = round(local.p50);
  figures.disk_fsync_p99_ms = round(diskFsync(quick ? 300 : 1000).p99);

  const sqlite = await startCentral({ adjustHall: benchHall });
  try {
    const caught = await catchUp(sqlite, quick ? 1000 : 10_000);
    figures.catchup_10k_s = round(caught.seconds);
    figures.catchup_floor_s = round(caught.floorSeconds, 3);
    // Target: at most 5× the floor.
    figures.catchup_floor_ratio = round(caught.seconds / caught.floorSeconds, 1);
    // What the design itself costs, in floors: each durable row written (central API and
    // station, each at least a floor row) plus the per-mutation checks timed alone. The
    // ratio cannot fall below this without dropping a row or a check.
    figures.catchup_rows_per_mutation = round(caught.rowsPerMutation, 2);
    figures.catchup_checks_s = round(caught.checksSeconds, 3);
    figures.catchup_bound_ratio = round(caught.rowsPerMutation + caught.checksSeconds / caught.floorSeconds, 1);
  } finally {
    await sqlite.close();
  }
  const pokeCentral = await startCentral({ adjustHall: benchHall });
  try {
    const poke = await pokeToApplied(pokeCentral, quick ? 30 : 200);
    figures.poke_to_applied_p99_ms = round(poke.p99);
    figures.poke_to_applied_p50_ms = round(poke.p50);
  } finally {
    await pokeCentral.close();
  }
  const sqlitePush = await startCentral({ adjustHall: benchHall });
  try {
    const push = await pushFigures(sqlitePush, quick);
    figures.push_mutations_per_s = push.ops;
    figures.push_floor_per_s = push.floor;
    // Target: at least 0.5 (half the bare insert's rows per second).
    figures.push_floor_ratio = round(push.ops / push.floor, 3);
    if (push.rowsPerMutation !== undefined) figures.push_rows_per_mutation = round(push.rowsPerMutation, 2);
    if (push.ceiling !== undefined) figures.push_ceiling_ratio = round(push.ceiling, 3);
    figures.push_issue_per_s = push.issues;
    figures.durability = push.durability;
  } finally {
    await sqlitePush.close();
  }

  // PostgreSQL with production's durability (fsync, synchronous_commit, full_page_writes on),
  // not the test suite's cluster, which turns them off for speed.
  // HALL_TEST_DATABASE_URL uses that server instead, whatever its settings (durability_pg says them).
  const external = process.env.HALL_TEST_DATABASE_URL;
  const postgres = external ? { adminUrl: external, stop: async () => {} } : await startBenchPostgres({ statements: false });
  try {
    const pg = await startCentral({ dialect: 'postgres', postgresAdminUrl: postgres.adminUrl, adjustHall: benchHall });
    try {
      const push = await pushFigures(pg, quick);
      figures.push_mutations_per_s_pg = push.ops;
      figures.push_floor_per_s_pg = push.floor;
      figures.push_floor_ratio_pg = round(push.ops / push.floor, 3);
      figures.push_issue_per_s_pg = push.issues;
      figures.durability_pg = push.durability;
    } finally {
      await pg.close();
    }
  } finally {
    await postgres.stop();
  }
  return figures as SyncBenchFigures;
}
