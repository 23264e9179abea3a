import { DEVICE_PROOF_FIELD, type Mutation } from '@hall/shared';
import { toMutation, type UnreflectedRow } from './unreflected';

/**
 * Chooses what to push from the head of the hall's undecided mutations (`rows`, HLC
 * order): an HLC-ordered prefix ending with the last row `mayPush` allows. A peer device
 * whose next seq is missing here is left out (`isDecided` tells whether the seq before a
 * device's first held row is decided), since the server takes a device's seqs only in order.
 */
export function choosePushBatch(
  rows: readonly UnreflectedRow[],
  limit: number,
  mayPush: (row: UnreflectedRow) => boolean,
  isDecided: (deviceId: string, epoch: string, seq: number) => boolean,
  /** A peer row this station will not push at all: left out with its device's later seqs. */
  skip: (row: UnreflectedRow) => boolean = () => false,
): Mutation[] {
  const next = new Map<string, number>();
  const blocked = new Set<string>();
  const chosen: UnreflectedRow[] = [];
  let cut = 0;
  for (const row of rows) {
    if (row.own === 0) {
      const key = `${row.device_id}|${row.epoch}`;
      if (blocked.has(key)) continue;
      if (skip(row)) {
        blocked.add(key);
        continue;
      }
      const expected = next.get(key);
      const inOrder = expected === undefined ? row.seq === 1 || isDecided(row.device_id, row.epoch, row.seq - 1) : row.seq === expected;
      if (!inOrder) {
        blocked.add(key);
        continue;
      }
      next.set(key, row.seq + 1);
    }
    chosen.push(row);
    if (mayPush(row)) cut = chosen.length;
  }
  // The hall's next mutation is a peer's that its own station will push: wait for it, so
  // that after an outage one station pushes the hall's order instead of every station
  // pushing all of it (each station takes its turn as its own mutations come first).
  const head = chosen[0];
  if (head && !mayPush(head)) return [];
  return chosen.slice(0, Math.min(cut, limit)).map(toMutation);
}

/** Whether a stored payload carries its origin's device proof: without one the server takes it from its origin only. */
export function hasDeviceProof(payload: string): boolean {
  try {
    const parsed: unknown = JSON.parse(payload);
    return typeof parsed === 'object' && parsed !== null && DEVICE_PROOF_FIELD in parsed;
  } catch {
    return false;
  }
}
