import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMeshMessage } from './codec';
import { MESH_MAX_DATAGRAM } from './crypto';
import { MESH_PROTOCOL_VERSION } from './messages';
import { startMeshNode, type MeshNode, type MeshNodeOptions } from './node';
import { FaultNetwork, freeUdpPorts, keyRing, MemoryMeshStore, memoryBootStore, randomMeshKey, sendRaw, waitFor } from './testing';
import type { MeshKeyRing } from './types';

const HALL = 'hall-1';
const hallKey = randomMeshKey('k1');

interface Station {
  name: string;
  store: MemoryMeshStore;
  bootStore: ReturnType<typeof memoryBootStore>;
  node: MeshNode;
  /** Changing it rotates this station's keys live. */
  ring: MeshKeyRing;
}

const running: MeshNode[] = [];
afterEach(async () => {
  for (const node of running.splice(0)) await node.close();
});

async function station(
  net: FaultNetwork,
  name: string,
  port: number,
  peerPorts: readonly number[],
  extra: Partial<MeshNodeOptions> & { store?: MemoryMeshStore; bootStore?: ReturnType<typeof memoryBootStore>; ring?: MeshKeyRing } = {},
): Promise<Station> {
  const { store = new MemoryMeshStore(name), bootStore = memoryBootStore(), ring = keyRing(hallKey), ...options } = extra;
  const self: Partial<Station> = { name, store, bootStore, ring };
  const node = await startMeshNode({
    hallId: HALL,
    deviceId: name,
    store,
    keys: () => self.ring ?? ring,
    bind: '127.0.0.1',
    port,
    peers: peerPorts.map((p) => ({ host: '127.0.0.1', port: p })),
    advertIntervalMs: 100,
    peerTimeoutMs: 1000,
    bootStore,
    transport: net.transport(name),
    ...options,
  });
  running.push(node);
  self.node = node;
  return self as Station;
}

/** Three stations, each configured with the whole hall (itself included, as one shared config would). */
async function hallOfThree(net: FaultNetwork) {
  const ports = await freeUdpPorts(3);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name, i) => station(net, name, ports[i] ?? 0, ports)));
  if (!a || !b || !c) throw new Error('three stations');
  return { a, b, c, all: [a, b, c] };
}

function converged(stations: readonly Station[], count: number): boolean {
  const first = stations[0]?.store.ids() ?? [];
  return first.length === count && stations.every((s) => JSON.stringify(s.store.ids()) === JSON.stringify(first));
}

function commitOn(stations: readonly Station[], perStation: number) {
  for (let i = 0; i < perStation; i++) for (const s of stations) s.store.commit();
}

describe('hall mesh over UDP', () => {
  it('brings a commit on one station to the others at once, and never sends to itself', async () => {
    const net = new FaultNetwork();
    const toSelf: string[] = [];
    net.tap((from, to) => {
      if (from === to) toSelf.push(from);
    });
    const { a, b, c } = await hallOfThree(net);
    const counts: number[] = [];
    a.node.onReachableChange((n) => counts.push(n));
    const mutation = a.store.commit({ at: '2026-03-02T09:00:00.000Z' });
    await waitFor(() => b.store.has(mutation.id) && c.store.has(mutation.id), 'b and c to hold the mutation');
    await waitFor(() => a.node.status().peers === 2, 'a to see two stations');
    expect(counts.at(-1)).toBe(2);
    expect(a.node.status()).toMatchObject({ known: 2, oversize: 0, errors: 0 });
    expect(toSelf).toEqual([]);
  });

  it('converges under 30% loss, duplication and reordering on every link', async () => {
    const net = new FaultNetwork(42);
    net.setDefault({ loss: 0.3, duplicate: 0.3, delayMs: [0, 40] });
    const { all } = await hallOfThree(net);
    commitOn(all, 40);
    await waitFor(() => converged(all, 120), 'the three stores to hold the same 120 mutations', 60_000);
    // Duplicates are refused by the replay window, not applied twice.
    expect(all.reduce((sum, s) => sum + s.node.status().refused.replayed, 0)).toBeGreaterThan(0);
  });

  it('tells peers what it heard the server decide of the mutations they hold undecided, under 30% loss, and again when it hears more', async () => {
    const net = new FaultNetwork(7);
    net.setDefault({ loss: 0.3, duplicate: 0.3, delayMs: [0, 40] });
    const { a, b, c, all } = await hallOfThree(net);
    commitOn([b, c], 10);
    await waitFor(() => converged(all, 20), 'the three stores to hold the same 20 mutations', 60_000);
    const held = (s: Station, device: string) => s.store.meshMutationsAfter(device, `epoch-${device}`, 0, 100);
    // a reached the API: b's first five applied, c's second rejected.
    for (const [i, m] of held(a, 'b').slice(0, 5).entries()) a.store.serverDecided({ id: m.id, logSeq: 10 + i });
    const rejected = held(a, 'c')[1]!;
    a.store.serverDecided({ id: rejected.id, rejected: true });
    await waitFor(() => b.store.heard.size === 6 && c.store.heard.size === 6, 'b and c to hear what a heard', 30_000);
    expect(c.store.heard.get(rejected.id)).toEqual({ id: rejected.id, rejected: true });
    expect(c.store.heard.get(held(a, 'b')[4]!.id)).toEqual({ id: held(a, 'b')[4]!.id, logSeq: 14 });
    expect(a.store.heard.size, 'a is told nothing: nobody heard more than it').toBe(0);
    // c hears the server decide more later (its own push answered); a and b learn that too.
    const late = held(c, 'c')[9]!;
    c.store.serverDecided({ id: late.id, logSeq: 30 });
    await waitFor(() => a.store.heard.has(late.id) && b.store.heard.has(late.id), 'a and b to hear what c heard later', 30_000);
  });

  it('holds pushes while a peer advertises a mutation this station lacks: until anti-entropy brings it, or the bound passes', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(2);
    const clock = { ms: 0 };
    /** Counter 1's store, deaf to mutations while `lose` is set (its peer's datagrams lost, adverts heard). */
    class LossyStore extends MemoryMeshStore {
      lose = true;
      override receivePeerMutations(mutations: Parameters<MemoryMeshStore['receivePeerMutations']>[0]): number {
        return this.lose ? 0 : super.receivePeerMutations(mutations);
      }
    }
    const store = new LossyStore('c1');
    const c1 = await station(net, 'c1', ports[0] ?? 0, ports, { store, now: () => clock.ms, pushHoldBoundMs: 10_000 });
    const c3 = await station(net, 'c3', ports[1] ?? 0, ports);
    expect(c1.node.pushHoldMs()).toBe(0);
    const call = c3.store.commit();
    await waitFor(() => c1.node.pushHoldMs() > 0, 'c1 to hear c3 advertise a call it lacks');
    expect(store.has(call.id)).toBe(false);
    store.lose = false;
    await waitFor(() => store.has(call.id), 'anti-entropy to bring the call');
    expect(c1.node.pushHoldMs()).toBe(0);
    // A gap never filled holds for the bound only.
    store.lose = true;
    c3.store.commit();
    await waitFor(() => c1.node.pushHoldMs() > 0, 'c1 to hear c3 advertise the next one');
    clock.ms += 10_000;
    expect(c1.node.pushHoldMs()).toBe(0);
  });

  it('converges through the third station while two cannot see each other', async () => {
    const net = new FaultNetwork();
    const { a, b, c, all } = await hallOfThree(net);
    net.partition(['a'], ['b']);
    commitOn([a, b], 10);
    await waitFor(() => converged(all, 20), 'a and b to learn of each other through c');
    expect(c.store.ids()).toHaveLength(20);
  });

  it('converges after a full partition heals', async () => {
    const net = new FaultNetwork();
    const { a, all } = await hallOfThree(net);
    await waitFor(() => all.every((s) => s.node.status().peers === 2), 'everyone to see everyone');
    net.partition(['a'], ['b', 'c']);
    net.partition(['b'], ['c']);
    commitOn(all, 15);
    await waitFor(() => all.every((s) => s.node.status().peers === 0), 'everyone to see nobody');
    expect(all.every((s) => s.store.ids().length === 15)).toBe(true);
    net.heal();
    await waitFor(() => converged(all, 45), 'the healed hall to converge');
    await waitFor(() => a.node.status().peers === 2, 'a to see both again');
  });

  it('gives a station started later everything, in batches split to fit datagrams, and is found by it', async () => {
    const net = new FaultNetwork();
    let largest = 0;
    net.tap((_from, _to, datagram) => {
      largest = Math.max(largest, datagram.length);
    });
    const { a, all } = await hallOfThree(net);
    // Incompressible payloads, so an anti-entropy reply cannot fit one datagram.
    for (let i = 0; i < 150; i++) for (const s of all) s.store.commit({ at: '2026-03-02T09:00:00.000Z', note: randomBytes(300).toString('hex') });
    await waitFor(() => converged(all, 450), 'the hall to converge');
    const [latePort] = await freeUdpPorts(1);
    // Configured with a only; a and b do not list it and find it when it speaks.
    const late = await station(net, 'late', latePort ?? 0, [a.node.address.port]);
    await waitFor(() => converged([...all, late], 450), 'the late station to hold everything', 60_000);
    await waitFor(() => a.node.status().known === 3, 'a to learn the late station');
    expect(late.node.status().oversize).toBe(0);
    expect(a.node.status()).toMatchObject({ oversize: 0, errors: 0 });
    expect(largest).toBeLessThanOrEqual(MESH_MAX_DATAGRAM);
  });

  it('advertises a vector too large for one datagram in parts, each answered for its own key range only', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(2);
    const origins = Array.from({ length: 4000 }, (_, i) => new MemoryMeshStore(`dev-${i}`, randomBytes(16).toString('hex')));
    const hallMutations = origins.map((origin) => origin.commit());
    const aStore = new MemoryMeshStore('a');
    const bStore = new MemoryMeshStore('b');
    aStore.receivePeerMutations(hallMutations);
    bStore.receivePeerMutations(hallMutations);
    const whole = encodeMeshMessage(hallKey, { v: MESH_PROTOCOL_VERSION, hallId: HALL, senderId: 'a', boot: 1, counter: 0, body: { type: 'advert', vector: aStore.meshVector() } });
    expect(whole).toBeUndefined();
    const a = await station(net, 'a', ports[0] ?? 0, ports, { store: aStore });
    const b = await station(net, 'b', ports[1] ?? 0, ports, { store: bStore });
    const fresh = b.store.commit();
    await waitFor(() => a.store.has(fresh.id), 'a to hold b’s new mutation');
    await waitFor(() => b.node.status().received >= 60, 'many advert parts from a');
    // Had b read a part as a's whole vector, it would send a hundreds of mutations a holds.
    expect(a.store.duplicatesReceived).toBeLessThan(20);
    expect(converged([a, b], 4001)).toBe(true);
  });

  it('accepts a restarted station (new boot) and refuses its old-boot and replayed datagrams', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(2);
    const [aPort = 0, bPort = 0] = ports;
    const captured: Buffer[] = [];
    const stopTap = net.tap((from, to, datagram) => {
      if (from === 'a' && to === 'b') captured.push(datagram);
    });
    const a = await station(net, 'a', aPort, ports);
    const b = await station(net, 'b', bPort, ports);
    const first = a.store.commit();
    await waitFor(() => b.store.has(first.id) && captured.length >= 3, 'b to hold the first mutation');
    stopTap();
    const oldBoot = captured.slice();
    const firstBoot = a.node.boot;

    await a.node.close();
    const restarted = await station(net, 'a', aPort, ports, { store: a.store, bootStore: a.bootStore });
    expect(restarted.node.boot).toBeGreaterThan(firstBoot);
    const second = a.store.commit();
    await waitFor(() => b.store.has(second.id), 'b to take mutations of the new boot');

    for (const datagram of oldBoot.slice(0, 3)) await sendRaw(datagram, b.node.address);
    await waitFor(() => b.node.status().refused.old_boot >= 3, 'b to refuse the old boot');

    const current: Buffer[] = [];
    const stopCurrent = net.tap((from, to, datagram) => {
      if (from === 'a' && to === 'b') current.push(datagram);
    });
    const third = a.store.commit();
    await waitFor(() => b.store.has(third.id) && current.length > 0, 'b to hold the third mutation');
    stopCurrent();
    // Sent twice: whatever happened to the original, at least one copy is a replay.
    await sendRaw(current[0] ?? Buffer.alloc(0), b.node.address);
    await sendRaw(current[0] ?? Buffer.alloc(0), b.node.address);
    await waitFor(() => b.node.status().refused.replayed >= 1, 'b to refuse the replay');
  });

  it('refuses forged, altered and foreign-key datagrams and counts them', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(2);
    const captured: Buffer[] = [];
    net.tap((from, to, datagram) => {
      if (from === 'a' && to === 'b') captured.push(datagram);
    });
    const a = await station(net, 'a', ports[0] ?? 0, ports);
    const b = await station(net, 'b', ports[1] ?? 0, ports);
    await waitFor(() => captured.length > 0, 'a datagram from a');
    const altered = Buffer.from(captured[0] ?? Buffer.alloc(0));
    altered[altered.length - 20] = (altered[altered.length - 20] ?? 0) ^ 0x01;
    await sendRaw(altered, b.node.address);

    const forged = (kid: string) =>
      encodeMeshMessage(
        { kid, key: randomBytes(32) },
        { v: MESH_PROTOCOL_VERSION, hallId: HALL, senderId: 'a', boot: 1e12, counter: 0, body: { type: 'mutations', mutations: [new MemoryMeshStore('a').commit()] } },
      ) ?? Buffer.alloc(0);
    await sendRaw(forged('k1'), b.node.address);
    await sendRaw(forged('k9'), b.node.address);
    await sendRaw(randomBytes(200), b.node.address);
    await waitFor(() => {
      const { refused } = b.node.status();
      return refused.bad_auth >= 2 && refused.unknown_key >= 1 && refused.malformed >= 1;
    }, 'b to count every refusal');
    // The forged boot did not poison a's replay state at b: a's real messages still go through.
    const later = a.store.commit();
    await waitFor(() => b.store.has(later.id), 'a to still reach b');
  });

  it('keeps working through a key rotation and refuses the old key once it is dropped', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(3);
    const [aPort = 0, bPort = 0, cPort = 0] = ports;
    const k2 = randomMeshKey('k2');
    const a = await station(net, 'a', aPort, ports);
    const b = await station(net, 'b', bPort, ports);
    // The new key is handed out as accepted everywhere, then a seals with it.
    b.ring = keyRing(hallKey, k2);
    a.ring = keyRing(k2, hallKey);
    const x = a.store.commit();
    const y = b.store.commit();
    await waitFor(() => b.store.has(x.id) && a.store.has(y.id), 'both ways across the rotation');

    // The old key is dropped at b; a station left behind on the old key is refused.
    b.ring = keyRing(k2);
    a.ring = keyRing(k2);
    const stale = await station(net, 'c', cPort, [bPort], { ring: keyRing(hallKey) });
    const lost = stale.store.commit();
    await waitFor(() => b.node.status().refused.unknown_key >= 2, 'b to refuse the old key');
    const z = a.store.commit();
    await waitFor(() => b.store.has(z.id), 'the new key alone to work');
    expect(b.store.has(lost.id)).toBe(false);
  });

  it('shows nothing of a form value on the wire', async () => {
    const net = new FaultNetwork();
    const wire: Buffer[] = [];
    net.tap((_from, _to, datagram) => wire.push(datagram));
    const { a, b } = await hallOfThree(net);
    const secret = 'ID-110101199003077777-Zhang-Wei';
    const mutation = a.store.commit({ at: '2026-03-02T09:00:00.000Z', values: { name: secret } }, 'submitForm');
    await waitFor(() => b.store.has(mutation.id), 'b to hold the form');
    expect(wire.length).toBeGreaterThan(0);
    for (const datagram of wire) {
      expect(datagram.includes(Buffer.from(secret))).toBe(false);
      expect(datagram.includes(Buffer.from('110101199003077777'))).toBe(false);
    }
  });

  it('leaves a mutation too large for a datagram to the central API, counted once, and carries on', async () => {
    const net = new FaultNetwork();
    const { a, b } = await hallOfThree(net);
    const huge = a.store.commit({ at: '2026-03-02T09:00:00.000Z', scan: randomBytes(200_000).toString('base64') });
    const small = a.store.commit();
    await waitFor(() => b.store.has(small.id), 'b to hold the mutation after the huge one');
    await waitFor(() => b.node.status().received > 20, 'several advert rounds');
    expect(b.store.has(huge.id)).toBe(false);
    expect(a.node.status().oversize).toBe(1);
  });

  it('finds a station not in the config through the discovery address', async () => {
    const net = new FaultNetwork();
    const [discoveryPort = 0, aPort = 0, bPort = 0] = await freeUdpPorts(3);
    const discovery = { address: '127.255.255.255', port: discoveryPort };
    const a = await station(net, 'a', aPort, [], { discovery });
    const b = await station(net, 'b', bPort, [], { discovery });
    const mutation = b.store.commit();
    await waitFor(() => a.store.has(mutation.id), 'a to hold b’s mutation');
    await waitFor(() => a.node.status().known === 1 && b.node.status().known === 1, 'each to know the other');
    const back = a.store.commit();
    await waitFor(() => b.store.has(back.id), 'b to hold a’s mutation');
  });

  it('closes cleanly and takes no more datagrams', async () => {
    const net = new FaultNetwork();
    const ports = await freeUdpPorts(1);
    const a = await station(net, 'a', ports[0] ?? 0, []);
    await a.node.close();
    await a.node.close();
    expect(a.node.status().errors).toBe(0);
  });
});
