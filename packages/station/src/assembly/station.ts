import type { StationConfig } from '../config/schema';
import { counterDefinition, type CounterDefinitionOptions } from '../roles/counter/definition';
import { displayDefinition, type DisplayDefinitionOptions } from '../roles/display/definition';
import { kioskDefinition, type KioskDefinitionOptions } from '../roles/kiosk/definition';
import { lockerDefinition, type LockerDefinitionOptions } from '../roles/locker/definition';
import { runRole, type RunningStation, type RunOptions } from './run';

/** Each role's own tuning; only the one of the config's role is used. */
export interface StationRunOptions extends RunOptions {
  kiosk?: KioskDefinitionOptions;
  counter?: CounterDefinitionOptions;
  /** A display needs its display config (notices, voice, signs, LAN feed). */
  display?: DisplayDefinitionOptions;
  locker?: LockerDefinitionOptions;
}

/**
 * The one start of every station, for the Electron and the browser entry alike: the role
 * comes from the config (kiosk, counter, display, locker), then store, devices, role, sync
 * and host open in that order (runRole).
 */
export async function runStation(config: StationConfig, options: StationRunOptions): Promise<RunningStation<unknown>> {
  switch (config.role) {
    case 'kiosk':
      // A real kiosk keeps its opening hours unless its app says otherwise.
      return runRole(kioskDefinition, config, options.kiosk ?? { enforceOpeningHours: true }, options);
    case 'counter':
      return runRole(counterDefinition, config, options.counter ?? {}, options);
    case 'display':
      if (!options.display) throw new Error(`display ${config.deviceId}: no display config (notices, voice, signs) given`);
      return runRole(displayDefinition, config, options.display, options);
    case 'locker':
      return runRole(lockerDefinition, config, options.locker ?? {}, options);
  }
}
