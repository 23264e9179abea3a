import type { IdCardSimulator, LockBusSimulator, SerialScannerSimulator } from '@hall/devices';
import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import { runRole, splitRunOptions } from '../../assembly/run';
import type { StationConfig } from '../../config/schema';
import type { StationRuntime, StartOptions } from '../../runtime';
import { lockerDefinition, type LockerDefinitionOptions } from './definition';
import type { LockerRole } from './role';
export interface LockerStationRuntime {
  runtime: StationRuntime;
  role: LockerRole;
  /** Far ends of simulated devices (demos, tests). */
  simulators: { lockBus?: LockBusSimulator; idCard?: IdCardSimulator; scanner?: SerialScannerSimulator };
  /** The station API: the core's methods and the locker's, for the browser host or the Electron IPC adapter. */
  handlers: StationApiHandlers;
  /** Every event for the screen, the runtime's and the locker's alike (the Electron adapter has no host to read them from). */
  onEvent(listener: StationEventListener): () => void;
  /** No door is open: a staged update may restart the station now. */
  isIdle(): boolean;
  stop(): Promise<void>;
}

type StationEventListener = <E extends StationEvent>(event: E, data: EventData<E>) => void;

export interface LockerMainOptions extends Pick<StartOptions, 'host' | 'sync'>, LockerDefinitionOptions {}

/**
 * A locker station from its config, through the station assembly (runStation's steps with
 * the locker definition): what tests and the locker's process harness start directly.
 */
export async function startLockerStation(config: StationConfig, options: LockerMainOptions = {}): Promise<LockerStationRuntime> {
  const { run, role } = splitRunOptions(options);
  const station = await runRole(lockerDefinition, config, role, run);
  return {
    runtime: station.runtime,
    role: station.parts.role,
    simulators: station.simulators,
    handlers: station.handlers,
    onEvent: (listener) => station.onEvent(listener),
    isIdle: () => station.isIdle(),
    stop: () => station.stop(),
  };
}
