import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

export interface BookingSettingsTable {
  service_id: string;
  hall_id: string;
  enabled: number;
  slot_minutes: number;
  capacity_per_slot: number;
  days_ahead: number;
  max_per_day: number | null;
  max_open_per_citizen: number;
  updated_at: string;
}

/**
 * One row per place taken: (service, date, slot, seat) is unique, so two citizens racing for
 * the last seat insert the same key and the database lets exactly one in, on SQLite and on
 * PostgreSQL alike. The day's own limit is a pool of seats under slot "day".
 */
export interface BookingSeatTable {
  service_id: string;
  date: string;
  slot_from: string;
  seat: number;
  appointment_id: string;
}

/** SMS codes proving a phone: only keyed hashes of the phone, the code and the caller's address. */
export interface BookingCodeTable {
  id: string;
  phone_hash: string;
  address_hash: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  attempts: number;
  used_at: string | null;
}

/** A citizen who proved the phone: the bearer token's hash, who they are (keyed hash, masked name) and the sealed phone. */
export interface BookingSessionTable {
  id: string;
  id_hash: string;
  masked_name: string;
  phone: string;
  created_at: string;
  expires_at: string;
}

export type BookingTables = {
  booking_settings: BookingSettingsTable;
  booking_seats: BookingSeatTable;
  booking_codes: BookingCodeTable;
  booking_sessions: BookingSessionTable;
};
export type BookingDb = Kysely<Database & BookingTables>;
export const bookingDb = (db: Kysely<Database>): BookingDb => db.withTables<BookingTables>();
