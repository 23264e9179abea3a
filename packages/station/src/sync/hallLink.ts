import { MAX_OUTAGE_PERIODS, type HallLink, type HallMode, type OutagePeriod } from '@hall/shared';
import type { StationStore } from '../store/store';

/** What the tracker needs of the station store: its meta table and where its own seq stands. */
export type HallLinkStore = Pick<StationStore, 'meta' | 'setMeta' | 'nextSeq' | 'epoch'>;

/** One spell not connected to the central API, as the station keeps it (meta `hallLink.outages`). */
export interface OutageRecord {
  from: string;
  /** Null while the outage lasts. */
  to: string | null;
  /** Most peers heard at once during the spell. */
  maxPeers: number;
  /** Mutations this station committed during the spell (final once `to` is set). */
  localMutations: number;
  /** The station's next seq and epoch when the spell began, to count its commits across a restart. */
  startSeq: number;
  epoch: string;
  /** The central API has recorded it. */
  reported: boolean;
}

export interface HallLinkTrackerOptions {
  /** Other stations of the hall reachable over the LAN now (the mesh); `() => 0` without one. */
  meshPeers?: () => number;
  /** Peer mutations held that the central API has not confirmed yet; `() => 0` without a mesh. */
  peerPending?: () => number;
  now?: () => number;
  /** Outage periods kept (the oldest go first); default MAX_OUTAGE_PERIODS. */
  keep?: number;
}

/** What the sync engine needs of a hall link source: tell it the verdict, read it, hear changes. */
export interface HallLinkSource {
  /** Whether sync reaches the central API, after every sync step (success or failure). */
  observe(online: boolean): void;
  status(): HallLink;
  /** Called when the mode or the peer count changes. */
  onChange(listener: (link: HallLink) => void): () => void;
  start(): void;
  stop(): void;
}

const META_KEY = 'hallLink.outages';

/**
 * Says where a station stands in its hall (`SyncStatus.hall`): `connected` while sync reaches
 * the central API; otherwise `mesh` with the peers heard over the LAN, or `alone`. It keeps
 * each spell not connected (an outage period: start, end, most peers, own commits) in the
 * station DB's meta table, bounded, so a restart loses none, until the central API has them.
 *
 * Before the first verdict the station is not connected, but no period opens: a restart
 * while the central API answers must not look like an outage. A period still open in the
 * meta table (the station stopped during an outage) goes on until the link returns.
 */
export class HallLinkTracker implements HallLinkSource {
  private readonly meshPeers: () => number;
  private readonly peerPending: () => number;
  private readonly now: () => number;
  private readonly keep: number;
  private outages: OutageRecord[];
  private online: boolean | undefined;
  private peers: number;
  private mode: HallMode;
  private since: string;
  private readonly listeners = new Set<(link: HallLink) => void>();
  private timer: NodeJS.Timeout | undefined;
  private reporting: Promise<number> | undefined;

  constructor(
    private readonly store: HallLinkStore,
    options: HallLinkTrackerOptions = {},
  ) {
    this.meshPeers = options.meshPeers ?? (() => 0);
    this.peerPending = options.peerPending ?? (() => 0);
    this.now = options.now ?? Date.now;
    this.keep = Math.max(1, options.keep ?? MAX_OUTAGE_PERIODS);
    this.outages = readOutages(store.meta(META_KEY));
    this.peers = this.readPeers();
    this.mode = this.peers > 0 ? 'mesh' : 'alone';
    this.since = this.open()?.from ?? this.nowIso();
  }

  /** Polls the peer count every `intervalMs` (the mesh reports no events of its own). */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onChange(listener: (link: HallLink) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  observe(online: boolean): void {
    this.online = online;
    this.refresh();
  }

  /** Re-reads the peer count and settles mode, `since` and the outage periods; tells listeners of a change. */
  refresh(): void {
    const peers = this.readPeers();
    const mode: HallMode = this.online ? 'connected' : peers > 0 ? 'mesh' : 'alone';
    const at = this.nowIso();
    let open = this.open();
    let dirty = false;
    if (this.online === true && open) {
      open.to = at;
      open.localMutations = this.commitsSince(open);
      dirty = true;
    } else if (this.online === false) {
      if (!open) {
        open = { from: at, to: null, maxPeers: peers, localMutations: 0, startSeq: this.store.nextSeq, epoch: this.store.epoch, reported: false };
        this.outages.push(open);
        dirty = true;
      } else if (peers > open.maxPeers) {
        open.maxPeers = peers;
        dirty = true;
      }
    }
    if (dirty) this.save();
    const changed = mode !== this.mode || peers !== this.peers;
    if (mode !== this.mode) this.since = at;
    this.mode = mode;
    this.peers = peers;
    if (changed) {
      const link = this.status();
      for (const listener of this.listeners) listener(link);
    }
  }

  status(): HallLink {
    return { mode: this.mode, peers: this.peers, peerPending: Math.max(0, Math.floor(this.peerPending())), since: this.since };
  }

  /** Every kept period, oldest first; the last may still be open. */
  periods(): OutageRecord[] {
    const open = this.open();
    return this.outages.map((o) => (o === open ? { ...o, localMutations: this.commitsSince(o) } : { ...o }));
  }

  /** Closed periods the central API has not recorded yet, in the report's shape. */
  unreported(): OutagePeriod[] {
    return this.outages
      .filter((o): o is OutageRecord & { to: string } => o.to !== null && !o.reported)
      .map((o) => ({ from: o.from, to: o.to, mode: o.maxPeers > 0 ? 'mesh' : 'alone', maxPeers: o.maxPeers, localMutations: o.localMutations }));
  }

  markReported(froms: readonly string[]): void {
    const set = new Set(froms);
    let dirty = false;
    for (const o of this.outages) {
      if (o.to !== null && !o.reported && set.has(o.from)) {
        o.reported = true;
        dirty = true;
      }
    }
    if (dirty) this.save();
  }

  /**
   * Sends the closed unreported periods with `send` while connected and marks them reported
   * once it resolves. One report at a time; a failed one is retried at the next call.
   * Resolves to the number of periods reported (0 on failure or with nothing to send).
   */
  report(send: (periods: OutagePeriod[]) => Promise<unknown>): Promise<number> {
    if (this.reporting) return this.reporting;
    const periods = this.unreported();
    if (this.mode !== 'connected' || periods.length === 0) return Promise.resolve(0);
    this.reporting = send(periods)
      .then(() => {
        this.markReported(periods.map((p) => p.from));
        return periods.length;
      })
      .catch(() => 0)
      .finally(() => {
        this.reporting = undefined;
      });
    return this.reporting;
  }

  private open(): OutageRecord | undefined {
    const last = this.outages.at(-1);
    return last && last.to === null ? last : undefined;
  }

  private commitsSince(o: OutageRecord): number {
    return Math.max(0, o.epoch === this.store.epoch ? this.store.nextSeq - o.startSeq : this.store.nextSeq - 1);
  }

  private readPeers(): number {
    let peers: number;
    try {
      peers = this.meshPeers();
    } catch {
      peers = 0;
    }
    return Number.isFinite(peers) && peers > 0 ? Math.floor(peers) : 0;
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  private save(): void {
    if (this.outages.length > this.keep) this.outages = this.outages.slice(-this.keep);
    this.store.setMeta(META_KEY, JSON.stringify(this.outages));
  }
}

function readOutages(text: string | undefined): OutageRecord[] {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (o): o is OutageRecord =>
      typeof o === 'object' &&
      o !== null &&
      typeof (o as OutageRecord).from === 'string' &&
      ((o as OutageRecord).to === null || typeof (o as OutageRecord).to === 'string') &&
      typeof (o as OutageRecord).maxPeers === 'number' &&
      typeof (o as OutageRecord).localMutations === 'number' &&
      typeof (o as OutageRecord).startSeq === 'number' &&
      typeof (o as OutageRecord).epoch === 'string' &&
      typeof (o as OutageRecord).reported === 'boolean',
  );
}
