import { z } from 'zod';

/**
 * A parcel's life at one locker station. Every door opening is preceded by a recorded
 * intent (`*_opening`), so a restart finds what it was doing and resolves it from the
 * door state instead of opening again.
 */
export const PARCEL_STATUSES = [
  'depositing', // intent recorded, door being opened for the clerk
  'deposit_open', // door open, waiting for the clerk to close it
  'deposited', // in the compartment, waiting for the citizen
  'pickup_opening', // the pickup code is spent; door being opened
  'pickup_open', // door open, waiting for the citizen to close it
  'picked_up',
  'return_opening',
  'return_open',
  'returned', // taken back to the counter unclaimed
  'deposit_failed', // no door would open for the deposit
  'jammed', // the door would not open for the citizen: go to the counter
  'uncertain', // restart found an opening intent with a closed door: staff must check
] as const;
export const ParcelStatusSchema = z.enum(PARCEL_STATUSES);
export type ParcelStatus = z.infer<typeof ParcelStatusSchema>;

export type ParcelEvent =
  | 'door_opened'
  | 'door_jammed'
  | 'door_closed'
  | 'pickup_started'
  | 'return_started'
  | 'restart_door_closed'
  /** The central API refused the deposit (unknown parcel, or deposited at another locker first). */
  | 'deposit_refused';

const TRANSITIONS: Partial<Record<ParcelStatus, Partial<Record<ParcelEvent, ParcelStatus>>>> = {
  depositing: { door_opened: 'deposit_open', door_jammed: 'deposit_failed', restart_door_closed: 'uncertain' },
  deposit_open: { door_closed: 'deposited' },
  deposited: { pickup_started: 'pickup_opening', return_started: 'return_opening', deposit_refused: 'uncertain' },
  pickup_opening: { door_opened: 'pickup_open', door_jammed: 'jammed', restart_door_closed: 'uncertain' },
  pickup_open: { door_closed: 'picked_up' },
  return_opening: { door_opened: 'return_open', door_jammed: 'jammed', restart_door_closed: 'uncertain' },
  return_open: { door_closed: 'returned' },
  jammed: { return_started: 'return_opening' },
  uncertain: { return_started: 'return_opening' },
};

/** The next status, or undefined when the event makes no sense in this status. */
export function nextParcelStatus(status: ParcelStatus, event: ParcelEvent): ParcelStatus | undefined {
  return TRANSITIONS[status]?.[event];
}

/** Statuses in which the compartment holds (or may hold) something and is not free. */
export function occupiesCompartment(status: ParcelStatus): boolean {
  return status !== 'picked_up' && status !== 'returned' && status !== 'deposit_failed';
}

/** Statuses with a door open (or being opened) for someone right now. */
export function doorInUse(status: ParcelStatus): boolean {
  return status.endsWith('_opening') || status.endsWith('_open') || status === 'depositing';
}

export const DEFAULT_UNCLAIMED_DAYS = 182;

/** 6 months in the seed: a parcel deposited before this many days is returned to the counter. */
export function isUnclaimed(depositedAtMs: number, nowMs: number, unclaimedDays = DEFAULT_UNCLAIMED_DAYS): boolean {
  return nowMs - depositedAtMs >= unclaimedDays * 24 * 3600 * 1000;
}

/** 取件码: eight digits; with the ID card as second factor and the station's lockout, guessing is hopeless. */
export const PICKUP_CODE_PATTERN = /^\d{8}$/;
export function isPickupCodeFormat(value: string): boolean {
  return PICKUP_CODE_PATTERN.test(value);
}
