import type { Mutation } from '@hall/shared';
import { advertCovers, compareVectorKeys, keyOf, seqByKey, type MeshVectorEntry, type MeshVectorKey } from './vector';

/** Mutations sent in answer to one advert or want: bounds the work a peer's message can cause. */
export const MAX_MUTATIONS_PER_REPLY = 500;

/** Where held mutations are read from (a MeshStore is one). */
export interface HeldMutations {
  /** Held mutations of one device and epoch with seq > `after`, in seq order, at most `limit`. */
  meshMutationsAfter(deviceId: string, epoch: string, after: number, limit: number): Mutation[];
}

/** "Send the mutations of this device and epoch after this seq." */
export interface MeshRequest {
  deviceId: string;
  epoch: string;
  after: number;
}

export function sortVector(vector: readonly MeshVectorEntry[]): MeshVectorEntry[] {
  return [...vector].sort(compareVectorKeys);
}

/** What the advertising peer lacks of what we hold: keys it holds less of, or (within its part) not at all. */
export function missingAtPeer(
  ours: readonly MeshVectorEntry[],
  advert: { vector: readonly MeshVectorEntry[]; after?: MeshVectorKey | undefined; upTo?: MeshVectorKey | undefined },
): MeshRequest[] {
  const theirs = seqByKey(advert.vector);
  const requests: MeshRequest[] = [];
  for (const entry of ours) {
    if (!advertCovers(advert, entry)) continue;
    const their = theirs.get(keyOf(entry)) ?? 0;
    if (entry.seq > their) requests.push({ deviceId: entry.deviceId, epoch: entry.epoch, after: their });
  }
  return requests;
}

/** What the advertising peer holds more of than we do, as a want (our seq, 0 when we hold none). */
export function missingHere(ours: readonly MeshVectorEntry[], theirs: readonly MeshVectorEntry[]): MeshVectorEntry[] {
  const held = seqByKey(ours);
  const wants: MeshVectorEntry[] = [];
  for (const entry of theirs) {
    const our = held.get(keyOf(entry)) ?? 0;
    if (entry.seq > our) wants.push({ deviceId: entry.deviceId, epoch: entry.epoch, seq: our });
  }
  return wants;
}

/** A peer's want, answered with what we hold beyond it. */
export function answerWant(ours: readonly MeshVectorEntry[], want: readonly MeshVectorEntry[]): MeshRequest[] {
  const held = seqByKey(ours);
  return want.filter((entry) => (held.get(keyOf(entry)) ?? 0) > entry.seq).map((entry) => ({ deviceId: entry.deviceId, epoch: entry.epoch, after: entry.seq }));
}

/**
 * Reads the requested mutations from the store, at most `limit` in all. Starts at a
 * rotating request so a long backlog of one device does not starve the others.
 */
export function collectMutations(store: HeldMutations, requests: readonly MeshRequest[], limit: number, rotation: number): Mutation[] {
  const collected: Mutation[] = [];
  for (let i = 0; i < requests.length && collected.length < limit; i++) {
    const request = requests[(i + rotation) % requests.length];
    if (!request) continue;
    collected.push(...store.meshMutationsAfter(request.deviceId, request.epoch, request.after, limit - collected.length));
  }
  return collected;
}
