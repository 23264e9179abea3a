import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type ParcelState = 'issued' | 'deposited' | 'picked_up' | 'returned' | 'flagged';

export type LockerTables = {
  locker_parcels: {
    id: string;
    hall_id: string;
    case_number: string;
    size: string;
    phone: string;
    masked_name: string;
    status: ParcelState;
    station_id: string | null;
    compartment_id: string | null;
    flag_reason: string | null;
    issued_by: string;
    issued_at: string;
    deposited_at: string | null;
    closed_at: string | null;
    updated_at: string;
    /** Set when a counter signed the deposit code offline with this delegated key (issued_by is then the counter device). */
    delegation_kid?: string | null;
  };
  /** Certificates given to counters for offline deposit codes (delegation.ts). */
  locker_delegations: {
    kid: string;
    hall_id: string;
    device_id: string;
    public_key: string;
    /** Sealed at rest: the AES key of the mobile numbers in this key's codes. */
    phone_key: string;
    not_before: string;
    not_after: string;
    created_at: string;
  };
  locker_events: {
    id: string;
    device_id: string;
    parcel_id: string;
    type: string;
    data_json: string;
    outcome: string;
    at: string;
    received_at: string;
  };
};

export type LockerDb = Kysely<Database & LockerTables>;

export function lockerDb(db: Kysely<Database>): LockerDb {
  return db.withTables<LockerTables>();
}

/** Sealed at rest (src/secrets): the citizen's phone, opened only to queue an SMS. */
export const PARCEL_PHONE = { table: 'locker_parcels', column: 'phone' } as const;
export const DELEGATION_PHONE_KEY = { table: 'locker_delegations', column: 'phone_key' } as const;
