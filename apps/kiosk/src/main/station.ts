import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import { runRole, splitRunOptions, type DataKeyKeeper, type DeviceManager, type KeySetRefresher, type RunOptions, type StationConfig, type StationRuntime } from '@hall/station';
import { kioskDefinition, type KioskDefinitionOptions, type KioskRole } from '@hall/station/roles/kiosk';

/** A kiosk started on its own (tests, benches): the kiosk definition's options and the station's. */
export type KioskStationOptions = KioskDefinitionOptions & RunOptions;

export interface KioskStation {
  runtime: StationRuntime;
  devices: DeviceManager;
  role: KioskRole;
  /** Fetches the residence-code key set into kiosk.db (tests call refresh() to wait for it). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
  handlers: StationApiHandlers;
  /** Nobody is using the kiosk (home screen, no citizen data, no print): staged updates may install. */
  isIdle(): boolean;
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  stop(): Promise<void>;
}

/** The kiosk's station with its parts in reach, through the same assembly as the app's entries (runStation). */
export async function startKioskStation(config: StationConfig, options: KioskStationOptions): Promise<KioskStation> {
  const { run, role } = splitRunOptions(options);
  const station = await runRole(kioskDefinition, config, role, run);
  return {
    runtime: station.runtime,
    ...station.parts,
    handlers: station.handlers,
    isIdle: () => station.isIdle(),
    onEvent: (listener) => station.onEvent(listener),
    stop: () => station.stop(),
  };
}
