import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Row types of the sync tables (migration 002_sync). bigint columns arrive as strings on PostgreSQL. */
export interface SyncHallTable {
  hall_id: string;
  head: number | string;
  horizon: number | string;
  /** The log epoch (identity.ts): set at each start of the central API, or when the row is made. */
  log_epoch: string | null;
  /** The hall's head when its log epoch began. */
  epoch_start: number | string;
}
export interface SyncIdentityTable {
  id: number;
  database_id: string;
  created_at: string;
}
export interface SyncLogTable {
  hall_id: string;
  seq: number | string;
  entity: string;
  entity_id: string;
  data_json: string;
  mutation_id: string | null;
  device_id: string | null;
  epoch: string | null;
  mutation_seq: number | string | null;
  at: string;
}
export interface SyncEntityTable {
  hall_id: string;
  entity: string;
  id: string;
  data_json: string;
  log_seq: number | string;
}
export interface SyncDeviceProgressTable {
  device_id: string;
  epoch: string;
  last_seq: number | string;
  updated_at: string;
}
export interface SyncMutationTable {
  id: string;
  hall_id: string;
  device_id: string;
  epoch: string;
  seq: number | string;
  type: string;
  status: 'applied' | 'rejected';
  code: string | null;
  reason: string | null;
  log_seq: number | string | null;
  hlc: string;
  received_at: string;
}
export interface SyncLeaseTable {
  hall_id: string;
  queue_id: string;
  day: string;
  start_seq: number;
  end_seq: number;
  device_id: string;
  leased_at: string;
}

export interface SyncCaseFormTable {
  case_id: string;
  hall_id: string;
  mutation_id: string;
  values_json: string;
  submitted_at: string;
}

/** Ticket columns added by the statistics migration (0901_stats) that sync projects. */
export interface TicketStatsColumns {
  staff_id: string | null;
}

export type SyncTables = {
  tickets: TicketStatsColumns;
  sync_case_forms: SyncCaseFormTable;
  sync_halls: SyncHallTable;
  sync_identity: SyncIdentityTable;
  sync_log: SyncLogTable;
  sync_entities: SyncEntityTable;
  sync_device_progress: SyncDeviceProgressTable;
  sync_mutations: SyncMutationTable;
  sync_leases: SyncLeaseTable;
};

export type SyncDb = Kysely<Database & SyncTables>;

export function syncDb(db: Kysely<Database>): SyncDb {
  return db.withTables<SyncTables>();
}

export const num = (value: number | string | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));
