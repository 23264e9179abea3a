// Sync under random fault schedules: a fault proxy between the stations and a central API
// that runs as its own process (kill -9 while a push is in flight, graceful restarts), kill -9
// and SIGSTOP of station processes, a wiped station, and a kiosk whose clock is past the
// server's future bound. Every fault listed must carry evidence that it acted; then all
// stations must converge on the server's state with every mutation decided exactly once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { DialectName } from '../../apps/server/src/db/connection';
import type { Ticket } from '@hall/shared';
import { StationStore, stationExecutor, type OutboxRow, type StationRuntime } from '@hall/station';
import { seededRandom, seedFromEnv } from '@hall/station/testing';
import { startActivity, type Activity } from './activity';
import { ChildCentral } from './childCentral';
import { ChildStation } from './childStation';
import { FAULT_MODES, FaultProxy, type FaultMode } from './faultProxy';
import { startTestStation, writeStationConfig } from './harness';
import { duplicateNumbers, serverState } from './serverState';

const SEED = seedFromEnv('HALL_FAULT_SEED');
const SCHEDULES = Number(process.env.HALL_FAULT_SCHEDULES ?? 3);
const SCHEDULE_MS = Number(process.env.HALL_FAULT_SCHEDULE_MS ?? 5000);
const CONVERGE_MS = 30_000;

/** The central API refuses mutations more than 15 minutes ahead of it (MAX_FUTURE_SKEW_MS in apps/server/src/sync/push.ts). */
const SERVER_FUTURE_BOUND_MS = 15 * 60_000;
/** Far enough past the bound that a push delayed by the faults still lands beyond it. */
const PAST_FUTURE_BOUND_MS = SERVER_FUTURE_BOUND_MS + 10 * 60_000;
const SKEWED_KIOSK = 'f-kiosk-skew';
/** Which schedules run on PostgreSQL: every third (so the default 3 give 2 SQLite + 1 PostgreSQL); HALL_FAULT_DIALECT forces one. */
const dialectOf = (index: number): DialectName => (process.env.HALL_FAULT_DIALECT as DialectName | undefined) ?? (index % 3 === 2 ? 'postgres' : 'sqlite');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeFaults(faults: FaultEntry[]): string {
  return faults.map((f) => `${f.label}[${f.evidence === 0 && f.network ? 'idle' : f.evidence}${f.detail ? `: ${f.detail}` : ''}]`).join(', ');
}

interface StationView {
  deviceId: string;
  epoch: string;
  outbox: OutboxRow[];
  live: { tickets: Record<string, Ticket>; counters: Record<string, unknown> };
}

function viewOf(store: StationStore): StationView {
  return { deviceId: store.deviceId, epoch: store.epoch, outbox: store.outbox(), live: { tickets: { ...store.live.queue.tickets }, counters: { ...store.live.queue.counters } } };
}

/** One fault the schedule put in, with the proof that it acted (evidence > 0). */
interface FaultEntry {
  label: string;
  /** For network phases: the proxy's phase, whose evidence is read when the schedule ends. */
  network?: { mode: FaultMode; phase: number };
  evidence: number;
  /** What the evidence was (exit signals, pids, pushes in flight). */
  detail?: string;
}

/** The process state letter from /proc (T = stopped): the proof a SIGSTOP took. */
function processState(pid: number | undefined): string | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(10);
  return check();
}

/** Modes whose connections reach the server: a push can be in flight under them. */
const FORWARDING_MODES = FAULT_MODES.filter((m) => m !== 'drop' && m !== 'partition');

async function runSchedule(
  scheduleSeed: number,
  dialect: DialectName,
): Promise<{ healToConvergedMs: number; mutations: number; rejected: number; faults: FaultEntry[]; skewRejected: number }> {
  const random = seededRandom(scheduleSeed);
  const central = await ChildCentral.start(dialect === 'postgres' ? { dialect, postgresAdminUrl: inject('postgresUrl') } : { dialect });
  const proxy = new FaultProxy(() => central.port, random, { reconnectOnModeChange: true });
  await proxy.listen();
  const base = mkdtempSync(join(tmpdir(), 'hall-fault-'));
  const skew = () => Math.round((random() * 2 - 1) * 10 * 60_000);
  const faults: FaultEntry[] = [];

  const childConfig = async (deviceId: string, role: 'kiosk' | 'counter', counterId?: string) => {
    const { file, dataDir } = await writeStationConfig(central, base, { deviceId, role, ...(counterId ? { counterId } : {}), apiUrl: proxy.url });
    return new ChildStation(deviceId, dataDir, file, Math.floor(random() * 2 ** 31), skew());
  };
  const children = [await childConfig('f-kiosk-a', 'kiosk'), await childConfig('f-counter-2', 'counter', 't1-c2')];

  const inProcess: { runtime: StationRuntime; activity: Activity | undefined; dir: string; code: string }[] = [];
  const startInProcess = async (deviceId: string, role: 'kiosk' | 'counter', counterId: string | undefined, code: string, dir: string, clock = skew()) => {
    const runtime = await startTestStation({
      deviceId,
      role,
      ...(counterId ? { counterId } : {}),
      apiUrl: proxy.url,
      code,
      dataDir: dir,
      start: { now: () => Date.now() + clock, requestTimeoutMs: 1500, sync: { stallMs: 4000 } },
    });
    return { runtime, activity: startActivity(runtime, seededRandom(Math.floor(random() * 2 ** 31)), 60), dir, code };
  };
  inProcess.push(await startInProcess('f-kiosk-b', 'kiosk', undefined, await central.enrollmentCode('f-kiosk-b', 'kiosk'), join(base, 'f-kiosk-b')));
  inProcess.push(await startInProcess('f-counter-1', 'counter', 't1-c1', await central.enrollmentCode('f-counter-1', 'counter', 't1-c1'), join(base, 'f-counter-1')));
  // A kiosk whose clock runs past the server's future bound: everything it does must come back rejected.
  const skewedDir = join(base, SKEWED_KIOSK);
  inProcess.push(await startInProcess(SKEWED_KIOSK, 'kiosk', undefined, await central.enrollmentCode(SKEWED_KIOSK, 'kiosk'), skewedDir, PAST_FUTURE_BOUND_MS));
  for (const child of children) await child.start();

  const killCentralMidPush = async (): Promise<FaultEntry> => {
    let inFlight = 0;
    let killed: Promise<Awaited<ReturnType<ChildCentral['kill9']>>> | undefined;
    proxy.armOnPush(() => {
      inFlight = proxy.pushesInFlight;
      killed = central.kill9();
    });
    // The stations push every few tens of ms; the wait only ends early when the server is unreachable.
    await until(() => killed !== undefined, 3000);
    if (!killed) {
      proxy.armOnPush(undefined);
      killed = central.kill9();
    }
    const { exit, newPid } = await killed;
    const proven = exit.signal === 'SIGKILL' && newPid !== exit.pid && inFlight > 0;
    return { label: 'kill -9 central API mid-push', evidence: proven ? 1 : 0, detail: `${exit.signal ?? `exit ${exit.code}`} pid ${exit.pid}→${newPid}, ${inFlight} push in flight` };
  };

  const wipedViews: StationView[] = [];
  try {
    // The schedule: fault phases, with process and server events between them.
    const started = Date.now();
    const end = started + SCHEDULE_MS;
    while (Date.now() < end) {
      const event = random();
      // Every schedule kills the central API at least once, by its middle at the latest.
      const centralKill = (event >= 0.27 && event < 0.33) || (Date.now() - started > SCHEDULE_MS * 0.4 && !faults.some((f) => f.label.startsWith('kill -9 central')));
      const modes = centralKill ? FORWARDING_MODES : FAULT_MODES;
      const mode = modes[Math.floor(random() * modes.length)]!;
      faults.push({ label: mode, network: { mode, phase: proxy.setMode(mode) }, evidence: 0 });
      const phase = 200 + random() * 600;
      if (centralKill) {
        faults.push(await killCentralMidPush());
        await sleep(phase);
      } else if (event < 0.12) {
        const child = children[Math.floor(random() * children.length)]!;
        const pid = child.child?.pid;
        await child.kill9AndWait();
        const exit = child.lastExit;
        await sleep(phase / 2);
        await child.start();
        const proven = exit?.signal === 'SIGKILL' && child.child?.pid !== pid;
        faults.push({ label: `kill -9 ${child.deviceId}`, evidence: proven ? 1 : 0, detail: `${exit?.signal ?? 'no exit'} pid ${pid}→${child.child?.pid}` });
        await sleep(phase / 2);
      } else if (event < 0.22) {
        const child = children[Math.floor(random() * children.length)]!;
        const pid = child.child?.pid;
        child.child?.kill('SIGSTOP');
        const stopped = await until(() => processState(pid) === 'T', 1000);
        await sleep(phase);
        child.child?.kill('SIGCONT');
        const resumed = await until(() => processState(pid) !== 'T', 1000);
        faults.push({ label: `SIGSTOP ${child.deviceId}`, evidence: stopped && resumed ? 1 : 0, detail: `pid ${pid} ${stopped ? 'stopped' : 'NOT stopped'}, ${resumed ? 'resumed' : 'NOT resumed'}` });
      } else if (event < 0.27) {
        const { exit, newPid } = await central.restart();
        // The server's SIGTERM handler closes HTTP and the database and exits 0.
        const proven = exit.code === 0 && exit.signal === null && newPid !== exit.pid;
        faults.push({ label: 'graceful restart central API', evidence: proven ? 1 : 0, detail: `exit ${exit.code ?? exit.signal} pid ${exit.pid}→${newPid}` });
        await sleep(phase);
      } else if (event < 0.38 && wipedViews.length === 0) {
        const victim = inProcess[0]!;
        victim.activity?.stop();
        const before = viewOf(victim.runtime.core.store);
        wipedViews.push(before);
        await victim.runtime.stop();
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(victim.dir, `station.db${suffix}`), { force: true });
        inProcess[0] = await startInProcess('f-kiosk-b', 'kiosk', undefined, victim.code, victim.dir);
        const epoch = inProcess[0].runtime.core.store.epoch;
        // A wiped station starts a new epoch: the proof that its old database is gone.
        faults.push({ label: `wipe ${before.deviceId}`, evidence: epoch !== before.epoch ? 1 : 0, detail: `epoch ${before.epoch}→${epoch}` });
        await sleep(phase);
      } else {
        await sleep(phase);
      }
    }
    // On a loaded machine one slow event can outlast the schedule before the central API was
    // killed: every schedule still kills it once.
    if (!faults.some((f) => f.label.startsWith('kill -9 central'))) {
      const mode = FORWARDING_MODES[Math.floor(random() * FORWARDING_MODES.length)]!;
      faults.push({ label: mode, network: { mode, phase: proxy.setMode(mode) }, evidence: 0 });
      faults.push(await killCentralMidPush());
    }
    // A network mode that saw no traffic in its phases gets one more phase, until it acts.
    for (const mode of new Set(faults.flatMap((f) => (f.network ? [f.network.mode] : [])))) {
      if (faults.some((f) => f.network?.mode === mode && (proxy.evidence[f.network.phase] ?? 0) > 0)) continue;
      const phase = proxy.setMode(mode);
      faults.push({ label: `${mode} (again)`, network: { mode, phase }, evidence: 0 });
      await until(() => (proxy.evidence[phase] ?? 0) > 0, 3000);
    }
    for (const f of faults) if (f.network) f.evidence = proxy.evidence[f.network.phase] ?? 0;

    // Heal: the network is fine again and people stop working; everything must converge.
    proxy.setMode('normal');
    for (const s of inProcess) s.activity?.stop();
    await Promise.all(children.map((c) => c.request('stop-activity', (r) => (r === 'stopped' ? true : undefined))));
    const healedAt = Date.now();
    let converged = false;
    while (Date.now() - healedAt < CONVERGE_MS) {
      const { head } = await serverState(central);
      const statuses = [...inProcess.map((s) => s.runtime.sync.status()), ...(await Promise.all(children.map((c) => c.status())))];
      if (statuses.every((s) => s.pending === 0 && s.cursor === head)) {
        const again = await serverState(central);
        if (again.head === head) {
          converged = true;
          break;
        }
      }
      await sleep(50);
    }
    const healToConvergedMs = Date.now() - healedAt;
    expect(converged, `stations did not converge within ${CONVERGE_MS} ms of healing (faults: ${describeFaults(faults)})`).toBe(true);

    for (const c of children) await c.exit();
    const views: StationView[] = inProcess.map((s) => viewOf(s.runtime.core.store));
    for (const c of children) {
      const store = StationStore.open(join(c.dataDir, 'station.db'), c.deviceId, stationExecutor);
      views.push(viewOf(store));
      store.close();
    }
    const server = await serverState(central);

    // Every station shows exactly the server's state.
    for (const view of views) {
      expect(view.live.tickets, `${view.deviceId} tickets`).toEqual(server.tickets);
      expect(view.live.counters, `${view.deviceId} counters`).toEqual(server.counters);
      expect(duplicateNumbers(view.live.tickets)).toEqual([]);
    }
    expect(duplicateNumbers(server.tickets)).toEqual([]);

    // Every mutation was decided exactly once, with the same answer on both sides.
    const byId = new Map(server.mutations.map((m) => [m.id, m]));
    for (const view of [...views, ...wipedViews]) {
      for (const row of view.outbox) {
        if (row.status === 'pending') {
          expect(wipedViews.includes(view), `${view.deviceId} seq ${row.seq} still pending`).toBe(true);
          continue;
        }
        const recorded = byId.get(row.id);
        expect(recorded, `${view.deviceId} seq ${row.seq} unknown to the server`).toBeDefined();
        expect(recorded?.status, `${view.deviceId} seq ${row.seq} ${row.type}: ${JSON.stringify(recorded)} vs ${row.status} ${row.reason}`).toBe(row.status);
        expect(recorded?.seq).toBe(row.seq);
      }
    }
    for (const view of views) {
      const onServer = server.mutations.filter((m) => m.device_id === view.deviceId && m.epoch === view.epoch);
      expect(onServer.map((m) => m.seq).sort((a, b) => a - b)).toEqual(view.outbox.map((r) => r.seq));
    }
    const seqsByEpoch = new Map<string, number[]>();
    for (const m of server.mutations) seqsByEpoch.set(`${m.device_id}|${m.epoch}`, [...(seqsByEpoch.get(`${m.device_id}|${m.epoch}`) ?? []), m.seq]);
    for (const [key, seqs] of seqsByEpoch) {
      expect(seqs.sort((a, b) => a - b), `server seqs of ${key}`).toEqual(seqs.map((_, i) => i + 1));
    }
    // The log holds each applied mutation's rows once, as one run ending at its log_seq.
    const runs = new Map<string, number[]>();
    for (const entry of server.log) if (entry.mutationId) runs.set(entry.mutationId, [...(runs.get(entry.mutationId) ?? []), entry.seq]);
    for (const [id, seqs] of runs) {
      const m = byId.get(id);
      expect(m?.status).toBe('applied');
      expect(seqs.at(-1)).toBe(m?.log_seq);
      expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length);
    }
    expect(server.log.map((e) => e.seq)).toEqual(server.log.map((_, i) => i + 1));

    // No ticket served by two counters unless the loser's call is recorded as rejected.
    const calls = new Map<string, { counterId: string; status: string; reason: string | null }[]>();
    for (const view of [...views, ...wipedViews]) {
      for (const row of view.outbox) {
        if (row.type !== 'callNext' && row.type !== 'callSpecific') continue;
        const payload = row.payload as { ticketId?: string; counterId: string };
        if (!payload.ticketId) continue;
        calls.set(payload.ticketId, [...(calls.get(payload.ticketId) ?? []), { counterId: payload.counterId, status: row.status, reason: row.reason }]);
      }
    }
    for (const [ticketId, list] of calls) {
      const winners = new Set(list.filter((c) => c.status === 'applied').map((c) => c.counterId));
      expect(winners.size, `ticket ${ticketId} served by ${[...winners].join(' and ')}`).toBeLessThanOrEqual(1);
      for (const c of list.filter((c) => c.status === 'rejected')) expect(c.reason).toBeTruthy();
      const final = server.tickets[ticketId];
      if (winners.size === 1 && final) expect(final.counterId).toBe([...winners][0]);
    }

    // The skewed kiosk: every mutation it made was decided, as clock_skew, and none applied.
    const skewed = views.find((v) => v.deviceId === SKEWED_KIOSK)!;
    expect(skewed.outbox.length, `${SKEWED_KIOSK} made no mutations`).toBeGreaterThan(0);
    expect(skewed.outbox.filter((r) => r.status !== 'rejected' || r.code !== 'clock_skew').map((r) => `seq ${r.seq} ${r.status} ${r.code ?? ''}`)).toEqual([]);
    const skewedOnServer = server.mutations.filter((m) => m.device_id === SKEWED_KIOSK);
    expect(skewedOnServer.map((m) => `${m.status} ${m.code ?? ''}`)).toEqual(skewed.outbox.map(() => 'rejected clock_skew'));
    const skewedIds = new Set(skewedOnServer.map((m) => m.id));
    expect(server.log.filter((e) => e.mutationId !== null && skewedIds.has(e.mutationId))).toEqual([]);

    // Every fault the schedule lists acted: events by their own proof, network modes in at least one phase each.
    const notFired = faults.filter((f) => !f.network && f.evidence === 0);
    const byMode = new Map<string, number>();
    for (const f of faults) if (f.network) byMode.set(f.network.mode, (byMode.get(f.network.mode) ?? 0) + f.evidence);
    const idleModes = [...byMode].filter(([, n]) => n === 0).map(([mode]) => mode);
    expect([...notFired.map((f) => `${f.label} (${f.detail ?? ''})`), ...idleModes.map((m) => `network ${m}: no connection disturbed`)], 'faults that did not fire').toEqual([]);
    expect(faults.some((f) => f.label === 'kill -9 central API mid-push')).toBe(true);

    return {
      healToConvergedMs,
      mutations: server.mutations.length,
      rejected: server.mutations.filter((m) => m.status === 'rejected').length,
      faults,
      skewRejected: skewed.outbox.length,
    };
  } finally {
    for (const c of children) c.kill9();
    for (const s of inProcess) {
      s.activity?.stop();
      await s.runtime.stop().catch(() => {});
    }
    await proxy.close();
    await central.close();
    rmSync(base, { recursive: true, force: true });
  }
}

describe('sync under injected faults', () => {
  console.warn(`sync fault schedules: seed ${SEED}, ${SCHEDULES} schedules (HALL_FAULT_SEED=${SEED} HALL_FAULT_SCHEDULES=${SCHEDULES} replays)`);
  for (let i = 0; i < SCHEDULES; i++) {
    const dialect = dialectOf(i);
    it(`schedule ${i + 1} of ${SCHEDULES} on ${dialect} (seed ${SEED + i})`, async () => {
      const result = await runSchedule(SEED + i, dialect);
      console.warn(
        `schedule seed ${SEED + i} on ${dialect}: ${result.mutations} mutations (${result.rejected} rejected, ${result.skewRejected} of them clock_skew from ${SKEWED_KIOSK}), converged ${result.healToConvergedMs} ms after healing; faults [evidence]: ${describeFaults(result.faults)}`,
      );
      expect(result.mutations).toBeGreaterThan(10);
    }, SCHEDULE_MS + CONVERGE_MS + 60_000);
  }
});
