import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import { runRole, splitRunOptions, type RunOptions, type StationConfig, type StationRuntime } from '@hall/station';
import { displayDefinition, type DisplayDefinitionOptions, type DisplayRole } from '@hall/station/roles/display';

/** A display started on its own (tests, benches): the display definition's options and the station's. */
export type DisplayStationOptions = DisplayDefinitionOptions & RunOptions;

export interface DisplayStation {
  runtime: StationRuntime;
  role: DisplayRole;
  handlers: StationApiHandlers;
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  stop(): Promise<void>;
}

/** The wall display's station with its role in reach, through the same assembly as the app's entries (runStation). */
export async function startDisplayStation(config: StationConfig, options: DisplayStationOptions): Promise<DisplayStation> {
  const { run, role } = splitRunOptions(options);
  const station = await runRole(displayDefinition, config, role, run);
  return { runtime: station.runtime, role: station.parts.role, handlers: station.handlers, onEvent: (listener) => station.onEvent(listener), stop: () => station.stop() };
}
