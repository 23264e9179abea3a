/** What a station holds of one device's mutations in one epoch: every seq up to `seq` without a gap. */
export interface MeshVectorEntry {
  deviceId: string;
  epoch: string;
  seq: number;
}

/** A (device, epoch) pair: vectors are compared and split along the order of these keys. */
export type MeshVectorKey = Pick<MeshVectorEntry, 'deviceId' | 'epoch'>;

export function compareVectorKeys(a: MeshVectorKey, b: MeshVectorKey): number {
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return 0;
}

/** Whether an advert part speaks for `key` (keys outside it are in other parts). */
export function advertCovers(advert: { after?: MeshVectorKey | undefined; upTo?: MeshVectorKey | undefined }, key: MeshVectorKey): boolean {
  return (advert.after === undefined || compareVectorKeys(key, advert.after) > 0) && (advert.upTo === undefined || compareVectorKeys(key, advert.upTo) <= 0);
}

/** A (device, epoch) pair as a map key. */
export function keyOf(entry: MeshVectorKey): string {
  return JSON.stringify([entry.deviceId, entry.epoch]);
}

/** A vector as a map from its keys (`keyOf`) to seqs. */
export function seqByKey(vector: readonly MeshVectorEntry[]): Map<string, number> {
  return new Map(vector.map((entry) => [keyOf(entry), entry.seq]));
}
