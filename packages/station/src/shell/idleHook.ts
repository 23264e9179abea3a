/**
 * The registry symbol build/main/idleInstall.ts reads: the updater asks through it whether the
 * station may restart now. A registry symbol, because an app may not import the build code.
 */
export const STATION_IDLE_HOOK = Symbol.for('hall.station.idle');

/** Lets the updater ask this station "idle now?" before it installs a staged update. */
export function registerStationIdleHook(isIdle: () => boolean, scope: object = globalThis): void {
  (scope as Record<symbol, unknown>)[STATION_IDLE_HOOK] = isIdle;
}
