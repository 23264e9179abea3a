import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '@hall/shared';
import { StationStore, stationExecutor, type OutboxRow, type StationRuntime } from '../../packages/station/src/index';
import { seededRandom, seedFromEnv } from '../../packages/station/src/testing/random';
import { startActivity, type Activity } from './activity';
import { ChildStation } from './childStation';
import { FAULT_MODES, FaultProxy } from './faultProxy';
import { startCentral, startTestStation, writeStationConfig } from './harness';
import { duplicateNumbers, serverState } from './serverState';

const SEED = seedFromEnv('HALL_FAULT_SEED');
const SCHEDULES = Number(process.env.HALL_FAULT_SCHEDULES ?? 3);
const SCHEDULE_MS = Number(process.env.HALL_FAULT_SCHEDULE_MS ?? 5000);
const CONVERGE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StationView {
  deviceId: string;
  epoch: string;
  outbox: OutboxRow[];
  live: { tickets: Record<string, Ticket>; counters: Record<string, unknown> };
}

function viewOf(store: StationStore): StationView {
  return { deviceId: store.deviceId, epoch: store.epoch, outbox: store.outbox(), live: { tickets: { ...store.live.queue.tickets }, counters: { ...store.live.queue.counters } } };
}

async function runSchedule(scheduleSeed: number): Promise<{ healToConvergedMs: number; mutations: number; rejected: number; faults: string[] }> {
  const random = seededRandom(scheduleSeed);
  const central = await startCentral();
  const proxy = new FaultProxy(() => central.port, random);
  await proxy.listen();
  const base = mkdtempSync(join(tmpdir(), 'hall-fault-'));
  const skew = () => Math.round((random() * 2 - 1) * 10 * 60_000);
  const faults: string[] = [];

  const childConfig = async (deviceId: string, role: 'kiosk' | 'counter', counterId?: string) => {
    const { file, dataDir } = await writeStationConfig(central, base, { deviceId, role, ...(counterId ? { counterId } : {}), apiUrl: proxy.url });
    return new ChildStation(deviceId, dataDir, file, Math.floor(random() * 2 ** 31), skew());
  };
  const children = [await childConfig('f-kiosk-a', 'kiosk'), await childConfig('f-counter-2', 'counter', 't1-c2')];

  const inProcess: { runtime: StationRuntime; activity: Activity | undefined; dir: string; code: string }[] = [];
  const startInProcess = async (deviceId: string, role: 'kiosk' | 'counter', counterId: string | undefined, code: string, dir: string) => {
    const clock = skew();
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
  for (const child of children) await child.start();

  const wipedViews: StationView[] = [];
  try {
    // The schedule: fault phases, with process and server events between them.
    const end = Date.now() + SCHEDULE_MS;
    while (Date.now() < end) {
      const mode = FAULT_MODES[Math.floor(random() * FAULT_MODES.length)]!;
      proxy.setMode(mode);
      faults.push(mode);
      const phase = 200 + random() * 600;
      const event = random();
      if (event < 0.12) {
        const child = children[Math.floor(random() * children.length)]!;
        faults.push(`kill -9 ${child.deviceId}`);
        child.kill9();
        await sleep(phase / 2);
        await child.start();
        await sleep(phase / 2);
      } else if (event < 0.22) {
        const child = children[Math.floor(random() * children.length)]!;
        faults.push(`SIGSTOP ${child.deviceId}`);
        child.child?.kill('SIGSTOP');
        await sleep(phase);
        child.child?.kill('SIGCONT');
      } else if (event < 0.3) {
        faults.push('server restart');
        await central.restart();
        await sleep(phase);
      } else if (event < 0.35 && wipedViews.length === 0) {
        const victim = inProcess[0]!;
        faults.push(`wipe ${victim.runtime.core.identity.deviceId}`);
        victim.activity?.stop();
        wipedViews.push(viewOf(victim.runtime.core.store));
        await victim.runtime.stop();
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(victim.dir, `station.db${suffix}`), { force: true });
        inProcess[0] = await startInProcess('f-kiosk-b', 'kiosk', undefined, victim.code, victim.dir);
        await sleep(phase);
      } else {
        await sleep(phase);
      }
    }

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
    expect(converged, `stations did not converge within ${CONVERGE_MS} ms of healing (faults: ${faults.join(', ')})`).toBe(true);

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
        expect(recorded?.status).toBe(row.status);
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
    return {
      healToConvergedMs,
      mutations: server.mutations.length,
      rejected: server.mutations.filter((m) => m.status === 'rejected').length,
      faults,
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
    it(`schedule ${i + 1} of ${SCHEDULES} (seed ${SEED + i})`, async () => {
      const result = await runSchedule(SEED + i);
      console.warn(
        `schedule seed ${SEED + i}: ${result.mutations} mutations (${result.rejected} rejected), converged ${result.healToConvergedMs} ms after healing; faults: ${result.faults.join(', ')}`,
      );
      expect(result.mutations).toBeGreaterThan(10);
    }, SCHEDULE_MS + CONVERGE_MS + 60_000);
  }
});
