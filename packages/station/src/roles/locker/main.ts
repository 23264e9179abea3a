import {
  Board8aController,
  LockBusSimulator,
  PtyPair,
  SamIdCardReader,
  SerialCodeScanner,
  SerialLink,
  SerialScannerSimulator,
  TcpLink,
  type ByteLink,
  type CodeScanner,
  type IdCardReader,
  IdCardSimulator,
} from '@hall/devices';
import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import type { DeviceConnection, StationConfig } from '../../config/schema';
import { startStation, type StationRuntime, type StartOptions } from '../../runtime';
import { centralApiBase } from '../../central/client';
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

/** One end of a device: the station's link, and for `simulated` the simulator's link on a pty pair. */
async function linkFor(connection: DeviceConnection, baudRate: number, closers: Closer[]): Promise<{ link: ByteLink; device?: SerialLink }> {
  switch (connection.kind) {
    case 'simulated': {
      const pair = await PtyPair.open();
      closers.push(() => pair.close());
      const device = new SerialLink({ path: pair.devicePath, baudRate, reopenIntervalMs: 100 });
      closers.push(() => device.close());
      return { link: new SerialLink({ path: pair.hostPath, baudRate, reopenIntervalMs: 100 }), device };
    }
    case 'serial':
      return { link: new SerialLink({ path: connection.path, baudRate: connection.baudRate, reopenIntervalMs: 100 }) };
    case 'tcp':
      return { link: new TcpLink({ host: connection.host, port: connection.port, reopenIntervalMs: 500 }) };
    case 'hid':
    case 'none':
      throw new Error(`a locker's lock boards and ID-card reader are serial, tcp or simulated, not ${connection.kind}`);
  }
}

/**
 * A locker station from its config: lock boards (8A/80 protocol) and the ID-card reader
 * from `devices`, compartments and unclaimed period from `locker`, the shared station
 * runtime (enrollment, sync, browser-mode host) and the locker's own link for keys and
 * its outbox. What an app's main process calls for a config with role "locker".
 */
export async function startLockerStation(config: StationConfig, options: LockerMainOptions = {}): Promise<LockerStationRuntime> {
  if (config.role !== 'locker' || !config.locker) throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a locker with a layout`);
  const locker = config.locker;
  const lockerController = config.devices.lockerController;
  if (!lockerController) throw new Error(`locker ${config.deviceId}: "devices.lockerController" (the lock boards) is not configured`);
  const closers: Closer[] = [];
  const simulators: LockerStationRuntime['simulators'] = {};
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const boards = await linkFor(lockerController, lockerController.kind === 'serial' ? lockerController.baudRate : 9600, closers);
    if (boards.device) {
      const counts: Record<number, number> = {};
      for (const c of locker.layout.compartments) counts[c.board] = Math.max(counts[c.board] ?? 0, c.lock, 24);
      simulators.lockBus = new LockBusSimulator(boards.device, { protocol: { kind: '8a80' }, boards: counts });
      simulators.lockBus.start();
    }
    const controller = new Board8aController({ link: boards.link, timeoutMs: 400, openGapMs: 50 });
    controller.start();
    closers.push(() => controller.close());
    // A simulated bus is there by construction: the station starts once it answers, so the
    // first door opened does not race the pty's opening (a real port may be unplugged and must not block).
    if (boards.device) await boards.link.waitOpen(5000);
    let idCardReader: IdCardReader | undefined;
    const card = config.devices.idCardReader;
    if (card && card.kind !== 'none') {
      const linked = await linkFor(card, card.kind === 'serial' ? card.baudRate : 115200, closers);
      if (linked.device) {
        simulators.idCard = new IdCardSimulator(linked.device);
        simulators.idCard.start();
      }
      const reader = new SamIdCardReader({ link: linked.link, timeoutMs: 1000 });
      reader.start();
      closers.push(() => reader.close());
      idCardReader = reader;
    }
    let codeScanner: CodeScanner | undefined;
    const scannerConnection = config.devices.codeScanner;
    if (scannerConnection && scannerConnection.kind !== 'none') {
      const linked = await linkFor(scannerConnection, scannerConnection.kind === 'serial' ? scannerConnection.baudRate : 9600, closers);
      if (linked.device) {
        simulators.scanner = new SerialScannerSimulator(linked.device);
        simulators.scanner.start();
      }
      const scanner = new SerialCodeScanner({ link: linked.link });
      scanner.start();
      closers.push(() => scanner.close());
      codeScanner = scanner;
    }
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
      link: { baseUrl: centralApiBase(config.apiUrl), headers: () => late.runtime?.client.authHeaders() ?? {}, ...options.link },
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
