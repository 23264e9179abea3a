import type { ByteLink } from '../transport/link';
import { SerialLink } from '../transport/serialLink';
import { TcpLink } from '../transport/tcpLink';
import { UsbLpLink } from './usbLpLink';

/** Where a ticket printer is attached; exactly one of the three. */
export type PrinterAddress =
  | { kind: 'serial'; path: string; baudRate?: number }
  | { kind: 'tcp'; host: string; port?: number }
  | { kind: 'usb'; path: string };

/** Network thermal printers listen on the raw "JetDirect" port. */
export const RAW_PRINT_PORT = 9100;

export function printerLink(address: PrinterAddress, reopenIntervalMs = 500): ByteLink {
  switch (address.kind) {
    case 'serial':
      return new SerialLink({ path: address.path, baudRate: address.baudRate ?? 9600, reopenIntervalMs });
    case 'tcp':
      return new TcpLink({ host: address.host, port: address.port ?? RAW_PRINT_PORT, reopenIntervalMs });
    case 'usb':
      return new UsbLpLink({ path: address.path, reopenIntervalMs });
  }
}
