// The kiosk app's one start, for its Electron entry and its browser entry alike: the
// config's role decides which station runs on this PC — the kiosk (tickets, forms) or the
// 24-hour locker (lock boards, pickups) — so the two entries cannot drift apart. An entry
// adds only its transport: IPC to its window, or the browser-mode host (options.host).
import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import type { StationConfig } from '@hall/station';
import type { StationSimulators } from '@hall/station';
import { startLockerStation, type LockerMainOptions } from '@hall/station/roles/locker';
import { startKioskStation, type KioskStationOptions } from './station';

/** The roles this app runs; the renderer's LockerGate picks the matching home screen. */
export type KioskAppRole = 'kiosk' | 'locker';

export interface KioskAppOptions {
  /** Serve the renderer and the API over WebSocket (browser mode); Electron passes false. */
  host: boolean;
  /** Tuning of a kiosk (opening hours, test clocks); unused for a locker. */
  kiosk: Omit<KioskStationOptions, 'host'>;
  /** Tuning of a locker (tests shorten its link and door polling); unused for a kiosk. */
  locker?: Omit<LockerMainOptions, 'host'>;
}

export interface KioskAppStation {
  role: KioskAppRole;
  handlers: StationApiHandlers;
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  /** Nobody is mid-task (kiosk home screen; no locker door open): a staged update may install. */
  isIdle(): boolean;
  /** The browser-mode page (with its token), when options.host. */
  hostUrl: string | undefined;
  /** Far ends of simulated devices, for the hall simulator page. */
  simulators: StationSimulators;
  stop(): Promise<void>;
}

export async function startKioskApp(config: StationConfig, options: KioskAppOptions): Promise<KioskAppStation> {
  if (config.role === 'locker') {
    const locker = await startLockerStation(config, { ...options.locker, host: options.host });
    return {
      role: 'locker',
      handlers: locker.handlers,
      onEvent: (listener) => locker.onEvent(listener),
      isIdle: () => locker.isIdle(),
      hostUrl: locker.runtime.host?.url,
      simulators: locker.simulators,
      stop: () => locker.stop(),
    };
  }
  // startKioskStation refuses any other role, saying which the config named.
  const kiosk = await startKioskStation(config, { ...options.kiosk, host: options.host });
  return {
    role: 'kiosk',
    handlers: kiosk.handlers,
    onEvent: (listener) => kiosk.onEvent(listener),
    isIdle: () => kiosk.isIdle(),
    hostUrl: kiosk.runtime.host?.url,
    simulators: kiosk.devices.simulators,
    stop: () => kiosk.stop(),
  };
}
