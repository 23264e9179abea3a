/**
 * Clock skew between a station and the central API. Stations measure their offset on every
 * sync exchange (server clock minus station clock); past this bound the station says so on
 * its screen and the console flags the device, because ticket times, day boundaries and
 * deadline lights all read the station's clock.
 */
export const CLOCK_SKEW_WARN_MS = 60_000;

/** Whether a measured offset is large enough to warn about (undefined/null: not measured yet). */
export function clockSkewed(offsetMs: number | null | undefined): offsetMs is number {
  return typeof offsetMs === 'number' && Math.abs(offsetMs) > CLOCK_SKEW_WARN_MS;
}

/** Whole minutes off, at least 1, for the warning text. */
export function clockSkewMinutes(offsetMs: number): number {
  return Math.max(1, Math.round(Math.abs(offsetMs) / 60_000));
}
