import type { Mutation } from '@hall/shared';

/** Room the push request's envelope (`{"epoch":…,"mutations":[…]}`) takes besides the mutations. */
const PUSH_ENVELOPE_BYTES = 256;

/** Counts a mutation's bytes as the request body carries them (UTF-8, as Buffer.byteLength would). */
const utf8 = new TextEncoder();

/**
 * The longest prefix of `batch` whose push request stays within `maxBytes` (at least one
 * mutation: one that is too large on its own was refused at commit, see StationStore.commit).
 */
export function boundedBatch(batch: Mutation[], maxBytes: number): Mutation[] {
  let bytes = PUSH_ENVELOPE_BYTES;
  for (let i = 0; i < batch.length; i++) {
    bytes += utf8.encode(JSON.stringify(batch[i])).length + 1;
    if (bytes > maxBytes) return batch.slice(0, Math.max(1, i));
  }
  return batch;
}
