import type { DeviceStateSchema, KioskDevices } from '@hall/shared';
import type { A4Printer, CodeScanner, DeviceHealth, IdCardReader, TicketPrinter } from '@hall/devices';
import type { z } from 'zod';

type DeviceState = z.infer<typeof DeviceStateSchema>;

/** The kiosk's devices; each is absent on a kiosk without one. */
export interface KioskDeviceSet {
  idCardReader?: IdCardReader | undefined;
  codeScanner?: CodeScanner | undefined;
  ticketPrinter?: TicketPrinter | undefined;
  a4Printer?: A4Printer | undefined;
}

/** One device's health as the screen shows it: its worst issue, in a word. */
function deviceState(health: DeviceHealth | undefined): DeviceState {
  if (!health) return { state: 'absent' };
  if (!health.connected || health.level === 'offline') return { state: 'error', problem: 'disconnected' };
  const issue = health.issues.find((i) => i.level === health.level) ?? health.issues[0];
  if (health.level === 'ok') return { state: 'ok' };
  return { state: health.level, ...(issue ? { problem: issue.code.slice(0, 40) } : {}) };
}

/** kiosk.devices: how each device of the kiosk is now. */
export function kioskDevices(devices: KioskDeviceSet): KioskDevices {
  return {
    idCardReader: deviceState(devices.idCardReader?.health),
    codeScanner: deviceState(devices.codeScanner?.health),
    ticketPrinter: deviceState(devices.ticketPrinter?.health),
    ...(devices.a4Printer ? { a4Printer: deviceState(devices.a4Printer.health) } : {}),
  };
}

/** Calls `changed` on every health report of any of the kiosk's devices. */
export function onDeviceHealth(devices: KioskDeviceSet, changed: () => void): void {
  for (const device of [devices.idCardReader, devices.codeScanner, devices.ticketPrinter, devices.a4Printer]) {
    if (!device) continue;
    (device as { on(e: 'health', l: () => void): unknown }).on('health', changed);
  }
}
