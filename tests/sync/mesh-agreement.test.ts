// What the hall decided while the central API was away is what the server records: random
// station actions with a partial, shifting LAN, the mesh heals, then the API returns and
// stations push (each its HLC-ordered prefix, in random batch sizes and interleavings, a
// dead kiosk's mutations only by its peers). A real central API on SQLite, real stores.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Mutation, Ticket } from '@hall/shared';
import { FIXTURE_PASSWORD } from '../../apps/server/src/testing/fixture';
import { DeviceProver, openClerkSession, StationCore, SyncClient } from '@hall/station';
import { startCentral, type Central } from './harness';

interface Station {
  core: StationCore;
  client: SyncClient;
}

const MINUTE = 60_000;
/** Stations' clocks disagree: the kiosk runs 5 minutes fast, counter 2 ten minutes slow. */
const SKEWS: Record<string, number> = { 'kiosk-m': 5 * MINUTE, 'counter-m1': 0, 'counter-m2': -10 * MINUTE };

async function openStation(central: Central, deviceId: string, role: 'kiosk' | 'counter', counterId?: string): Promise<Station> {
  const skew = SKEWS[deviceId] ?? 0;
  const file = join(mkdtempSync(join(tmpdir(), `mesh-${deviceId}-`)), 'station.db');
  const core = StationCore.open(file, { deviceId, hallId: 't1-hall', role, ...(counterId ? { counterId } : {}) }, () => Date.now() + skew);
  const client = new SyncClient({ apiUrl: central.url });
  const enrolled = await client.enroll(await central.enrollmentCode(deviceId, role, counterId));
  client.setCredential(enrolled.credential);
  core.store.replaceCatalogue(await client.catalogue());
  // As a station does at start: its mutations carry the device proof, so a peer may relay them.
  core.deviceProver = new DeviceProver(await client.deviceKey());
  if (counterId) {
    // The counter's clerk signs in (through the API, before it goes away): counter mutations carry the session's proof.
    const signedIn = await client.clerkSignIn('t1-clerk', FIXTURE_PASSWORD);
    openClerkSession(core, { id: signedIn.clerkKey.id, secret: Buffer.from(signedIn.clerkKey.secret, 'base64url') }, { staffId: signedIn.staff.id, counterId });
  }
  return { core, client };
}

function committed(station: Station): Mutation[] {
  const own = station.core.store.meshVector()[0];
  return own ? station.core.store.meshMutationsAfter(own.deviceId, own.epoch, 0, 10_000) : [];
}

/** Everything a station held is heard by another (anti-entropy between the two). */
function exchange(from: Station, to: Station): void {
  for (const entry of from.core.store.meshVector()) {
    to.core.store.receivePeerMutations(from.core.store.meshMutationsAfter(entry.deviceId, entry.epoch, 0, 10_000));
  }
}

function view(tickets: Iterable<Ticket>, ids: ReadonlySet<string>) {
  return [...tickets]
    .filter((t) => ids.has(t.id))
    .map((t) => `${t.number}:${t.status}:${t.counterId ?? '-'}:${t.callCount}`)
    .sort();
}

async function pullAll(station: Station): Promise<void> {
  for (let pages = 0; pages < 100; pages++) {
    const page = await station.client.pull(station.core.store.cursor, 500);
    if (page.kind !== 'page') throw new Error('unexpected snapshot');
    station.core.store.applyPage(page.entries, page.cursor, page.settled);
    if (!page.hasMore) return;
  }
}

type Op = 'issueA' | 'issueB' | 'next1' | 'next2' | 'finish1' | 'finish2' | 'recall1' | 'missed2';

const opArb = fc.constantFrom<Op>('issueA', 'issueA', 'issueB', 'next1', 'next1', 'next2', 'next2', 'finish1', 'finish2', 'recall1', 'missed2');

function act(op: Op, kiosk: Station, counters: Station[]): void {
  if (op === 'issueA') kiosk.core.issueTicket({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
  else if (op === 'issueB') kiosk.core.issueTicket({ serviceIds: ['t1-svc-2'], kind: 'walk_in' });
  else {
    const counter = counters[Number(op.slice(-1)) - 1];
    if (!counter) return;
    const core = counter.core;
    const current = Object.values(core.store.live.queue.tickets).find((t) => t.counterId === core.identity.counterId && (t.status === 'called' || t.status === 'serving'));
    if (op.startsWith('next')) core.callNext();
    else if (current && op.startsWith('finish')) core.ticketCommand('finish', current.id);
    else if (current && op.startsWith('recall')) core.ticketCommand('recall', current.id);
    else if (current && op.startsWith('missed')) core.ticketCommand('markMissed', current.id);
  }
}

describe('the hall mesh and the central API agree', () => {
  it('records on the server exactly what every station showed, after an outage with a shifting LAN', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(opArb, fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 3 })), { minLength: 6, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 7 })), { minLength: 40, maxLength: 40 }),
        async (steps, kioskDies, pushSchedule) => {
          const central = await startCentral();
          try {
            const kiosk = await openStation(central, 'kiosk-m', 'kiosk');
            const counters = [await openStation(central, 'counter-m1', 'counter', 't1-c1'), await openStation(central, 'counter-m2', 'counter', 't1-c2')];
            const all = [kiosk, ...counters];
            for (const queueId of ['t1-qa', 't1-qb']) kiosk.core.store.addNumberBlock(await kiosk.client.lease(queueId, kiosk.core.today(), 40));
            for (const counter of counters) counter.core.counterCommand('openCounter');

            // The central API is away: stations act, and hear each other only over the links up at the time.
            for (const [op, links] of steps) {
              for (const [a, b] of links) if (a !== b) exchange(all[a] as Station, all[b] as Station);
              try {
                act(op, kiosk, counters);
              } catch {
                // refused locally (no ticket waiting, counter closed): nothing was committed
              }
            }
            // The LAN heals: every station holds every mutation and shows one hall.
            for (const a of all) for (const b of all) if (a !== b) exchange(a, b);
            const ids = new Set(all.flatMap((s) => Object.keys(s.core.store.live.queue.tickets)));
            const hall = view(Object.values(kiosk.core.store.live.queue.tickets), ids);
            for (const station of counters) expect(view(Object.values(station.core.store.live.queue.tickets), ids)).toEqual(hall);
            const made = new Set(all.flatMap(committed).map((m) => m.id));

            // The API is back. Stations push prefixes of the hall's order in random sizes and turns; a dead kiosk never does.
            const pushers = kioskDies ? counters : all;
            for (let turn = 0; turn < 400; turn++) {
              const waiting = pushers.filter((s) => s.core.store.pushCandidates(1, 0).length > 0);
              if (waiting.length === 0) break;
              const [pick = 0, size = 1] = pushSchedule[turn % pushSchedule.length] ?? [];
              const station = waiting[pick % waiting.length] as Station;
              const batch = station.core.store.pushCandidates(size, 0);
              const response = await station.client.push(station.core.store.epoch, batch);
              if (response.blocked) station.core.store.recordBlocked(response.blocked);
              station.core.store.recordResults(response.results);
            }
            for (const station of pushers) await pullAll(station);

            const snapshot = await kiosk.client.snapshot();
            expect(view(snapshot.tickets, ids)).toEqual(hall);
            for (const station of pushers) {
              expect(view(Object.values(station.core.store.live.queue.tickets), ids)).toEqual(hall);
              expect(station.core.store.outboxCounts().pending).toBe(0);
              expect(station.core.store.peerPendingCount()).toBe(0);
            }
            // Exactly once: every mutation made is recorded once, however many stations pushed it.
            const recorded = await sql<{ id: string }>`select id from sync_mutations`.execute(central.database.db);
            expect(recorded.rows.length).toBe(made.size);
            expect(new Set(recorded.rows.map((r) => r.id))).toEqual(made);
            for (const station of all) station.core.close();
          } finally {
            await central.close();
          }
        },
      ),
      { numRuns: Number(process.env.HALL_MESH_RUNS ?? 12) },
    );
  }, 240_000);
});
