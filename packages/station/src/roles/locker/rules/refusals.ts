import { lockerRefusalMessage, type LockerRefusal, type LockerScanResult } from '@hall/shared';

/** The screen's answer to a refused scan, with the lockout's end when pickup is locked. */
export function refusedScan(reason: LockerRefusal, lockedUntilMs?: number): LockerScanResult {
  return {
    kind: 'refused',
    reason,
    message: lockerRefusalMessage(reason),
    ...(lockedUntilMs === undefined ? {} : { lockedUntil: new Date(lockedUntilMs).toISOString() }),
  };
}
