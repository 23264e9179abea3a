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
import type { OpenedDevices } from '../../assembly/role';
import type { DeviceConnection, StationConfig } from '../../config/schema';
import type { StationSimulators } from '../../devices/simControl';

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

export interface LockerDevices {
  controller: Board8aController;
  idCardReader: IdCardReader | undefined;
  codeScanner: CodeScanner | undefined;
}

/**
 * A locker's hardware from its config: the lock boards (8A/80 protocol), the ID-card reader
 * and a serial code scanner, each `simulated` one with its simulator on a pty pair.
 */
export async function openLockerDevices(config: StationConfig): Promise<OpenedDevices<LockerDevices>> {
  const locker = config.locker;
  const lockerController = config.devices.lockerController;
  if (!locker || !lockerController) throw new Error(`locker ${config.deviceId}: no layout or lock boards`);
  const closers: Closer[] = [];
  const simulators: Pick<StationSimulators, 'lockBus' | 'idCard' | 'scanner'> = {};
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
    return { devices: { controller, idCardReader, codeScanner }, simulators, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

