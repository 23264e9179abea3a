// Stations for the hall bench, in a child process: one station per process where latency
// honesty needs it (kiosk, counter and display each on "its own PC"), or several in one
// process for the 10-station catch-up (see bench/hall.ts). Each station meshes over real UDP
// on loopback; a FaultNetwork wraps its transport so the parent can cut the LAN between
// groups of stations (each process drops what it sends to the other side, so the cut is
// symmetric). Stamps are performance.timeOrigin + performance.now(), comparable across
// processes on one machine.
// argv: <spec.json>. IPC in: HallCommand (with `rid`); out: 'ready', {rid, reply}, HallEvent.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Mutation } from '@hall/shared';
import { FaultNetwork, signInStationClerk, seededRandom } from '@hall/station/testing';
import { FIXTURE_PASSWORD } from '../apps/server/src/testing/fixture';
import { LocalRejection, parseStationConfig, startStation, type StationRuntime } from '@hall/station';
import { startActivity, type Activity } from '../tests/sync/activity';
import { ticketsDigest, type HallCommand, type HallEvent, type HallStationSpec, type StationReport } from './hallWire';

const stamp = () => performance.timeOrigin + performance.now();

interface Hosted {
  runtime: StationRuntime;
  role: string;
  lastChangeAt: number;
  /** Set by the station's own live listener during a local commit: the commit's stamp. */
  lastLiveAt: number;
  /** While a peer's mutations are being taken into the store: when that began. */
  receivingSince: number;
}

async function main(): Promise<void> {
  const [specFile] = process.argv.slice(2);
  if (!specFile) throw new Error('usage: hallStation <spec.json>');
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as HallStationSpec;
  const network = new FaultNetwork(1);
  const stations = new Map<string, Hosted>();
  let watching = false;

  for (const raw of spec.configs) {
    const config = parseStationConfig(raw, specFile);
    const runtime = await startStation(config, {
      sync: spec.sync,
      ...(spec.requestTimeoutMs ? { requestTimeoutMs: spec.requestTimeoutMs } : {}),
      meshTransport: network.transport(config.deviceId),
    });
    // A counter's clerk signs in while the API answers, before the bench takes it away.
    if (config.role === 'counter') await signInStationClerk(runtime, 't1-clerk', FIXTURE_PASSWORD);
    const hosted: Hosted = { runtime, role: config.role, lastChangeAt: 0, lastLiveAt: 0, receivingSince: 0 };
    const store = runtime.core.store;
    store.onLiveChange((changes) => {
      const at = stamp();
      hosted.lastChangeAt = at;
      hosted.lastLiveAt = at;
      if (!watching) return;
      for (const { change, previous } of changes) {
        if (change.entity !== 'ticket') continue;
        const status = (change.data as { status?: string }).status;
        const before = (previous as { status?: string } | undefined)?.status;
        if ((status === 'waiting' || status === 'called') && before !== status) {
          process.send?.({ ev: status, station: config.deviceId, ticketId: change.id, at, ...(hosted.receivingSince ? { receivedAt: hosted.receivingSince } : {}) } satisfies HallEvent);
        }
      }
    });
    // A peer mutation that changes nothing visible (a replay that fails) still counts as arrival.
    const receive = store.receivePeerMutations.bind(store);
    store.receivePeerMutations = (mutations: readonly Mutation[]) => {
      hosted.receivingSince = stamp();
      const fresh = receive(mutations);
      hosted.receivingSince = 0;
      if (fresh > 0) hosted.lastChangeAt = stamp();
      return fresh;
    };
    stations.set(config.deviceId, hosted);
  }

  const station = (id: string): Hosted => {
    const hosted = stations.get(id);
    if (!hosted) throw new Error(`no station ${id} in this process`);
    return hosted;
  };

  const report = (id: string, hosted: Hosted): StationReport => {
    const { runtime } = hosted;
    const store = runtime.core.store;
    const status = runtime.sync.status();
    // What the station really holds (its outbox and its peers' rows), not its advertised
    // vector: the vector takes a run of seqs that does not start at 1 as gap-free.
    const held = store.db
      .prepare<[string], { key: string }>(
        `SELECT ? || '|' || epoch || '|' || seq AS key FROM outbox UNION ALL SELECT device_id || '|' || epoch || '|' || seq FROM peer_mutations`,
      )
      .all(id)
      .map((row) => row.key)
      .sort();
    const numbers: Record<string, number> = {};
    if (hosted.role === 'kiosk' && store.catalogue) {
      for (const queue of store.catalogue.queues) numbers[queue.id] = store.remainingNumbers(queue.id, runtime.core.today());
    }
    const counts = store.outboxCounts();
    return {
      deviceId: id,
      online: status.online,
      hallMode: status.hall?.mode,
      peers: runtime.mesh?.reachable() ?? 0,
      pending: counts.pending,
      rejected: counts.rejected,
      peerPending: store.peerPendingCount(),
      cursor: store.cursor,
      numbers,
      held: createHash('sha1').update(held.join('\n')).digest('hex'),
      heldCount: held.length,
      advertised: store.meshVector().reduce((n, e) => n + e.seq, 0),
      tickets: ticketsDigest(store.live.queue.tickets),
      ticketCount: Object.keys(store.live.queue.tickets).length,
      lastChangeAt: hosted.lastChangeAt,
      committed: store.nextSeq - 1,
    };
  };

  const activities: Activity[] = [];

  /** One deterministic step of a station's user: kiosks issue, counters open, call, serve, finish. */
  const driveStep = (hosted: Hosted, serviceId: string): void => {
    const core = hosted.runtime.core;
    if (hosted.role === 'kiosk') {
      core.issueTicket({ serviceIds: [serviceId], kind: 'walk_in' });
      return;
    }
    const counterId = core.identity.counterId!;
    const state = core.store.live.queue.counters[counterId]?.state ?? { status: 'closed' as const };
    if (state.status === 'closed') core.counterCommand('openCounter');
    else if (state.status === 'paused') core.counterCommand('resumeCounter');
    else if (state.status === 'open') core.callNext();
    else {
      const ticket = core.store.live.queue.tickets[state.ticketId];
      core.ticketCommand(ticket?.status === 'called' ? 'startServing' : 'finish', state.ticketId);
    }
  };

  const handle = async (command: HallCommand): Promise<unknown> => {
    switch (command.cmd) {
      case 'status':
        return [...stations].map(([id, hosted]) => report(id, hosted));
      case 'watch':
        watching = command.on;
        return true;
      case 'issue': {
        const hosted = station(command.station);
        const before = stamp();
        const ticket = hosted.runtime.core.issueTicket({ serviceIds: [command.serviceId], kind: 'walk_in' });
        return { ticketId: ticket.id, before, committedAt: hosted.lastLiveAt };
      }
      case 'open':
        station(command.station).runtime.core.counterCommand('openCounter');
        return true;
      case 'call': {
        const hosted = station(command.station);
        const before = stamp();
        const ticket = hosted.runtime.core.callNext();
        return { ticketId: ticket?.id ?? null, before, committedAt: hosted.lastLiveAt };
      }
      case 'serveAndFinish': {
        const core = station(command.station).runtime.core;
        core.ticketCommand('startServing', command.ticketId);
        core.ticketCommand('finish', command.ticketId);
        return true;
      }
      case 'partition':
        network.partition(
          [command.station],
          command.blockPorts.map((port) => `127.0.0.1:${port}`),
        );
        return true;
      case 'heal':
        network.heal();
        return true;
      case 'activity':
        for (const [i, hosted] of [...stations.values()].entries()) {
          if (hosted.role === 'display') continue;
          activities.push(startActivity(hosted.runtime, seededRandom(command.seed + i), command.intervalMs));
        }
        return true;
      case 'stopActivity': {
        let committed = 0;
        for (const activity of activities.splice(0)) {
          activity.stop();
          committed += activity.committed;
        }
        return { committed };
      }
      case 'drive': {
        // Round robin over this process's stations, each step a real user action, with a
        // pause between steps so the mesh carries each one before the next (as in a hall,
        // where people act milliseconds apart at most, and usually much more).
        const hosted = [...stations.values()];
        const before = hosted.map((h) => h.runtime.core.store.nextSeq);
        const total = () => hosted.reduce((n, h, i) => n + h.runtime.core.store.nextSeq - before[i]!, 0);
        let refused = 0;
        for (let step = 0; total() < command.count; step++) {
          if (step > command.count * 20) throw new Error(`drive: only ${total()} of ${command.count} mutations after ${step} steps`);
          const h = hosted[step % hosted.length]!;
          try {
            driveStep(h, 't1-svc-1');
          } catch (error) {
            if (!(error instanceof LocalRejection)) throw error;
            refused++;
          }
          await new Promise((resolve) => setTimeout(resolve, command.gapMs));
        }
        return { committed: total(), refused };
      }
    }
  };

  process.on('message', (message: unknown) => {
    if (message === 'exit') {
      void Promise.all([...stations.values()].map((h) => h.runtime.stop())).then(() => process.exit(0));
      return;
    }
    const { rid, ...command } = message as HallCommand & { rid: number };
    handle(command as HallCommand).then(
      (reply) => process.send?.({ rid, reply }),
      (error: unknown) => process.send?.({ rid, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.send?.('ready');
}

await main();
