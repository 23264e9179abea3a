// The hall mesh under injected faults: a hall of station processes (kiosks, counters, a
// display) meshed over real UDP on loopback, each sending through a FaultNetwork driven over
// IPC (loss, duplication, reordering, partitions among stations), the central API behind the
// FaultProxy (hung during an outage). During the outage a kiosk is killed with -9 once its
// peers hold its tickets, a counter joins late, clocks are up to 10 minutes off. After
// everything heals: exactly once on the server, unique numbers, one counter per ticket, every
// station equal to the server within 30 s, and what the whole hall showed is what the server
// records. Consecutive seeds cycle through the four kinds of schedule (LAN whole or split during
// the outage; the late counter's base current or stale). Replay: HALL_FAULT_SEED=<seed>
// HALL_FAULT_SCHEDULES=1; HALL_FAULT_SCHEDULE_MS sets the outage length (default 6000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StationStore, stationExecutor, type OutboxRow } from '@hall/station';
import { freeUdpPorts, type FaultStats, type LinkFaults, seededRandom, seedFromEnv } from '@hall/station/testing';
import type { MeshVectorEntry } from '@hall/station';
import { ChildStation, type LanFaults, type StationProcessView } from './childStation';
import { FAULT_MODES, FaultProxy, type FaultMode } from './faultProxy';
import { startCentral, writeStationConfig } from './harness';
import { duplicateNumbers, serverState } from './serverState';

const SEED = seedFromEnv('HALL_FAULT_SEED');
const SCHEDULES = Number(process.env.HALL_FAULT_SCHEDULES ?? 4);
/** Hold a late counter with a stale base to the same agreement as the others (a known limitation: see lateBase). */
const STRICT_LATE = process.env.HALL_MESH_STRICT_LATE === '1';
/** How long the central API is away. */
const OUTAGE_MS = Number(process.env.HALL_FAULT_SCHEDULE_MS ?? 6000);
const CONVERGE_MS = 30_000;
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Role = 'kiosk' | 'counter' | 'display';
interface StationSpec {
  deviceId: string;
  role: Role;
  counterId?: string;
  /** Mean interval of its users' actions; none for a display. */
  activityMs?: number;
}

const STATIONS: readonly StationSpec[] = [
  { deviceId: 'mf-kiosk-1', role: 'kiosk', activityMs: 400 },
  { deviceId: 'mf-kiosk-2', role: 'kiosk', activityMs: 400 },
  { deviceId: 'mf-counter-1', role: 'counter', counterId: 't1-c1', activityMs: 250 },
  { deviceId: 'mf-counter-2', role: 'counter', counterId: 't1-c2', activityMs: 250 },
  { deviceId: 'mf-display', role: 'display' },
  // Enrolled before the schedule (it needs the API for that), started again during the outage.
  { deviceId: 'mf-counter-3', role: 'counter', counterId: 't1-c3', activityMs: 250 },
];
const LATE = 'mf-counter-3';
const KIOSKS = ['mf-kiosk-1', 'mf-kiosk-2'];

/** What one seed decides; printed, so a failure names what the schedule did. */
interface Plan {
  /** 'whole': the LAN stays one (lossy) network during the outage; 'split': stations are partitioned for part of it. */
  kind: 'whole' | 'split';
  lan: LinkFaults;
  skews: Record<string, number>;
  /** Proxy modes (each ~300–600 ms) while the API is still there, before the outage. */
  apiModes: FaultMode[];
  victim: string;
  /** Fractions of the outage. */
  killAt: number;
  lateAt: number;
  /**
   * 'current': the late counter works through the morning and goes off as the API hangs, so
   * its base is as recent as its peers'. 'stale': it is off from before the hall's first
   * action, so its base lacks what the server decided before the outage. Peers do not keep
   * the mutations their own base already reflects unless they heard them before the server
   * decided them, so such a counter may never get some of them over the LAN (a dead kiosk's
   * early tickets above all): it shows an incomplete hall until the API is back, and its
   * view is left out of the agreement checks unless HALL_MESH_STRICT_LATE=1.
   */
  lateBase: 'current' | 'stale';
  split?: { sides: [string[], string[]]; from: number; /** > 1: the LAN heals only after the API is back. */ to: number };
}

/** Consecutive seeds go through the four kinds of schedule (LAN whole or split, late counter's base current or stale). */
function makePlan(seed: number, random: () => number): Plan {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const kind = (seed & 1) === 0 ? 'whole' : 'split';
  const lateBase = (seed & 2) === 0 ? 'current' : 'stale';
  const maxDelay = 20 + Math.round(random() * 60);
  const lan: LinkFaults = { loss: 0.05 + random() * 0.2, duplicate: 0.05 + random() * 0.2, delayMs: [0, maxDelay] };
  // One clock ten minutes fast, one ten minutes slow, the others anywhere in between.
  const names = STATIONS.map((s) => s.deviceId);
  const shuffled = [...names].sort(() => random() - 0.5);
  const skews: Record<string, number> = {};
  for (const [i, name] of shuffled.entries()) skews[name] = i === 0 ? 10 * MINUTE : i === 1 ? -10 * MINUTE : Math.round((random() * 2 - 1) * 10 * MINUTE);
  const apiModes = Array.from({ length: 3 }, () => pick(FAULT_MODES));
  const victim = pick(KIOSKS);
  const plan: Plan = { kind, lan, skews, apiModes, victim, killAt: 0.3 + random() * 0.4, lateAt: 0.2 + random() * 0.4, lateBase };
  if (kind === 'split') {
    // The victim keeps one or two peers on its side, which must relay its tickets.
    // (Mates running from the start: the late counter may start after the kill.)
    const others = names.filter((n) => n !== plan.victim && n !== LATE).sort(() => random() - 0.5);
    const mates = 1 + Math.floor(random() * 2);
    const sideA = [plan.victim, ...others.slice(0, mates)];
    const sideB = others.slice(mates);
    (random() < 0.5 ? sideA : sideB).push(LATE);
    plan.split = { sides: [sideA, sideB], from: 0.05 + random() * 0.2, to: random() < 0.4 ? 2 : 0.8 + random() * 0.1 };
    // The kill comes while the hall is split: only the victim's side holds its tickets.
    plan.killAt = Math.max(plan.split.from + 0.1, plan.killAt);
  }
  return plan;
}

function lanFaults(defaults: LinkFaults, split?: [string[], string[]]): LanFaults {
  const links: LanFaults['links'] = [];
  if (split) {
    for (const a of split[0]) {
      for (const b of split[1]) {
        links.push([a, b, { down: true }], [b, a, { down: true }]);
      }
    }
  }
  return { defaults, links };
}

function vectorKey(vector: readonly MeshVectorEntry[]): string {
  return vector
    .filter((e) => e.seq > 0)
    .map((e) => `${e.deviceId}|${e.epoch}|${e.seq}`)
    .sort()
    .join(',');
}

/** Which counter holds each ticket, and its status, as a station's screens show it. */
function decisions(view: StationProcessView): Record<string, string> {
  return Object.fromEntries(Object.values(view.tickets).map((t) => [t.id, `${t.counterId ?? '-'}/${t.status}`]));
}

/** Each station's vector and mesh counters. */
function explainMesh(views: readonly StationProcessView[]): string {
  return views.map((v) => `  ${v.deviceId}: vector ${vectorKey(v.meshVector)}; held ${JSON.stringify(v.peerHoldings)}; mesh ${JSON.stringify(v.mesh)}; lan ${JSON.stringify(v.lan)}`).join('\n');
}

/** Where stations' views differ: their vectors, cursors and the tickets they show differently. */
function explainDisagreement(views: readonly StationProcessView[]): string {
  const lines = views.map((v) => `  ${v.deviceId}: cursor ${v.status.cursor}, peerPending ${v.peerPending}, pending ${v.status.pending}, vector ${vectorKey(v.meshVector)}, held ${JSON.stringify(v.peerHoldings)}`);
  const ids = new Set(views.flatMap((v) => Object.keys(v.tickets)));
  for (const id of ids) {
    const shown = views.map((v) => decisions(v)[id] ?? 'absent');
    if (new Set(shown).size > 1) lines.push(`  ticket ${id}: ${views.map((v, i) => `${v.deviceId}=${shown[i]}`).join(' ')}`);
  }
  return lines.join('\n');
}

function addStats(total: FaultStats, more: FaultStats | undefined): void {
  if (!more) return;
  for (const key of Object.keys(total) as (keyof FaultStats)[]) total[key] += more[key];
}

interface Result {
  plan: Plan;
  mutations: number;
  rejected: number;
  lan: FaultStats;
  healToConvergedMs: number;
  decisionsChecked: number;
  victimRelayed: number;
  /** Tickets a late counter with a stale base showed differently from the rest of the hall (see lateBase). */
  lateDivergent: number;
}

async function runSchedule(scheduleSeed: number): Promise<Result> {
  const random = seededRandom(scheduleSeed);
  const plan = makePlan(scheduleSeed, random);
  const describePlan = `seed ${scheduleSeed}: ${JSON.stringify(plan)}`;
  const central = await startCentral({
    adjustHall: (hall) => {
      const general = hall.counters[1]!;
      hall.counters.push({ ...general, id: 't1-c3', number: '3', name: { zh: '3号窗口' } });
    },
  });
  const proxy = new FaultProxy(() => central.port, seededRandom(Math.floor(random() * 2 ** 31)));
  await proxy.listen();
  const base = mkdtempSync(join(tmpdir(), 'hall-mesh-fault-'));
  const ports = await freeUdpPorts(STATIONS.length);
  const portOf = Object.fromEntries(STATIONS.map((s, i) => [s.deviceId, ports[i]!]));
  let lan = lanFaults({});

  const stations = new Map<string, ChildStation>();
  for (const [i, spec] of STATIONS.entries()) {
    const peers = ports.filter((_, j) => j !== i).map((port) => ({ host: '127.0.0.1', port }));
    const { file, dataDir } = await writeStationConfig(central, base, {
      deviceId: spec.deviceId,
      role: spec.role,
      ...(spec.counterId ? { counterId: spec.counterId } : {}),
      apiUrl: proxy.url,
      mesh: { port: portOf[spec.deviceId]!, bind: '127.0.0.1', peers, advertIntervalMs: 250 },
    });
    const station = new ChildStation(spec.deviceId, dataDir, file, Math.floor(random() * 2 ** 31), plan.skews[spec.deviceId] ?? 0, {
      activity: false,
      ...(spec.activityMs ? { activityMs: spec.activityMs } : {}),
      lan: { seed: Math.floor(random() * 2 ** 31), ports: portOf, faults: lan },
    });
    stations.set(spec.deviceId, station);
  }
  const station = (name: string) => stations.get(name)!;
  const running = () => [...stations.values()].filter((s) => s.child !== undefined);
  const views = () => Promise.all(running().map((s) => s.view()));
  const setLan = async (faults: LanFaults) => {
    lan = faults;
    for (const s of stations.values()) await s.setLan(faults);
  };
  const setActivity = async (on: boolean) => {
    for (const s of running()) if (STATIONS.find((spec) => spec.deviceId === s.deviceId)?.activityMs) await s.setActivity(on);
  };
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number, explain?: () => string) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}${explain ? `\n${explain()}` : ''}`);
      await sleep(100);
    }
  };
  const lanTotals: FaultStats = { sent: 0, dropped: 0, partitioned: 0, duplicated: 0, reordered: 0 };
  const events: string[] = [];

  try {
    // Everyone enrolls, holds the LAN key, its device key and the catalogue, hears every peer; kiosks hold numbers.
    await Promise.all([...stations.values()].map((s) => s.start()));
    await until(
      'the hall to be up',
      async () =>
        (await views()).every(
          (v) =>
            v.status.online &&
            v.ready.catalogue &&
            v.ready.lanKeys &&
            v.ready.deviceKey &&
            v.mesh?.peers === STATIONS.length - 1 &&
            (!KIOSKS.includes(v.deviceId) || v.ready.numbers > 0),
        ),
      60_000,
    );
    // The late counter is enrolled; with a stale base it goes away before anything happens.
    if (plan.lateBase === 'stale') await station(LATE).exit();

    // The hall at work with a lossy LAN and a flaky API.
    await setLan(lanFaults(plan.lan));
    await setActivity(true);
    for (const mode of plan.apiModes) {
      proxy.setMode(mode);
      await sleep(300 + random() * 300);
    }

    // HALL_MESH_DEBUG=1: what each station holds as the API goes away.
    if (process.env.HALL_MESH_DEBUG) for (const v of await views()) console.warn(`DEBUG ${v.deviceId} cursor ${v.status.cursor} outbox ${v.outbox.length} held ${JSON.stringify(v.peerHoldings)}`);
    // The API hangs.
    proxy.setMode('partition');
    const outageStart = Date.now();
    const decidedBeforeOutage = new Set((await serverState(central)).mutations.map((m) => m.id));
    if (plan.lateBase === 'current') await station(LATE).exit();
    const at = async (fraction: number) => {
      const wait = outageStart + fraction * OUTAGE_MS - Date.now();
      if (wait > 0) await sleep(wait);
    };
    type Step = { at: number; run: () => Promise<void> };
    const steps: Step[] = [];
    let victimView: StationProcessView | undefined;
    let lateStartedAt = 0;
    let madeBeforeLate = new Set<string>();
    steps.push({
      at: plan.lateAt,
      run: async () => {
        madeBeforeLate = new Set((await views()).flatMap((v) => v.outbox.map((r) => r.id)));
        events.push(`late start ${LATE}`);
        await station(LATE).start();
        lateStartedAt = Date.now();
        await station(LATE).setActivity(true);
      },
    });
    steps.push({
      at: plan.killAt,
      run: async () => {
        // The kiosk stops taking tickets, its peers hear everything it made, then it dies.
        const victim = station(plan.victim);
        await victim.setActivity(false);
        victimView = await victim.view();
        const own = victimView.meshVector[0]!;
        const side = plan.split && lan.links.length > 0 ? plan.split.sides.find((s) => s.includes(plan.victim))! : [...stations.keys()];
        const peers = () => running().filter((s) => s !== victim && side.includes(s.deviceId));
        let held: StationProcessView[] = [];
        await until(
          `the peers of ${plan.victim} to hold its ${own.seq} mutations`,
          async () => {
            held = await Promise.all(peers().map((p) => p.view()));
            return held.length > 0 && held.every((v) => v.meshVector.some((e) => e.deviceId === own.deviceId && e.epoch === own.epoch && e.seq >= own.seq));
          },
          15_000,
          () => explainMesh([...held, victimView ?? held[0]!]),
        );
        victimView = await victim.view();
        events.push(`kill -9 ${plan.victim} (holding ${own.seq} mutations, ${victimView.status.pending} unconfirmed)`);
        await victim.kill9AndWait();
      },
    });
    if (plan.split) {
      const { sides, from, to } = plan.split;
      steps.push({
        at: from,
        run: async () => {
          events.push(`LAN split ${sides[0].join('+')} | ${sides[1].join('+')}`);
          await setLan(lanFaults(plan.lan, sides));
        },
      });
      if (to <= 1) {
        steps.push({
          at: to,
          run: async () => {
            events.push('LAN split healed');
            await setLan(lanFaults(plan.lan));
          },
        });
      }
    }
    for (const step of steps.sort((a, b) => a.at - b.at)) {
      await at(step.at);
      await step.run();
    }
    await at(1);

    // People stop; while the API is still away, the (whole) hall settles on one view.
    await setActivity(false);
    const whole = lan.links.length === 0;
    let recorded: { deviceId: string; decisions: Record<string, string> }[] = [];
    let lateDivergent = 0;
    if (whole) {
      let last: StationProcessView[] = [];
      const judged = (all: StationProcessView[]) => all.filter((v) => v.deviceId !== LATE || plan.lateBase === 'current' || STRICT_LATE);
      await until(
        'the hall to agree over the LAN before the API returns',
        async () => {
          const all = await views();
          last = judged(all);
          const first = last[0]!;
          // Everything made in the outage is held everywhere (the late counter's own mutations too, when its view is not judged).
          const made = all.flatMap((v) => v.outbox.map((r) => r.id)).filter((id) => !decidedBeforeOutage.has(id));
          if (!last.every((v) => made.every((id) => v.heldIds.includes(id)))) return false;
          return last.every((v) => vectorKey(v.meshVector) === vectorKey(first.meshVector) && isDeepStrictEqual(decisions(v), decisions(first)));
        },
        20_000,
        () => explainDisagreement(last),
      );
      recorded = last.map((v) => ({ deviceId: v.deviceId, decisions: decisions(v) }));
      // The late counter caught up over the LAN with what the hall did in the outage before it started.
      const late = await station(LATE).view();
      const held = new Set(late.heldIds);
      const missed = [...madeBeforeLate].filter((id) => !decidedBeforeOutage.has(id) && !held.has(id));
      expect(missed, `${LATE} lacks mutations made in the outage before it started`).toEqual([]);
      if (plan.lateBase === 'stale' && !STRICT_LATE) {
        const hall = decisions(last[0]!);
        const shown = decisions(late);
        lateDivergent = Object.keys({ ...hall, ...shown }).filter((id) => hall[id] !== shown[id]).length;
      }
    }

    // The API answers again; a split LAN heals a little later.
    proxy.setMode('normal');
    events.push('API back');
    if (!whole) {
      await sleep(1500 + random() * 1500);
      events.push('LAN split healed after the API returned');
    }
    await setLan(lanFaults({}));
    const healedAt = Date.now();

    let final: StationProcessView[] = [];
    let server = await serverState(central);
    await until(
      `every station to equal the server within ${CONVERGE_MS} ms of healing (events: ${events.join('; ')})`,
      async () => {
        server = await serverState(central);
        final = await views();
        const settled = final.every((v) => v.status.pending === 0 && v.peerPending === 0 && v.status.cursor === server.head && isDeepStrictEqual(v.tickets, server.tickets));
        return settled && (await serverState(central)).head === server.head;
      },
      CONVERGE_MS,
    );
    const healToConvergedMs = Date.now() - healedAt;

    // The dead kiosk's database, as it was when it died.
    const victimStation = station(plan.victim);
    const victimStore = StationStore.open(join(victimStation.dataDir, 'station.db'), plan.victim, stationExecutor);
    const victimOutbox: OutboxRow[] = victimStore.outbox();
    const victimEpoch = victimStore.epoch;
    victimStore.close();

    // Every station shows exactly the server's hall.
    for (const view of final) {
      expect(view.tickets, `${view.deviceId} tickets`).toEqual(server.tickets);
      expect(view.counters, `${view.deviceId} counters`).toEqual(server.counters);
      expect(duplicateNumbers(view.tickets), `${view.deviceId} numbers`).toEqual([]);
    }
    expect(duplicateNumbers(server.tickets), 'server numbers').toEqual([]);

    // Exactly once: every mutation made anywhere is recorded once on the server, with the station's answer.
    const made = [...final.flatMap((v) => v.outbox), ...victimOutbox];
    const serverIds = server.mutations.map((m) => m.id);
    expect(new Set(serverIds).size, 'a mutation recorded twice').toBe(serverIds.length);
    expect([...serverIds].sort()).toEqual(made.map((m) => m.id).sort());
    const byId = new Map(server.mutations.map((m) => [m.id, m]));
    for (const row of final.flatMap((v) => v.outbox)) expect(byId.get(row.id)?.status, `${row.id} (${row.type})`).toBe(row.status);
    const seqsByEpoch = new Map<string, number[]>();
    for (const m of server.mutations) seqsByEpoch.set(`${m.device_id}|${m.epoch}`, [...(seqsByEpoch.get(`${m.device_id}|${m.epoch}`) ?? []), m.seq]);
    for (const [key, seqs] of seqsByEpoch) expect(seqs.sort((a, b) => a - b), `server seqs of ${key}`).toEqual(seqs.map((_, i) => i + 1));

    // The dead kiosk's tickets reached the server although it never came back: pushed by its peers.
    const relayed = victimOutbox.filter((r) => r.status === 'pending');
    expect(relayed.filter((r) => r.type === 'issueTicket').length, 'tickets the victim left unconfirmed').toBeGreaterThan(0);
    for (const row of relayed) expect(byId.get(row.id), `victim seq ${row.seq}`).toMatchObject({ device_id: plan.victim, epoch: victimEpoch, seq: row.seq });

    // One counter per ticket: no two counters' calls of a ticket both applied, and the ticket is with the winner.
    const calls = new Map<string, string[]>();
    for (const row of made) {
      if ((row.type !== 'callNext' && row.type !== 'callSpecific') || byId.get(row.id)?.status !== 'applied') continue;
      const payload = row.payload as { ticketId?: string; counterId: string };
      if (payload.ticketId) calls.set(payload.ticketId, [...new Set([...(calls.get(payload.ticketId) ?? []), payload.counterId])]);
    }
    for (const [ticketId, counters] of calls) {
      expect(counters.length, `ticket ${ticketId} served by ${counters.join(' and ')}`).toBe(1);
      expect(server.tickets[ticketId]?.counterId).toBe(counters[0]);
    }

    // No decision the whole hall showed is reversed by the server.
    let decisionsChecked = 0;
    for (const { deviceId, decisions: shown } of recorded) {
      const onServer = Object.fromEntries(Object.keys(shown).map((id) => [id, server.tickets[id] ? `${server.tickets[id].counterId ?? '-'}/${server.tickets[id].status}` : 'missing']));
      expect(onServer, `what ${deviceId} showed before the API returned`).toEqual(shown);
      decisionsChecked += Object.keys(shown).length;
    }

    // The scheduled faults fired.
    addStats(lanTotals, victimView?.lan);
    for (const view of final) addStats(lanTotals, view.lan);
    expect(lanTotals.dropped, 'LAN datagrams dropped').toBeGreaterThan(0);
    expect(lanTotals.duplicated, 'LAN datagrams duplicated').toBeGreaterThan(0);
    expect(lanTotals.reordered, 'LAN datagrams reordered').toBeGreaterThan(0);
    if (plan.split) expect(lanTotals.partitioned, 'LAN datagrams lost to the split').toBeGreaterThan(0);
    expect(proxy.stats.partition, 'connections swallowed by the API outage').toBeGreaterThan(0);
    expect(victimStation.lastExit?.signal, 'the victim was killed with -9').toBe('SIGKILL');
    expect(lateStartedAt, 'the late counter started during the outage').toBeGreaterThan(outageStart);
    expect(lateStartedAt).toBeLessThan(healedAt);
    if (whole) expect(recorded.length).toBe(plan.lateBase === 'current' || STRICT_LATE ? STATIONS.length - 1 : STATIONS.length - 2);

    return {
      plan,
      mutations: server.mutations.length,
      rejected: server.mutations.filter((m) => m.status === 'rejected').length,
      lan: lanTotals,
      healToConvergedMs,
      decisionsChecked,
      victimRelayed: relayed.length,
      lateDivergent,
    };
  } catch (error) {
    (error as Error).message += `\n  events: ${events.join('; ')}\n  ${describePlan}`;
    throw error;
  } finally {
    for (const s of stations.values()) s.kill9();
    await proxy.close();
    await central.close();
    rmSync(base, { recursive: true, force: true });
  }
}

describe('the hall mesh under injected faults', () => {
  console.warn(`mesh fault schedules: seed ${SEED}, ${SCHEDULES} schedules (HALL_FAULT_SEED=${SEED} HALL_FAULT_SCHEDULES=${SCHEDULES} replays)`);
  for (let i = 0; i < SCHEDULES; i++) {
    it(`schedule ${i + 1} of ${SCHEDULES} (seed ${SEED + i})`, async () => {
      const started = Date.now();
      const r = await runSchedule(SEED + i);
      console.warn(
        `mesh schedule seed ${SEED + i} (${r.plan.kind}${r.plan.split ? `, LAN heals ${r.plan.split.to > 1 ? 'after' : 'before'} the API returns` : ''}, late counter's base ${r.plan.lateBase}): ` +
          (r.lateDivergent > 0 ? `the late counter showed ${r.lateDivergent} tickets unlike the hall (stale base, known limitation); ` : '') +
          `${r.mutations} mutations (${r.rejected} rejected), ${r.victimRelayed} of the dead kiosk's relayed, ${r.decisionsChecked} decisions checked, ` +
          `LAN ${JSON.stringify(r.lan)}, converged ${r.healToConvergedMs} ms after healing, ${Date.now() - started} ms in all`,
      );
    }, OUTAGE_MS + 2 * CONVERGE_MS + 120_000);
  }
});
