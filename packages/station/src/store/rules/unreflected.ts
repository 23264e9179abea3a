import type { Mutation } from '@hall/shared';

/**
 * One mutation the live state does not reflect yet: this station's own (outbox) or a hall
 * peer's (peer_mutations). Both tables answer in one shape so the store replays them in a
 * single order.
 */
export interface UnreflectedRow {
  own: 0 | 1;
  id: string;
  device_id: string;
  epoch: string;
  seq: number;
  type: string;
  payload: string;
  hlc: string;
  status: string;
  log_seq: number | null;
  /** Where the server put it, as far as anyone here knows (0: decided, position unknown); null while undecided. */
  known_at: number | null;
  /** A peer heard the server reject it: kept in order, never replayed. */
  heard_rejected: 0 | 1;
  received_at: string;
}

/** A stored mutation's columns, whichever table holds it. */
export type StoredMutationRow = Pick<UnreflectedRow, 'id' | 'device_id' | 'epoch' | 'seq' | 'type' | 'payload' | 'hlc'>;

export function toMutation(row: StoredMutationRow): Mutation {
  return {
    id: row.id,
    deviceId: row.device_id,
    epoch: row.epoch,
    seq: row.seq,
    type: row.type as Mutation['type'],
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hlc: row.hlc,
  };
}
