import type { StationStore } from '../store/store';
import { nextBootNumber, type MeshBootStore } from './boot';
import type { MeshConfig } from './config';
import { startMeshNode, type MeshNode, type MeshNodeStatus, type MeshRefusal } from './node';
import type { MeshAddress, MeshTransportFactory } from './transport';
import type { MeshKeyRing } from './types';

/** Decided peer mutations are kept this long (late joiners, relays), then the server's log has them. */
const PEER_RETENTION_MS = 2 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/** The boot number in the station database, so a restart always comes back with a higher one. */
export function storeBootStore(store: StationStore, now: () => number = Date.now): MeshBootStore {
  return {
    next() {
      const boot = nextBootNumber(Number(store.meta('meshBoot') ?? '0'), now());
      store.setMeta('meshBoot', String(boot));
      return boot;
    },
  };
}

export interface StationMeshOptions {
  hallId: string;
  deviceId: string;
  store: StationStore;
  config: MeshConfig;
  /** The hall's LAN key ring from the central API; undefined until the station has it. */
  keys: () => MeshKeyRing | undefined;
  /** Tests inject loss, duplication and partitions here. */
  transport?: MeshTransportFactory;
  onReachableChange?: (reachable: number) => void;
  onRefused?: (refusal: MeshRefusal, from: MeshAddress) => void;
  now?: () => number;
}

/**
 * A station's place in the hall mesh. The node starts as soon as the station holds the
 * hall's LAN key (at once when it is on disk, else once enrollment or the first fetch
 * brings it): without the key it could neither read nor be read by its peers.
 */
export class StationMesh {
  private node: MeshNode | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StationMeshOptions) {}

  /** Starts the node if the key is there; call again whenever the key ring may have arrived. */
  ensureStarted(): Promise<void> {
    if (this.closed || this.node || !this.options.keys()) return this.starting ?? Promise.resolve();
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<void> {
    const { config, store } = this.options;
    const node = await startMeshNode({
      hallId: this.options.hallId,
      deviceId: this.options.deviceId,
      store,
      // Checked before start; a ring never goes away once held, only rotates.
      keys: () => this.options.keys() as MeshKeyRing,
      bind: config.bind,
      port: config.port,
      peers: config.peers,
      ...(config.discovery ? { discovery: config.discovery } : {}),
      ...(config.advertIntervalMs ? { advertIntervalMs: config.advertIntervalMs } : {}),
      ...(config.pushHoldBoundMs === undefined ? {} : { pushHoldBoundMs: config.pushHoldBoundMs }),
      bootStore: storeBootStore(store, this.options.now),
      ...(this.options.transport ? { transport: this.options.transport } : {}),
      ...(this.options.onRefused ? { onRefused: this.options.onRefused } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    if (this.closed) {
      await node.close();
      return;
    }
    this.node = node;
    if (this.options.onReachableChange) node.onReachableChange(this.options.onReachableChange);
    store.prunePeerMutations(PEER_RETENTION_MS);
    this.pruneTimer = setInterval(() => store.prunePeerMutations(PEER_RETENTION_MS), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /** Other stations of the hall heard within the last few seconds. */
  reachable(): number {
    return this.node?.status().peers ?? 0;
  }

  /** How long the station should wait before pushing (0: push now; see MeshNode.pushHoldMs). */
  pushHoldMs(): number {
    return this.node?.pushHoldMs() ?? 0;
  }

  /** How long to hold the first push once the central API is back (see MeshNode.returnHoldMs). */
  returnHoldMs(): number {
    return this.node?.returnHoldMs() ?? 0;
  }

  status(): MeshNodeStatus | undefined {
    return this.node?.status();
  }

  get address(): MeshAddress | undefined {
    return this.node?.address;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruneTimer);
    await this.starting?.catch(() => undefined);
    await this.node?.close();
    this.node = undefined;
  }
}
