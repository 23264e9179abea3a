// A year in a benchmark (issue 22): N hall-days of a busy hall through the real station and
// server code, measured on the first and the last day, so a hall is seen to be as fast on
// day 250 as on day 1. `npm run bench -- year [--days N] [--tickets T] [--measure-tickets M]`.
import { fork, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SyncClient } from '@hall/station';
import { forgetPastDays } from '../apps/server/src/sync/retention';
import { hallStateSize } from '../apps/server/src/sync/state';
import { eventually, freshEnrollmentCode as enrollmentCode, startCentral, startTestStation, type Central } from '../tests/sync/harness';
import { benchHall, percentile } from './sync';
import { collectGarbage, type DayFigures, type SimClock } from './yearStations';

export interface YearOptions {
  days: number;
  /** Tickets on each day between the measured ones. */
  tickets: number;
  /** Tickets on the measured days (the first and the last). */
  measureTickets: number;
}

/** The busy hall: 2,000 tickets a day. */
const BUSY_DAY = 2000;
/** Filler days run at 1/50 of it by default, so 250 days fit in minutes on a shared 2-core machine. */
const DEFAULT_SCALE = 50;

export function parseYearArgs(args: readonly string[]): YearOptions {
  const flag = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    const value = at >= 0 ? Number(args[at + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} wants a positive whole number`);
    return value;
  };
  const days = flag('--days', 250);
  if (days < 2) throw new Error('--days wants at least 2 (the first and the last are measured)');
  return { days, tickets: flag('--tickets', BUSY_DAY / DEFAULT_SCALE), measureTickets: flag('--measure-tickets', BUSY_DAY) };
}

const DAY_MS = 86_400_000;
/** Monday 4 January 2027, 09:00 in Shanghai: hall-days are the working days from it. */
const FIRST_DAY = Date.parse('2027-01-04T01:00:00.000Z');

function workingDays(count: number): number[] {
  const days: number[] = [];
  for (let at = FIRST_DAY; days.length < count; at += DAY_MS) {
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(at);
  }
  return days;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const mb = (bytes: number) => round(bytes / 1_048_576, 1);

function fileBytes(file: string | undefined): number {
  if (!file) return 0;
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${file}${suffix}`).size;
    } catch {
      // no WAL file yet
    }
  }
  return total;
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (reply: unknown) => {
      if (reply && typeof reply === 'object' && 'error' in reply) reject(new Error(String((reply as { error: unknown }).error)));
      else resolve(reply as T);
    });
    child.send(message as never);
  });
}

async function hallHead(central: Central): Promise<number> {
  const row = await central.database.db.withTables<{ sync_halls: { hall_id: string; head: number } }>().selectFrom('sync_halls').select('head').executeTakeFirst();
  return Number(row?.head ?? 0);
}

interface Measured extends DayFigures {
  pull_page_ms: number;
  first_sync_s: number;
  server_rss_bytes: number;
  server_heap_bytes: number;
  server_db_bytes: number;
  server_state_tickets: number;
  server_sync_entities: number;
  day_s: number;
}

export async function runYearBench(options: YearOptions): Promise<Record<string, number | string>> {
  // The bench moves the day itself and runs retention at each day change, as the timer would at night.
  process.env.HALL_SYNC_RETENTION_INTERVAL_MS = '0';
  const days = workingDays(options.days);
  let sim: SimClock = { dayBase: days[0]!, realStart: Date.now() };
  const simNow = () => sim.dayBase + (Date.now() - sim.realStart);
  const central = await startCentral({ adjustHall: benchHall, server: { clock: () => new Date(simNow()) } });
  const ctx = central.app.hall;
  const child = fork(fileURLToPath(new URL('./yearStations.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  const reader = new SyncClient({ apiUrl: central.url, now: simNow });
  const measured: Measured[] = [];
  const t0 = performance.now();
  const mark = (label: string) => {
    if (process.env.YEAR_DEBUG) console.error(`main ${label} ${Math.round(performance.now() - t0)}ms`);
  };
  try {
    reader.setCredential((await reader.enroll(await enrollmentCode(central, 'year-reader', 'display'))).credential);
    await ask(child, {
      cmd: 'start',
      apiUrl: central.url,
      kioskCode: await enrollmentCode(central, 'year-kiosk', 'kiosk'),
      counterCode: await enrollmentCode(central, 'year-counter', 'counter', 't1-c1'),
      clock: sim,
    });
    mark('started');
    for (let d = 0; d < days.length; d++) {
      const measure = d === 0 || d === days.length - 1;
      sim = { dayBase: days[d]!, realStart: Date.now() };
      await forgetPastDays(ctx);
      const dayStart = performance.now();
      const headBefore = await hallHead(central);
      const figures = await ask<DayFigures>(child, { cmd: 'day', clock: sim, tickets: measure ? options.measureTickets : options.tickets });
      mark(`day ${d + 1}`);
      if (!measure) continue;
      const pulls: number[] = [];
      for (let i = 0; i < 5; i++) {
        const p0 = performance.now();
        const page = await reader.pull(headBefore, 1000);
        if (page.kind !== 'page' || page.entries.length === 0) throw new Error('the day\'s log page is missing');
        pulls.push(performance.now() - p0);
      }
      collectGarbage();
      const memory = process.memoryUsage();
      const server = { rss: memory.rss, heap: memory.heapUsed, state: hallStateSize(ctx, 't1-hall')?.tickets ?? 0 };
      const entities = await central.database.db.selectFrom('sync_entities' as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const id = `year-new-${d}`;
      const code = await enrollmentCode(central, id, 'display');
      const s0 = performance.now();
      const fresh = await startTestStation({ deviceId: id, role: 'display', apiUrl: central.url, code, start: { now: simNow } });
      const head = await hallHead(central);
      const synced = await eventually(() => fresh.core.store.catalogue !== undefined && fresh.core.store.cursor >= head, 300_000, 5);
      const firstSync = (performance.now() - s0) / 1000;
      mark('first sync');
      await fresh.stop();
      mark('stopped');
      if (!synced) throw new Error('a new station never caught up');
      measured.push({
        ...figures,
        pull_page_ms: percentile(pulls, 50),
        first_sync_s: firstSync,
        server_rss_bytes: server.rss,
        server_heap_bytes: server.heap,
        server_db_bytes: fileBytes(central.location.file),
        server_state_tickets: server.state,
        server_sync_entities: Number((entities as { n?: number } | undefined)?.n ?? 0),
        day_s: (performance.now() - dayStart) / 1000,
      });
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('exit');
    });
    mark('child gone');
    // This process's own clients (the reader, the new stations) hold keep-alive sockets that
    // would keep the server's close waiting for its 72 s keep-alive timeout.
    central.app.server.closeAllConnections();
    await central.close();
    mark('central closed');
  }
  const [first, last] = [measured[0]!, measured[1]!];
  const n = options.days;
  const ratio = (a: number, b: number) => round(b / a, 3);
  return {
    days: n,
    tickets_per_day: options.tickets,
    measured_day_tickets: options.measureTickets,
    scale_factor: round(BUSY_DAY / options.tickets, 1),
    note: `latencies leave out the first tenth of each measured day (warm-up); memory is read after a full GC; days 2..${n - 1} run ${options.tickets} tickets (1/${round(BUSY_DAY / options.tickets, 1)} of a ${BUSY_DAY}-ticket day) to fit the run in minutes; days 1 and ${n} run ${options.measureTickets}; station = one process holding a kiosk and a counter`,
    total_s: round((performance.now() - t0) / 1000, 1),
    day1_local_commit_p99_ms: round(first.local_commit_p99_ms),
    [`day${n}_local_commit_p99_ms`]: round(last.local_commit_p99_ms),
    day1_local_commit_p50_ms: round(first.local_commit_p50_ms),
    [`day${n}_local_commit_p50_ms`]: round(last.local_commit_p50_ms),
    day1_disk_fsync_p99_ms: round(first.disk_fsync_p99_ms),
    [`day${n}_disk_fsync_p99_ms`]: round(last.disk_fsync_p99_ms),
    day1_call_next_p99_ms: round(first.call_next_p99_ms),
    [`day${n}_call_next_p99_ms`]: round(last.call_next_p99_ms),
    day1_pull_page_ms: round(first.pull_page_ms),
    [`day${n}_pull_page_ms`]: round(last.pull_page_ms),
    day1_first_sync_s: round(first.first_sync_s),
    [`day${n}_first_sync_s`]: round(last.first_sync_s),
    day1_station_db_mb: mb(first.station_db_bytes),
    [`day${n}_station_db_mb`]: mb(last.station_db_bytes),
    day1_station_rss_mb: mb(first.station_rss_bytes),
    [`day${n}_station_rss_mb`]: mb(last.station_rss_bytes),
    day1_station_heap_mb: mb(first.station_heap_bytes),
    [`day${n}_station_heap_mb`]: mb(last.station_heap_bytes),
    day1_server_heap_mb: mb(first.server_heap_bytes),
    [`day${n}_server_heap_mb`]: mb(last.server_heap_bytes),
    day1_server_rss_mb: mb(first.server_rss_bytes),
    [`day${n}_server_rss_mb`]: mb(last.server_rss_bytes),
    day1_server_db_mb: mb(first.server_db_bytes),
    [`day${n}_server_db_mb`]: mb(last.server_db_bytes),
    day1_station_tickets: first.station_tickets,
    [`day${n}_station_tickets`]: last.station_tickets,
    day1_station_outbox_rows: first.station_outbox_rows,
    [`day${n}_station_outbox_rows`]: last.station_outbox_rows,
    day1_server_state_tickets: first.server_state_tickets,
    [`day${n}_server_state_tickets`]: last.server_state_tickets,
    day1_server_sync_entities: first.server_sync_entities,
    [`day${n}_server_sync_entities`]: last.server_sync_entities,
    [`local_commit_ratio_${n}`]: ratio(first.local_commit_p99_ms, last.local_commit_p99_ms),
    // The same ratio with each day's commits read against that day's disk floor: what is left is the code's own growth.
    [`local_commit_floor_ratio_${n}`]: ratio(first.local_commit_p99_ms / first.disk_fsync_p99_ms, last.local_commit_p99_ms / last.disk_fsync_p99_ms),
    [`call_next_ratio_${n}`]: ratio(first.call_next_p99_ms, last.call_next_p99_ms),
    [`pull_page_ratio_${n}`]: ratio(first.pull_page_ms, last.pull_page_ms),
    [`first_sync_ratio_${n}`]: ratio(first.first_sync_s, last.first_sync_s),
    [`station_db_ratio_${n}`]: ratio(first.station_db_bytes, last.station_db_bytes),
    [`station_rss_ratio_${n}`]: ratio(first.station_rss_bytes, last.station_rss_bytes),
    [`server_rss_ratio_${n}`]: ratio(first.server_rss_bytes, last.server_rss_bytes),
    [`station_heap_ratio_${n}`]: ratio(first.station_heap_bytes, last.station_heap_bytes),
    [`server_heap_ratio_${n}`]: ratio(first.server_heap_bytes, last.server_heap_bytes),
  };
}
