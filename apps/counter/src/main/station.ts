import { runRole, splitRunOptions, type DataKeyKeeper, type DeviceManager, type KeySetRefresher, type RunOptions, type StationConfig, type StationRuntime } from '@hall/station';
import { counterDefinition, type CounterDefinitionOptions, type CounterRole, type DepositDelegationKeeper } from '@hall/station/roles/counter';

/** A counter started on its own (tests, benches): the counter definition's options and the station's. */
export type CounterStationOptions = CounterDefinitionOptions & Partial<RunOptions>;

export interface CounterStation {
  runtime: StationRuntime;
  role: CounterRole;
  devices: DeviceManager;
  /** The residence-code key set refresher (tests refresh it on demand). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (码上受理; tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
  /** The counter's delegated deposit key (offline deposit codes); tests refresh it on demand. */
  depositKey: DepositDelegationKeeper;
  url: string | undefined;
  stop(): Promise<void>;
}

/** The counter's station with its parts in reach, through the same assembly as the app's entries (runStation). */
export async function startCounterStation(config: StationConfig, options: CounterStationOptions = {}): Promise<CounterStation> {
  const { run, role } = splitRunOptions(options);
  const station = await runRole(counterDefinition, config, role, run);
  return { runtime: station.runtime, ...station.parts, url: station.hostUrl, stop: () => station.stop() };
}
