import type { LockerLayout } from '@hall/shared';
import type { IdCardReader, LockerController } from '@hall/devices';
import type { RateLimitPolicy } from './rateLimit';

export interface LockerStationOptions {
  /** SQLite file of the locker (":memory:" in tests). */
  file: string;
  hallId: string;
  layout: LockerLayout;
  controller: LockerController;
  idCardReader?: IdCardReader;
  now?: () => number;
  /** How often open doors are polled for closing. */
  doorPollMs?: number;
  leftOpenAfterMs?: number;
  unclaimedDays?: number;
  rateLimit?: RateLimitPolicy;
  /** How long pickup by code waits for an ID card on the reader. */
  cardWaitMs?: number;
}
