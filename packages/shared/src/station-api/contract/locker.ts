import { z } from 'zod';
import { LockerAlarmSchema, LockerScanResultSchema, LockerStatusSchema } from '../../locker/api';
import { empty, method } from './method';

/* ---- Locker station: 24-hour lockers (deposit, pickup, unclaimed returns) ---- */

export const LOCKER_METHODS = {
  /** Locker: compartments, alarms, lockout, unclaimed parcels (also pushed as the `locker.status` event). */
  'locker.status': method(empty, LockerStatusSchema),
  /** Locker: one scanned line — a deposit code deposits, a residence code picks up, a staff code returns unclaimed items. */
  'locker.scan': method(z.object({ text: z.string().min(1).max(1024) }).strict(), LockerScanResultSchema),
  /** Locker: fallback pickup with the SMS pickup code; the station reads the ID card itself. */
  'locker.pickupWithCard': method(z.object({ pickupCode: z.string().max(16) }).strict(), LockerScanResultSchema),
} as const;

export const LOCKER_EVENTS = {
  /** Locker: the locker's state after any change. */
  'locker.status': LockerStatusSchema,
  /** Locker: a door left open, a door that would not open, a compartment staff must check. */
  'locker.alarm': LockerAlarmSchema,
  /** Locker: a code read on its serial scanner and what the locker did with it (the screen shows it as if typed). */
  'locker.scanned': LockerScanResultSchema,
} as const;
