import type { IdCardSimulator, LockBusSimulator, SerialScannerSimulator } from '@hall/devices';
import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import type { StationConfig } from '../../config/schema';
import { DeviceFactory } from '../../devices/factory';
import { startStation, type StationRuntime, type StartOptions } from '../../runtime';
import { API_BASE_PATH } from '../../sync/client';
import { startLockerRole, type LockerRole } from './role';
import type { LockerLinkOptions } from './serverLink';

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

export interface LockerMainOptions extends Pick<StartOptions, 'host' | 'sync'> {
  /** Tuning of the locker's own link to the central API (tests shorten it). */
  link?: Pick<LockerLinkOptions, 'intervalMs' | 'backoffMaxMs' | 'keyRefreshMs' | 'timeoutMs'>;
  doorPollMs?: number;
}

type Closer = () => Promise<void>;

/**
 * A locker station from its config: lock boards (8A/80 protocol) and the ID-card reader
 * from `devices`, compartments and unclaimed period from `locker`, the shared station
 * runtime (enrollment, sync, browser-mode host) and the locker's own link for keys and
 * its outbox. What an app's main process calls for a config with role "locker".
 */
export async function startLockerStation(config: StationConfig, options: LockerMainOptions = {}): Promise<LockerStationRuntime> {
  if (config.role !== 'locker' || !config.locker) throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a locker with a layout`);
  const locker = config.locker;
  // A locker's serial ports are reopened sooner than a kiosk's: a citizen stands at the door.
  const devices = new DeviceFactory({ serialReopenMs: 100 });
  const closers: Closer[] = [() => devices.close()];
  const simulators: LockerStationRuntime['simulators'] = {};
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const counts: Record<number, number> = {};
    for (const c of locker.layout.compartments) counts[c.board] = Math.max(counts[c.board] ?? 0, c.lock, 24);
    const boards = await devices.lockController(config.devices.lockerController, counts);
    if (!boards) throw new Error(`locker ${config.deviceId}: "devices.lockerController" (the lock boards) is not configured`);
    const controller = boards.driver;
    if (boards.simulator) simulators.lockBus = boards.simulator;
    // Read on demand when a pickup asks for the card, so no polling.
    const card = await devices.idCardReader(config.devices.idCardReader, { timeoutMs: 1000 });
    const idCardReader = card?.driver;
    if (card?.simulator) simulators.idCard = card.simulator;
    const scanner = await devices.codeScanner(config.devices.codeScanner);
    const codeScanner = scanner?.driver;
    if (scanner?.simulator) simulators.scanner = scanner.simulator;
    // The role's events reach the screen through the runtime's host, which starts after the role,
    // and through the listeners of onEvent (the Electron IPC adapter).
    const late: { runtime?: StationRuntime } = {};
    const listeners = new Set<StationEventListener>();
    const emit = <E extends StationEvent>(event: E, data: EventData<E>) => {
      late.runtime?.host?.emit(event, data);
      for (const listener of listeners) listener(event, data);
    };
    const role = await startLockerRole({
      file: `${config.dataDir}/locker.sqlite`,
      hallId: config.hallId,
      layout: locker.layout,
      controller,
      ...(idCardReader ? { idCardReader } : {}),
      ...(codeScanner ? { codeScanner } : {}),
      cardWaitMs: locker.cardWaitMs,
      leftOpenAfterMs: locker.leftOpenAfterMs,
      unclaimedDays: locker.unclaimedDays,
      ...(options.doorPollMs ? { doorPollMs: options.doorPollMs } : {}),
      emit,
      link: { baseUrl: `${config.apiUrl.replace(/\/+$/, '')}${API_BASE_PATH}`, headers: () => late.runtime?.client.authHeaders() ?? {}, ...options.link },
    });
    closers.push(() => role.close());
    const runtime = await startStation(config, { ...(options.host === undefined ? {} : { host: options.host }), extraHandlers: role.handlers, ...(options.sync ? { sync: options.sync } : {}) });
    late.runtime = runtime;
    closers.push(() => runtime.stop());
    void role.link?.round();
    return {
      runtime,
      role,
      simulators,
      handlers: runtime.handlers,
      onEvent(listener) {
        listeners.add(listener);
        const offRuntime = runtime.onEvent(listener);
        return () => {
          listeners.delete(listener);
          offRuntime();
        };
      },
      isIdle: () => role.station.status().compartments.every((c) => !c.doorOpen),
      stop: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
