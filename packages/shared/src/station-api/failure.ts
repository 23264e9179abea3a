import type { KioskRefusal } from './contract/kiosk';
import type { StationError } from './wire';

/*
 * How a station call fails: one model, the same on the station, on both transports and in
 * the renderer.
 *
 * - An expected refusal (a domain rule says no: nobody waiting, the case is already decided,
 *   the hall is closed, the identification expired …) is a `LocalRejection`: a machine code
 *   the screen translates, an English message as the fallback text, and, for what the kiosk
 *   tells a citizen, the refusal's particulars (`refusal`: until, opensAt …). The station
 *   throws it wherever the rule sits; dispatch sends it as the wire error
 *   `{ code: 'rejected', reason, message, refusal }`; both bridges (WebSocket, Electron IPC)
 *   rethrow it as a LocalRejection, so the renderer catches the type the station threw.
 *   A method's result never encodes a refusal. The one exception is an outcome that is also
 *   an event: the locker's scan result (`locker.scan`, `locker.pickupWithCard`) is the same
 *   data the station pushes as `locker.scanned` for a code read on its own scanner, and a
 *   deposit may take some items and refuse others.
 * - Anything else (params that fail the contract, a method outside the role, the station
 *   unreachable, a bug) is a `StationCallError` with its wire code. A LocalRejection is a
 *   StationCallError too, so `instanceof StationCallError` sees every failed call.
 *
 * "Local": decided by this station before anything is synced, unlike a central rejection,
 * which arrives later as the `mutation.rejected` event.
 */

/** A failed station call, carrying the wire error (`code`, and for a refusal its `reason`). */
export class StationCallError extends Error {
  constructor(readonly error: StationError) {
    super(error.message);
    this.name = 'StationCallError';
  }
}

/** An expected refusal (see above); `code` is the rule's code, sent as the wire error's `reason`. */
export class LocalRejection extends StationCallError {
  constructor(
    readonly code: string,
    message: string,
    readonly refusal?: KioskRefusal,
  ) {
    super({ code: 'rejected', reason: code, message, ...(refusal === undefined ? {} : { refusal }) });
    this.name = 'LocalRejection';
  }
}

/** The error a bridge rethrows for a wire error: a LocalRejection for a refusal. */
export function callErrorFromWire(error: StationError): StationCallError {
  if (error.code !== 'rejected') return new StationCallError(error);
  return new LocalRejection(error.reason ?? 'rejected', error.message, error.refusal);
}

/** The refusal code of a failed call, if it was a refusal (for screens that pick a message by code). */
export function rejectionCode(error: unknown): string | undefined {
  return error instanceof LocalRejection ? error.code : undefined;
}

/** English fallback texts of the kiosk's refusals (the screen shows its own words for each reason). */
const KIOSK_REFUSAL_MESSAGES: Record<KioskRefusal['reason'], string> = {
  blacklisted: 'the citizen may not take a ticket here until the bar ends',
  closed: 'the hall is closed now',
  daily_cap_reached: "today's tickets for this service are all taken",
  kind_not_offered: 'this kind of ticket is not offered for this service',
  no_catalogue: 'the hall catalogue has not been downloaded yet',
  appointment_early: 'the appointment cannot be checked in yet',
  appointment_checked_in: 'the appointment is already checked in',
  release_refused: 'the release password is refused',
};

/** A refusal the kiosk shows the citizen, with its particulars, as the one refusal type. */
export function refuseAtKiosk(refusal: KioskRefusal): LocalRejection {
  return new LocalRejection(refusal.reason, KIOSK_REFUSAL_MESSAGES[refusal.reason], refusal);
}

/** The citizen-facing refusal a failed kiosk call carries, if it was one. */
export function kioskRefusalOf(error: unknown): KioskRefusal | undefined {
  return error instanceof LocalRejection ? error.refusal : undefined;
}
