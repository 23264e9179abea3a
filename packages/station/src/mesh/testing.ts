import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { formatHlc, uuidV7, type Mutation, type MutationType } from '@hall/shared';
import type { MeshBootStore } from './boot';
import { addressKey, udpMeshTransport, type MeshAddress, type MeshTransportFactory } from './transport';
import type { MeshDecision, MeshKey, MeshKeyRing, MeshSeqRange, MeshStore } from './types';
import type { MeshVectorEntry } from './rules/vector';

/**
 * Test support for the hall mesh: an in-memory MeshStore, a network that injects faults
 * between named nodes, and small helpers. Not used by the station at run time.
 */

/**
 * Keeps mutations per (device, epoch) and computes the gap-free vector, as StationStore
 * does; `commit` stands for a local commit (next seq, listeners told).
 */
export class MemoryMeshStore implements MeshStore {
  /** Mutations received that were already held: anti-entropy sending what a peer has shows up here. */
  duplicatesReceived = 0;
  private seq = 0;
  private wallMs = Date.parse('2026-03-02T01:00:00.000Z');
  private readonly held = new Map<string, { deviceId: string; epoch: string; bySeq: Map<number, Mutation> }>();
  private readonly listeners = new Set<(mutation: Mutation) => void>();

  constructor(
    readonly deviceId: string,
    readonly epoch = `epoch-${deviceId}`,
  ) {}

  commit(payload: Record<string, unknown> = { at: new Date(this.wallMs).toISOString() }, type: MutationType = 'issueTicket'): Mutation {
    this.wallMs++;
    this.seq++;
    const mutation: Mutation = {
      id: uuidV7(this.wallMs, randomBytes(10)),
      deviceId: this.deviceId,
      epoch: this.epoch,
      seq: this.seq,
      type,
      payload,
      hlc: formatHlc({ wallMs: this.wallMs, counter: 0, node: this.deviceId }),
    };
    this.hold(mutation);
    for (const listener of this.listeners) listener(mutation);
    return mutation;
  }

  meshVector(): MeshVectorEntry[] {
    return [...this.held.values()].map(({ deviceId, epoch, bySeq }) => {
      let seq = 0;
      while (bySeq.has(seq + 1)) seq++;
      return { deviceId, epoch, seq };
    });
  }

  meshMutationsAfter(deviceId: string, epoch: string, after: number, limit: number): Mutation[] {
    const entry = this.held.get(JSON.stringify([deviceId, epoch]));
    if (!entry) return [];
    return [...entry.bySeq.values()]
      .filter((m) => m.seq > after)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }

  receivePeerMutations(mutations: readonly Mutation[]): number {
    let fresh = 0;
    for (const mutation of mutations) {
      if (mutation.deviceId === this.deviceId) continue;
      if (this.hold(mutation)) fresh++;
      else this.duplicatesReceived++;
    }
    return fresh;
  }

  onCommitted(listener: (mutation: Mutation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Decisions this store heard from the server itself (tests set them with serverDecided). */
  private readonly decided = new Map<string, MeshDecision>();
  /** Decisions peers told this store of. */
  readonly heard = new Map<string, MeshDecision>();
  private decisionsHeard = 0;

  serverDecided(decision: MeshDecision): void {
    this.decided.set(decision.id, decision);
    this.decisionsHeard++;
  }

  meshDecisionsHeard(): number {
    return this.decisionsHeard;
  }

  meshUndecidedRanges(limit: number, _minAgeMs?: number): MeshSeqRange[] {
    const ranges: MeshSeqRange[] = [];
    for (const { deviceId, epoch, bySeq } of this.held.values()) {
      const seqs = [...bySeq.values()].filter((m) => !this.decided.has(m.id) && !this.heard.has(m.id)).map((m) => m.seq);
      if (seqs.length > 0) ranges.push({ deviceId, epoch, low: Math.min(...seqs), high: Math.max(...seqs) });
    }
    return ranges.slice(0, limit);
  }

  meshDecisions(ranges: readonly MeshSeqRange[], limit: number): MeshDecision[] {
    const decisions: MeshDecision[] = [];
    for (const range of ranges) {
      for (const mutation of this.meshMutationsAfter(range.deviceId, range.epoch, range.low - 1, Number.MAX_SAFE_INTEGER)) {
        const decision = this.decided.get(mutation.id);
        if (mutation.seq <= range.high && decision) decisions.push(decision);
      }
    }
    return decisions.slice(0, limit);
  }

  receiveHeardDecisions(decisions: readonly MeshDecision[]): number {
    let fresh = 0;
    for (const decision of decisions) {
      if (!this.has(decision.id) || this.decided.has(decision.id) || this.heard.has(decision.id)) continue;
      this.heard.set(decision.id, decision);
      fresh++;
    }
    return fresh;
  }

  /** Every mutation id held, sorted: equal lists mean equal held sets. */
  ids(): string[] {
    return [...this.held.values()].flatMap((entry) => [...entry.bySeq.values()].map((m) => m.id)).sort();
  }

  has(id: string): boolean {
    return this.ids().includes(id);
  }

  private hold(mutation: Mutation): boolean {
    const key = JSON.stringify([mutation.deviceId, mutation.epoch]);
    let entry = this.held.get(key);
    if (!entry) {
      entry = { deviceId: mutation.deviceId, epoch: mutation.epoch, bySeq: new Map() };
      this.held.set(key, entry);
    }
    if (entry.bySeq.has(mutation.seq)) return false;
    entry.bySeq.set(mutation.seq, mutation);
    return true;
  }
}

/** A boot store in memory: share one between a node and its restart, as the station DB would be. */
export function memoryBootStore(start = 0): MeshBootStore & { readonly last: number } {
  let last = start;
  return {
    next: () => ++last,
    get last() {
      return last;
    },
  };
}

export function randomMeshKey(kid: string): MeshKey {
  return { kid, key: randomBytes(32) };
}

export function keyRing(current: MeshKey, ...alsoAccepted: MeshKey[]): MeshKeyRing {
  return { current, accepted: [current, ...alsoAccepted] };
}

/** What happens to datagrams on one directed link. Delays that differ per datagram reorder them. */
export interface LinkFaults {
  /** Probability a datagram is dropped. */
  loss?: number;
  /** Probability a datagram is delivered twice. */
  duplicate?: number;
  /** Each copy is delayed by a uniform time in this range. */
  delayMs?: readonly [number, number];
  /** Partitioned: nothing passes. */
  down?: boolean;
}

export type DatagramTap = (from: string, to: string, datagram: Buffer) => void;

/** What the faults did to the datagrams sent through a FaultNetwork: a test asserts its faults fired. */
export interface FaultStats {
  /** Datagrams handed to the network. */
  sent: number;
  /** Dropped by a link's loss. */
  dropped: number;
  /** Swallowed by a partition (a link `down`). */
  partitioned: number;
  /** Delivered twice. */
  duplicated: number;
  /** Copies delivered after a later-sent datagram of the same link (overtaken by a shorter delay). */
  reordered: number;
}

/** Small seeded PRNG (mulberry32): a failing fault run can be replayed with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Real UDP between named nodes on 127.0.0.1, with faults injected on the sending side of
 * each directed (from, to) link: `set('a', 'b', { loss: 0.3 })`, `partition(['a'], ['b'])`.
 * A datagram to an address that is no node (a discovery address) is named by its address.
 */
export class FaultNetwork {
  private readonly nodeByPort = new Map<number, string>();
  private readonly links = new Map<string, LinkFaults>();
  private defaults: LinkFaults = {};
  private readonly taps = new Set<DatagramTap>();
  private readonly random: () => number;
  /** Per directed link, the datagrams sent and still held by a delay: a copy delivered while an earlier one is held overtook it. */
  private readonly held = new Map<string, { next: number; pending: Map<number, number> }>();
  readonly stats: FaultStats = { sent: 0, dropped: 0, partitioned: 0, duplicated: 0, reordered: 0 };

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** The transport factory for node `name`: pass it as the node's `transport` option. */
  transport(name: string, inner: MeshTransportFactory = udpMeshTransport): MeshTransportFactory {
    return async (options, handlers) => {
      const real = await inner(options, handlers);
      this.nodeByPort.set(real.local.port, name);
      const pending = new Set<NodeJS.Timeout>();
      return {
        local: real.local,
        send: (datagram, to) => {
          const target = this.nameOf(to);
          for (const tap of this.taps) tap(name, target, datagram);
          const link = `${name}->${target}`;
          const faults = this.links.get(link) ?? this.defaults;
          this.stats.sent++;
          if (faults.down) {
            this.stats.partitioned++;
            return;
          }
          if (this.random() < (faults.loss ?? 0)) {
            this.stats.dropped++;
            return;
          }
          const copies = this.random() < (faults.duplicate ?? 0) ? 2 : 1;
          if (copies === 2) this.stats.duplicated++;
          let order = this.held.get(link);
          if (!order) {
            order = { next: 0, pending: new Map() };
            this.held.set(link, order);
          }
          const held = order.pending;
          const number = order.next++;
          /** Delivers one copy, counting it as reordered when an earlier datagram of the link is still held. */
          const deliver = () => {
            for (const earlier of held.keys()) {
              if (earlier < number) {
                this.stats.reordered++;
                break;
              }
            }
            real.send(datagram, to);
          };
          for (let i = 0; i < copies; i++) {
            const [min, max] = faults.delayMs ?? [0, 0];
            const delay = min + this.random() * (max - min);
            if (delay <= 0) {
              deliver();
              continue;
            }
            held.set(number, (held.get(number) ?? 0) + 1);
            const timer = setTimeout(() => {
              pending.delete(timer);
              const left = (held.get(number) ?? 1) - 1;
              if (left > 0) held.set(number, left);
              else held.delete(number);
              deliver();
            }, delay);
            pending.add(timer);
          }
        },
        close: async () => {
          for (const timer of pending) clearTimeout(timer);
          for (const [link, order] of this.held) if (link.startsWith(`${name}->`)) order.pending.clear();
          if (this.nodeByPort.get(real.local.port) === name) this.nodeByPort.delete(real.local.port);
          await real.close();
        },
      };
    };
  }

  /**
   * Names a node that lives in another process (its port on 127.0.0.1), so links to it can
   * be set by name: each station process runs its own FaultNetwork over real UDP, applying
   * the faults of the links it sends on.
   */
  name(port: number, name: string): void {
    this.nodeByPort.set(port, name);
  }

  /** Faults of every link without its own setting. */
  setDefault(faults: LinkFaults): void {
    this.defaults = faults;
  }

  set(from: string, to: string, faults: LinkFaults): void {
    this.links.set(`${from}->${to}`, faults);
  }

  /** Nothing passes between any node of `a` and any node of `b`, either way. */
  partition(a: readonly string[], b: readonly string[]): void {
    for (const x of a) {
      for (const y of b) {
        this.set(x, y, { down: true });
        this.set(y, x, { down: true });
      }
    }
  }

  /** Removes every per-link setting (partitions included); defaults stay. */
  heal(): void {
    this.links.clear();
  }

  /** Sees every datagram a node sends, before faults: to capture one and replay it. */
  tap(listener: DatagramTap): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  private nameOf(address: MeshAddress): string {
    return this.nodeByPort.get(address.port) ?? addressKey(address);
  }
}

/** Polls until `check` holds; no timing assertions, only a generous limit. */
export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Free UDP ports on 127.0.0.1, for configs that list every node before they start. */
export async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = Array.from({ length: count }, () => createSocket('udp4'));
  const ports = await Promise.all(sockets.map((socket) => new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)))));
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return ports;
}

/** Sends raw bytes to a node, as someone on the LAN would. */
export async function sendRaw(datagram: Buffer, to: MeshAddress): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.send(datagram, to.port, to.host, () => resolve()));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}
