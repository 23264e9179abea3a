import { advertCovers, keyOf, seqByKey, type MeshVectorEntry, type MeshVectorKey } from './vector';

/** A peer advertised seqs of a (device, epoch) this station lacks: since when, continuously. */
interface Gap {
  deviceId: string;
  epoch: string;
  /** The seq the peer's latest advert claims. */
  seq: number;
  since: number;
}

/**
 * The push gate: while a peer's latest advert shows it holds mutations this station lacks
 * (any of them could sort before what this station would push), the station waits for
 * anti-entropy to bring them, so that it never pushes a later mutation before an earlier one
 * the rest of the hall already acted on. Bounded: a gap that stays open `boundMs` (a peer
 * advertising what it can never deliver, a mutation too large for a datagram) stops holding,
 * until this station has caught up with it and falls behind again.
 */
export class PushGate {
  /** Per peer, per (device, epoch) key, the gaps its adverts showed. */
  private readonly gaps = new Map<string, Map<string, Gap>>();

  constructor(
    private readonly selfId: string,
    private readonly boundMs: number,
  ) {}

  /** One advert part of `peerId`, against what this station holds now (`ours`). */
  heardAdvert(
    peerId: string,
    ours: readonly MeshVectorEntry[],
    advert: { vector: readonly MeshVectorEntry[]; after?: MeshVectorKey | undefined; upTo?: MeshVectorKey | undefined },
    at: number,
  ): void {
    const held = seqByKey(ours);
    const previous = this.gaps.get(peerId) ?? new Map<string, Gap>();
    const next = new Map<string, Gap>();
    // Keys outside this part keep what the peer's other parts said.
    for (const [key, gap] of previous) if (!advertCovers(advert, gap)) next.set(key, gap);
    for (const entry of advert.vector) {
      // Its own mutations a station never pushes on a peer's word; the server has them or will.
      if (entry.deviceId === this.selfId || !advertCovers(advert, entry)) continue;
      const key = keyOf(entry);
      const our = held.get(key) ?? 0;
      if (entry.seq <= our) continue;
      const open = previous.get(key);
      // Still behind what the peer advertised last: the same gap, its clock keeps running.
      const since = open !== undefined && our < open.seq ? open.since : at;
      next.set(key, { deviceId: entry.deviceId, epoch: entry.epoch, seq: entry.seq, since });
    }
    if (next.size > 0) this.gaps.set(peerId, next);
    else this.gaps.delete(peerId);
  }

  /** How long pushing should wait (0: push now): the longest a gap still open here may hold it. */
  holdMs(ours: readonly MeshVectorEntry[], at: number): number {
    const held = seqByKey(ours);
    let hold = 0;
    for (const gaps of this.gaps.values()) {
      for (const [key, gap] of gaps) {
        if ((held.get(key) ?? 0) >= gap.seq) continue;
        hold = Math.max(hold, gap.since + this.boundMs - at);
      }
    }
    return hold;
  }
}
