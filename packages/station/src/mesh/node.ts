import type { Mutation } from '@hall/shared';
import { answerWant, collectMutations, MAX_MUTATIONS_PER_REPLY, missingAtPeer, missingHere, sortVector, type MeshRequest } from './rules/antiEntropy';
import type { MeshBootStore } from './boot';
import { decodeMeshDatagram, encodeMeshMessage, sealSplitting, type DecodeRefusal } from './codec';
import { MESH_PROTOCOL_VERSION, type MeshBody, type MeshMessage } from './messages';
import { localHosts, PeerTable } from './peers';
import { PushGate } from './rules/pushGate';
import { ReplayGuard, type ReplayVerdict } from './rules/replay';
import { udpMeshTransport, type MeshAddress, type MeshDiscovery, type MeshTransport, type MeshTransportFactory } from './transport';
import type { MeshKey, MeshKeyRing, MeshSeqRange, MeshStore } from './types';
import type { MeshVectorEntry, MeshVectorKey } from './rules/vector';

export type MeshRefusal = DecodeRefusal | Exclude<ReplayVerdict, 'ok'>;
export const MESH_REFUSALS = ['malformed', 'unknown_key', 'bad_auth', 'too_large', 'invalid', 'wrong_hall', 'old_boot', 'too_old', 'replayed'] as const satisfies readonly MeshRefusal[];

/** Oversize mutations remembered, so anti-entropy neither retries nor recounts them every round. */
const MAX_REMEMBERED_OVERSIZE = 1000;

/** The second send of a just-committed mutation: one lost datagram then costs ~150 ms, not an advert round. */
const COMMIT_RESEND_DELAY_MS = 150;
/** Spans asked about and decisions answered in one round (bounded like a want's reply). */
const MAX_ASKED_RANGES = 2000;
const MAX_DECISIONS_PER_ANSWER = 5000;

export interface MeshNodeOptions {
  hallId: string;
  deviceId: string;
  store: MeshStore;
  /** Read on every send and receive, so a key rotation applies at once. */
  keys: () => MeshKeyRing;
  /** Default '0.0.0.0'. */
  bind?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The hall's stations from the config; always kept as targets. */
  peers?: readonly MeshAddress[];
  /** Broadcast or multicast address: adverts also go there, so a station added later is found. */
  discovery?: MeshDiscovery;
  /** Default 1000. */
  advertIntervalMs?: number;
  /** A peer is reachable if heard within this; default 3500. */
  peerTimeoutMs?: number;
  /** Persists the boot number that grows at every start (replay protection without clocks). */
  bootStore: MeshBootStore;
  /**
   * How long at most a peer's advert showing mutations this station lacks holds its pushes
   * (`pushHoldMs`) while anti-entropy fetches them; default 2 advert intervals.
   */
  pushHoldBoundMs?: number;
  /** For peer reachability and the push gate; replay protection never reads a clock. */
  now?: () => number;
  /** The datagram layer; tests wrap the UDP one to inject faults. */
  transport?: MeshTransportFactory;
  /** Each refused datagram, for health displays. Carries no content. */
  onRefused?: (refusal: MeshRefusal, from: MeshAddress) => void;
}

export interface MeshNodeStatus {
  /** Stations heard within the peer timeout. */
  peers: number;
  /** Stations known (configured or heard). */
  known: number;
  /** Datagrams sent. */
  sent: number;
  /** Messages accepted. */
  received: number;
  refused: Record<MeshRefusal, number>;
  /** Mutations too large for one datagram, left to reach peers through the central API. */
  oversize: number;
  /** Socket, key and store errors, counted instead of thrown. */
  errors: number;
}

export interface MeshNode {
  readonly deviceId: string;
  readonly boot: number;
  /** Where the node listens (port resolved when 0 was asked). */
  readonly address: MeshAddress;
  status(): MeshNodeStatus;
  /** Called with the new count whenever the number of reachable stations changes. */
  onReachableChange(listener: (reachable: number) => void): () => void;
  /**
   * How long the station should wait before pushing to the central API (0: push now): a
   * peer's latest advert shows it holds mutations this station lacks, which may sort before
   * what it would push. Bounded by `pushHoldBoundMs` per gap.
   */
  pushHoldMs(): number;
  /**
   * How long the station should hold its first push once the central API is back (the
   * sync engine's `returnHold`): the push-hold bound while a peer is reachable, else 0.
   * Within it every reachable peer advertises what it made meanwhile, and the push gate
   * sees a mutation this station never received.
   */
  returnHoldMs(): number;
  /** Sends an advert now instead of at the next tick (after a key rotation, in tests). */
  advertiseNow(): void;
  close(): Promise<void>;
}

function vectorKey(entry: MeshVectorEntry): MeshVectorKey {
  return { deviceId: entry.deviceId, epoch: entry.epoch };
}

/**
 * Starts a node of the hall mesh: shares every committed mutation with the hall's other
 * stations at once, advertises its vector every interval, and answers a peer's advert with
 * what that peer lacks (anti-entropy), which repairs loss, restarts and healed partitions.
 * Rejects only when it cannot start (port in use); afterwards nothing is thrown to the caller.
 */
export async function startMeshNode(options: MeshNodeOptions): Promise<MeshNode> {
  const { hallId, deviceId, store } = options;
  const now = options.now ?? Date.now;
  const advertIntervalMs = options.advertIntervalMs ?? 1000;
  const peerTimeoutMs = options.peerTimeoutMs ?? 3500;
  const bind = options.bind ?? '0.0.0.0';
  const boot = options.bootStore.next();
  let counter = 0;
  const stats = { sent: 0, received: 0, oversize: 0, errors: 0, refused: Object.fromEntries(MESH_REFUSALS.map((r) => [r, 0])) as Record<MeshRefusal, number> };
  const guard = new ReplayGuard();
  const pushHoldBoundMs = options.pushHoldBoundMs ?? 2 * advertIntervalMs;
  const pushGate = new PushGate(deviceId, pushHoldBoundMs);
  const timers = new Set<NodeJS.Timeout>();
  const reachableListeners = new Set<(reachable: number) => void>();
  let closed = false;
  // Datagrams can only arrive once the transport is bound; until the peer table exists they are dropped.
  let ready = false;
  let lastAdvertAt = Number.NEGATIVE_INFINITY;
  let lastReachable = 0;
  let replyRotation = 0;
  const oversizeIds = new Set<string>();
  /**
   * Per peer: what its last complete answer covered (its boot and decided count, and the spans
   * asked), so a peer is asked again only when it heard something new or this station holds
   * new undecided mutations; and when it was last asked (one ask per advert interval).
   */
  const answered = new Map<string, string>();
  const askedAt = new Map<string, number>();
  const askedFor = new Map<string, string>();

  /** Everything triggered by the network or a timer runs through here: counted, never thrown. */
  const guarded = (work: () => void) => {
    if (closed) return;
    try {
      work();
    } catch {
      stats.errors++;
    }
  };

  const message = (body: MeshBody): MeshMessage => ({ v: MESH_PROTOCOL_VERSION, hallId, senderId: deviceId, boot, counter: counter++, body });

  const sendAll = (datagrams: readonly Buffer[], targets: readonly MeshAddress[]) => {
    for (const datagram of datagrams) {
      for (const target of targets) {
        transport.send(datagram, target);
        stats.sent++;
      }
    }
  };

  /** Returns false when nothing could be sent because every mutation was oversize. */
  const sendMutations = (key: MeshKey, all: readonly Mutation[], targets: readonly MeshAddress[]): boolean => {
    const mutations = all.filter((m) => !oversizeIds.has(m.id));
    if (mutations.length === 0 || targets.length === 0) return false;
    const { datagrams, unsendable } = sealSplitting(mutations.length, (start, end) =>
      encodeMeshMessage(key, message({ type: 'mutations', mutations: mutations.slice(start, end) })),
    );
    for (const index of unsendable) {
      const id = mutations[index]?.id;
      if (id === undefined) continue;
      stats.oversize++;
      oversizeIds.add(id);
      if (oversizeIds.size > MAX_REMEMBERED_OVERSIZE) oversizeIds.delete(oversizeIds.values().next().value ?? id);
    }
    sendAll(datagrams, targets);
    return datagrams.length > 0;
  };

  const sendWant = (key: MeshKey, wants: readonly MeshVectorEntry[], target: MeshAddress) => {
    const { datagrams } = sealSplitting(wants.length, (start, end) => encodeMeshMessage(key, message({ type: 'want', vector: wants.slice(start, end) })));
    sendAll(datagrams, [target]);
  };

  const advertise = () => {
    const key = options.keys().current;
    const vector = sortVector(store.meshVector());
    const targets = [...peers.targets(), ...(options.discovery ? [{ host: options.discovery.address, port: options.discovery.port }] : [])];
    // A vector too large for one datagram goes in parts; each part names the key range it speaks for.
    const { datagrams } = sealSplitting(vector.length, (start, end) => {
      const before = start > 0 ? vector[start - 1] : undefined;
      const last = end < vector.length ? vector[end - 1] : undefined;
      return encodeMeshMessage(
        key,
        message({
          type: 'advert',
          vector: vector.slice(start, end),
          port: transport.local.port,
          decided: store.meshDecisionsHeard(),
          ...(before ? { after: vectorKey(before) } : {}),
          ...(last ? { upTo: vectorKey(last) } : {}),
        }),
      );
    });
    sendAll(datagrams, targets);
    lastAdvertAt = now();
  };

  /**
   * A peer that heard the server decide things this station has not (it pulled last before
   * the API went away, or pushed and got the answer) is asked what it heard of the mutations
   * held here undecided, so the hall replays them in the order the server already chose.
   */
  const askDecisions = (key: MeshKey, peerId: string, peerBoot: number, decided: number, to: MeshAddress) => {
    const at = now();
    if (at - (askedAt.get(peerId) ?? Number.NEGATIVE_INFINITY) < advertIntervalMs) return;
    // While the central API answers, a mutation is decided within moments: asking only about
    // older ones keeps a busy hall's LAN quiet until something is actually stuck.
    const ranges = store.meshUndecidedRanges(MAX_ASKED_RANGES, 2 * advertIntervalMs);
    if (ranges.length === 0) return;
    const asking = `${peerBoot}:${decided}:${JSON.stringify(ranges)}`;
    if (answered.get(peerId) === asking) return;
    askedAt.set(peerId, at);
    askedFor.set(peerId, JSON.stringify(ranges));
    const { datagrams } = sealSplitting(ranges.length, (start, end) => encodeMeshMessage(key, message({ type: 'ask', ranges: ranges.slice(start, end) })));
    sendAll(datagrams, [to]);
  };

  const answerAsk = (key: MeshKey, ranges: readonly MeshSeqRange[], to: MeshAddress) => {
    const decided = store.meshDecisionsHeard();
    const decisions = store.meshDecisions(ranges, MAX_DECISIONS_PER_ANSWER);
    const { datagrams } = sealSplitting(Math.max(1, decisions.length), (start, end) =>
      encodeMeshMessage(key, message({ type: 'decisions', decided, final: end >= decisions.length, decisions: decisions.slice(start, end) })),
    );
    sendAll(datagrams, [to]);
  };

  const sendRequested = (key: MeshKey, requests: readonly MeshRequest[], to: MeshAddress) => {
    if (requests.length === 0) return;
    sendMutations(key, collectMutations(store, requests, MAX_MUTATIONS_PER_REPLY, replyRotation++), [to]);
  };

  const updateReachable = () => {
    if (!ready) return;
    const reachable = peers.reachable(now());
    if (reachable === lastReachable) return;
    lastReachable = reachable;
    for (const listener of reachableListeners) {
      try {
        listener(reachable);
      } catch {
        stats.errors++;
      }
    }
  };

  const refuse = (refusal: MeshRefusal, from: MeshAddress) => {
    stats.refused[refusal]++;
    try {
      options.onRefused?.(refusal, from);
    } catch {
      stats.errors++;
    }
  };

  const receive = (datagram: Buffer, from: MeshAddress) => {
    if (!ready) return;
    const ring = options.keys();
    const decoded = decodeMeshDatagram(ring, datagram, hallId);
    if (!decoded.ok) return refuse(decoded.refusal, from);
    const { senderId, body } = decoded.message;
    if (senderId === deviceId) {
      peers.heardSelf(from);
      return;
    }
    const verdict = guard.check(senderId, decoded.message.boot, decoded.message.counter);
    if (verdict !== 'ok') return refuse(verdict, from);
    stats.received++;
    const listenPort = body.type === 'advert' && body.port !== undefined ? body.port : (peers.addressOf(senderId)?.port ?? from.port);
    const peer = { host: from.host, port: listenPort };
    peers.heard(senderId, peer, now());
    updateReachable();
    if (body.type === 'mutations') {
      store.receivePeerMutations(body.mutations);
    } else if (body.type === 'advert') {
      const ours = store.meshVector();
      pushGate.heardAdvert(senderId, ours, body, now());
      sendRequested(ring.current, missingAtPeer(ours, body), peer);
      const wants = missingHere(ours, body.vector);
      // Our own advert, if recent, is already being answered; a want only saves waiting for the next one.
      if (wants.length > 0 && now() - lastAdvertAt > advertIntervalMs / 2) sendWant(ring.current, wants, peer);
      if (body.decided !== undefined) askDecisions(ring.current, senderId, decoded.message.boot, body.decided, peer);
    } else if (body.type === 'want') {
      sendRequested(ring.current, answerWant(store.meshVector(), body.vector), peer);
    } else if (body.type === 'ask') {
      answerAsk(ring.current, body.ranges, peer);
    } else {
      store.receiveHeardDecisions(body.decisions);
      const ranges = askedFor.get(senderId);
      if (body.final && ranges !== undefined) answered.set(senderId, `${decoded.message.boot}:${body.decided}:${ranges}`);
    }
  };

  const transport: MeshTransport = await (options.transport ?? udpMeshTransport)(
    { bind, port: options.port, discovery: options.discovery },
    { onDatagram: (datagram, from) => guarded(() => receive(datagram, from)), onError: () => stats.errors++ },
  );
  const peers = new PeerTable(options.peers ?? [], peerTimeoutMs, { hosts: localHosts(bind), port: transport.local.port });
  ready = true;

  const later = (delayMs: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      guarded(work);
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };

  const unsubscribe = store.onCommitted((mutation) =>
    guarded(() => {
      const sent = sendMutations(options.keys().current, [mutation], peers.targets());
      if (sent) later(COMMIT_RESEND_DELAY_MS, () => sendMutations(options.keys().current, [mutation], peers.targets()));
    }),
  );
  const advertTimer = setInterval(() => guarded(advertise), advertIntervalMs);
  advertTimer.unref();
  const reachableTimer = setInterval(() => guarded(updateReachable), Math.max(50, Math.min(500, peerTimeoutMs / 4)));
  reachableTimer.unref();
  guarded(advertise);

  return {
    deviceId,
    boot,
    address: transport.local,
    status() {
      const at = now();
      return {
        peers: peers.reachable(at),
        known: peers.known(),
        sent: stats.sent,
        received: stats.received,
        refused: { ...stats.refused },
        oversize: stats.oversize,
        errors: stats.errors,
      };
    },
    onReachableChange(listener) {
      reachableListeners.add(listener);
      return () => reachableListeners.delete(listener);
    },
    pushHoldMs() {
      if (closed) return 0;
      try {
        return pushGate.holdMs(store.meshVector(), now());
      } catch {
        stats.errors++;
        return 0;
      }
    },
    returnHoldMs() {
      return !closed && peers.reachable(now()) > 0 ? pushHoldBoundMs : 0;
    },
    advertiseNow() {
      guarded(advertise);
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(advertTimer);
      clearInterval(reachableTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      reachableListeners.clear();
      await transport.close();
    },
  };
}
