import type { StationConfig } from '../config/schema';
import { DeviceManager } from '../devices/manager';
import type { OpenedDevices } from './role';

/** The devices a kiosk or counter config names, through the device manager. */
export async function managedDevices(config: StationConfig): Promise<OpenedDevices<DeviceManager>> {
  const devices = await DeviceManager.start(config.devices, { dataDir: config.dataDir });
  return { devices, simulators: devices.simulators, close: () => devices.close() };
}

/** A role whose hardware its own start drives (the display's signs): nothing to open first. */
export async function noDevices(): Promise<OpenedDevices<undefined>> {
  return { devices: undefined, simulators: {}, close: async () => undefined };
}
