import type { Mutation } from '@hall/shared';
import type { HeldMutations } from './rules/antiEntropy';
import type { MeshVectorEntry } from './rules/vector';

/**
 * The hall mesh: the stations of one hall replicate every committed mutation to each other
 * over the LAN, so the hall works as one while the central API is away. The store decides
 * (live = server base + every unconfirmed mutation of the hall, in HLC order); the mesh
 * only carries mutations between stores and repairs what datagrams lost.
 */

/** The store as the mesh sees it (StationStore implements it). */
export interface MeshStore extends HeldMutations {
  readonly deviceId: string;
  /** Per device and epoch (this station's own included), the highest seq held with no gap below it. */
  meshVector(): MeshVectorEntry[];
  /** Takes mutations heard from peers (duplicates and this station's own are ignored); returns how many were new. */
  receivePeerMutations(mutations: readonly Mutation[]): number;
  /** Called after each local commit, with the committed mutation, to share it at once. */
  onCommitted(listener: (mutation: Mutation) => void): () => void;
  /** Grows whenever the store hears the server decide something (a pull page, a push answer). */
  meshDecisionsHeard(): number;
  /**
   * Spans of held seqs, per device, held at least `minAgeMs` and not heard decided by anyone
   * (younger ones are normally decided within moments while the central API answers).
   */
  meshUndecidedRanges(limit: number, minAgeMs?: number): MeshSeqRange[];
  /** What the store itself heard the server decide of the seqs in `ranges`. */
  meshDecisions(ranges: readonly MeshSeqRange[], limit: number): MeshDecision[];
  /** Takes what a peer heard the server decide; returns how many held mutations it told something new. */
  receiveHeardDecisions(decisions: readonly MeshDecision[]): number;
}

/** A span of one device's seqs in one epoch, both ends included. */
export interface MeshSeqRange {
  deviceId: string;
  epoch: string;
  low: number;
  high: number;
}

/** What a station heard the server decide of one mutation: applied at a log position (0: unknown), or rejected. */
export type MeshDecision = { id: string; logSeq: number } | { id: string; rejected: true };

/** One version of the hall's LAN key, as the central API hands it out. */
export interface MeshKey {
  /** Key id: rotation keeps the previous key accepted for a while. */
  kid: string;
  /** 32 bytes. */
  key: Buffer;
}

/** The keys a mesh node uses now: it seals with `current` and opens with any of `accepted`. */
export interface MeshKeyRing {
  current: MeshKey;
  accepted: readonly MeshKey[];
}
