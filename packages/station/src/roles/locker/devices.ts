import type { Board8aController, CodeScanner, IdCardReader } from '@hall/devices';
import type { OpenedDevices } from '../../assembly/role';
import type { StationConfig } from '../../config/schema';
import { DeviceFactory } from '../../devices/factory';
import type { StationSimulators } from '../../devices/simControl';

export interface LockerDevices {
  controller: Board8aController;
  idCardReader: IdCardReader | undefined;
  codeScanner: CodeScanner | undefined;
}

/**
 * A locker's hardware from its config: the lock boards (8A/80 protocol), the ID-card reader
 * and a code scanner, each `simulated` one with its simulator on a pty pair.
 */
export async function openLockerDevices(config: StationConfig): Promise<OpenedDevices<LockerDevices>> {
  const locker = config.locker;
  if (!locker) throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a locker with a layout`);
  // A locker's serial ports are reopened sooner than a kiosk's: a citizen stands at the door.
  const factory = new DeviceFactory({ serialReopenMs: 100 });
  const simulators: Pick<StationSimulators, 'lockBus' | 'idCard' | 'scanner'> = {};
  try {
    const counts: Record<number, number> = {};
    for (const c of locker.layout.compartments) counts[c.board] = Math.max(counts[c.board] ?? 0, c.lock, 24);
    const boards = await factory.lockController(config.devices.lockerController, counts);
    if (!boards) throw new Error(`locker ${config.deviceId}: "devices.lockerController" (the lock boards) is not configured`);
    if (boards.simulator) simulators.lockBus = boards.simulator;
    // Read on demand when a pickup asks for the card, so no polling.
    const card = await factory.idCardReader(config.devices.idCardReader, { timeoutMs: 1000 });
    if (card?.simulator) simulators.idCard = card.simulator;
    const scanner = await factory.codeScanner(config.devices.codeScanner);
    if (scanner?.simulator) simulators.scanner = scanner.simulator;
    return {
      devices: { controller: boards.driver, idCardReader: card?.driver, codeScanner: scanner?.driver },
      simulators,
      close: () => factory.close(),
    };
  } catch (error) {
    await factory.close();
    throw error;
  }
}
