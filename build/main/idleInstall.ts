/**
 * When a downloaded update may be installed. A kiosk restarts into the new version only
 * while nobody is using it: the OS reports no input for `minIdleSeconds`, and the station
 * itself (through the idle hook, see `STATION_IDLE_HOOK`) says no session, print or
 * locker operation is under way. Pure logic, so it is tested without Electron.
 */
export interface IdleProbe {
  /** Seconds since the last keyboard, mouse or touch input (Electron powerMonitor). */
  systemIdleSeconds(): number;
  /** The station's own answer; undefined when the station registered no hook. */
  stationIdle(): boolean | undefined;
}

export interface IdlePolicy {
  minIdleSeconds: number;
  /** Stations without a hook (the display) rely on input idleness alone. */
  requireStationHook: boolean;
}

export type InstallDecision = { install: true } | { install: false; reason: 'no-update' | 'recent-input' | 'station-busy' | 'no-station-hook' };

/**
 * The key under which a station's main process registers `() => boolean` ("idle now?") on
 * globalThis. A registry symbol, so the updater bundle and the station bundle agree on it
 * without importing each other.
 */
export const STATION_IDLE_HOOK = Symbol.for('hall.station.idle');

export function readStationIdleHook(scope: Record<symbol, unknown> = globalThis as unknown as Record<symbol, unknown>): boolean | undefined {
  const hook = scope[STATION_IDLE_HOOK];
  if (typeof hook !== 'function') return undefined;
  try {
    return (hook as () => unknown)() === true;
  } catch {
    return false; // a failing hook means "do not interrupt"
  }
}

export function decideInstall(updateReady: boolean, probe: IdleProbe, policy: IdlePolicy): InstallDecision {
  if (!updateReady) return { install: false, reason: 'no-update' };
  if (probe.systemIdleSeconds() < policy.minIdleSeconds) return { install: false, reason: 'recent-input' };
  const station = probe.stationIdle();
  if (station === undefined) return policy.requireStationHook ? { install: false, reason: 'no-station-hook' } : { install: true };
  return station ? { install: true } : { install: false, reason: 'station-busy' };
}

/** Kiosks must confirm through the hook; counters and displays are idle when nobody touches them. */
export function idlePolicyFor(app: string, env: NodeJS.ProcessEnv): IdlePolicy {
  const minutes = Number(env.HALL_UPDATE_IDLE_MINUTES ?? 5);
  return { minIdleSeconds: (Number.isFinite(minutes) && minutes > 0 ? minutes : 5) * 60, requireStationHook: app === 'kiosk' };
}
