// A station in its own process, so fault tests can kill -9, SIGSTOP and SIGCONT it.
// argv: <config.json> <seed> <clockSkewMs> [options.json (StationProcessOptions)]
// IPC: 'stop-activity' → 'stopped', 'status' → { status }, 'exit'; and requests with an id
// (StationProcessRequest: view, activity on/off, hall LAN faults) answered with that id.
// With `lan` options the hall mesh runs over real UDP through a FaultNetwork of this process,
// which applies the faults of the links this station sends on: every process given the same
// faults makes one faulty LAN.
import { readFileSync } from 'node:fs';
import { FIXTURE_PASSWORD } from '../../apps/server/src/testing/fixture';
import { parseStationConfig, startStation } from '@hall/station';
import { signInStationClerk, FaultNetwork, seededRandom } from '@hall/station/testing';
import { startActivity, type Activity } from './activity';
import type { LanFaults, StationProcessOptions, StationProcessReply, StationProcessRequest } from './childStation';

const [configFile, seedText, skewText, optionsText] = process.argv.slice(2);
if (!configFile || !seedText || skewText === undefined) throw new Error('usage: stationProcess <config> <seed> <skewMs> [options]');
const skew = Number(skewText);
const options = (optionsText ? JSON.parse(optionsText) : {}) as StationProcessOptions;
const config = parseStationConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile);

let lan: FaultNetwork | undefined;
const applyLan = (faults: LanFaults) => {
  if (!lan) return;
  lan.heal();
  lan.setDefault(faults.defaults);
  for (const [from, to, link] of faults.links) lan.set(from, to, link);
};
if (options.lan) {
  lan = new FaultNetwork(options.lan.seed);
  for (const [name, port] of Object.entries(options.lan.ports)) lan.name(port, name);
  applyLan(options.lan.faults);
}

const runtime = await startStation(config, {
  now: () => Date.now() + skew,
  requestTimeoutMs: 1500,
  sync: { pollIntervalMs: 300, backoffBaseMs: 50, backoffMaxMs: 1000, stallMs: 4000 },
  ...(lan ? { meshTransport: lan.transport(config.deviceId) } : {}),
});
// A counter's clerk signs in whenever the central API answers (a restarted counter may come up
// during an outage); until then its counter commands are refused locally, as at a real window.
if (config.role === 'counter') void signInStationClerk(runtime, 't1-clerk', FIXTURE_PASSWORD, 10 * 60_000).catch(() => {});
const random = seededRandom(Number(seedText));
const activityMs = options.activityMs ?? 60;
let activity: Activity | undefined = options.activity === false ? undefined : startActivity(runtime, random, activityMs);

/** Seqs as ranges ("1-3,5"), for diagnostics. */
function ranges(seqs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seqs.length; ) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The peers' mutations this station holds (seqs per device and epoch) and the server's watermarks it learnt. */
function peerHoldings(): Record<string, string> {
  const db = runtime.core.store.db;
  const held: Record<string, string> = {};
  const rows = db.prepare('SELECT device_id AS d, epoch AS e, seq FROM peer_mutations ORDER BY device_id, epoch, seq').all() as { d: string; e: string; seq: number }[];
  const byKey = new Map<string, number[]>();
  for (const row of rows) byKey.set(`${row.d}|${row.e}`, [...(byKey.get(`${row.d}|${row.e}`) ?? []), row.seq]);
  for (const [key, seqs] of byKey) held[key] = ranges(seqs);
  const marks = db.prepare('SELECT device_id AS d, epoch AS e, seq FROM device_watermarks').all() as { d: string; e: string; seq: number }[];
  for (const mark of marks) held[`${mark.d}|${mark.e}`] = `${held[`${mark.d}|${mark.e}`] ?? ''} (server ≤${mark.seq})`;
  return held;
}

function answer(request: StationProcessRequest): StationProcessReply {
  switch (request.type) {
    case 'activity':
      if (request.on) activity ??= startActivity(runtime, random, activityMs);
      else {
        activity?.stop();
        activity = undefined;
      }
      return { id: request.id };
    case 'lan':
      applyLan(request.faults);
      return { id: request.id };
    case 'view': {
      const store = runtime.core.store;
      return {
        id: request.id,
        view: {
          deviceId: store.deviceId,
          epoch: store.epoch,
          status: runtime.sync.status(),
          outbox: store.outbox(),
          tickets: store.live.queue.tickets,
          counters: store.live.queue.counters,
          meshVector: store.meshVector(),
          peerPending: store.peerPendingCount(),
          mesh: runtime.mesh?.status(),
          lan: lan ? { ...lan.stats } : undefined,
          peerHoldings: peerHoldings(),
          heldIds: [
            ...store.outbox().map((r) => r.id),
            ...(store.db.prepare('SELECT id FROM peer_mutations').all() as { id: string }[]).map((r) => r.id),
          ],
          ready: {
            catalogue: store.catalogue !== undefined,
            lanKeys: runtime.lanKeys() !== undefined,
            deviceKey: runtime.core.deviceProver !== undefined,
            numbers: store.catalogue ? store.remainingNumbers('t1-qa', runtime.core.today()) : 0,
          },
        },
      };
    }
  }
}

process.on('message', (message) => {
  if (message === 'stop-activity') {
    activity?.stop();
    activity = undefined;
    process.send?.('stopped');
  } else if (message === 'status') {
    process.send?.({ status: runtime.sync.status() });
  } else if (message === 'exit') {
    activity?.stop();
    void runtime.stop().then(() => process.exit(0));
  } else if (typeof message === 'object' && message !== null && 'id' in message) {
    process.send?.(answer(message as StationProcessRequest));
  }
});
process.send?.('ready');
