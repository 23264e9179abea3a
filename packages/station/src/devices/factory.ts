import {
  Board8aController,
  EscPosPrinter,
  FileA4Printer,
  HidCodeScanner,
  IdCardSimulator,
  IppA4Printer,
  LockBusSimulator,
  NodeHidSource,
  OnbonCallScreen,
  OnbonScreenSimulator,
  PrinterSimulator,
  PtyPair,
  SamIdCardReader,
  SerialCodeScanner,
  SerialLink,
  SerialScannerSimulator,
  TcpLink,
  type A4Printer,
  type ByteLink,
  type CallScreen,
  type CodeScanner,
  type HidReportSource,
  type IdCardReader,
  type TicketPrinter,
} from '@hall/devices';
import { join } from 'node:path';
import type { A4PrinterConnection, DEVICE_SLOTS, DeviceConnection } from '../config/schema';

export type DeviceSlot = (typeof DEVICE_SLOTS)[number];
export type HidConnection = Extract<DeviceConnection, { kind: 'hid' }>;

/** A slot's driver and, when the config says `simulated`, the simulator on the far end of its pty pair. */
export interface BuiltDevice<Driver, Simulator> {
  driver: Driver;
  simulator?: Simulator;
}

export interface DeviceFactoryOptions {
  /** How soon a lost serial port is reopened; a locker retries faster (a citizen stands at its door). */
  serialReopenMs?: number;
  /** Where an HID scanner's reports come from: node-hid unless a test hands in its own. */
  hidSource?: (connection: HidConnection) => HidReportSource;
}

/** What each slot drives, for the refusal of a kind that cannot reach it. */
const SLOT_DEVICE: Record<DeviceSlot, string> = {
  idCardReader: 'an ID-card reader',
  codeScanner: 'a code scanner',
  ticketPrinter: 'a ticket printer',
  lockerController: 'lock boards',
  callScreen: 'call screens',
};

/** Only a code scanner speaks USB HID here; the other slots are byte streams (serial or TCP). */
const HID_SLOTS: ReadonlySet<DeviceSlot> = new Set(['codeScanner']);

/** A config that names a connection kind the slot's device cannot use: refused at start, before any port opens. */
export class DeviceSlotError extends Error {
  constructor(
    readonly slot: DeviceSlot,
    readonly kind: DeviceConnection['kind'],
  ) {
    const usable = ['simulated', 'serial', 'tcp', ...(HID_SLOTS.has(slot) ? ['hid'] : [])];
    super(`devices.${slot}: ${SLOT_DEVICE[slot]} cannot be reached over "${kind}"; use ${usable.join(', ')} or none`);
    this.name = 'DeviceSlotError';
  }
}

type Closer = () => Promise<void>;
type ByteConnection = Extract<DeviceConnection, { kind: 'simulated' | 'serial' | 'tcp' }>;

/**
 * The one place a station turns a config slot into a driver. `simulated` starts a socat pty
 * pair with the simulator on one end and the real driver on the other, so a simulated hall
 * exercises the same bytes, framing and reconnects as the real one. The factory owns what it
 * opened: `close` shuts it all, last opened first.
 */
export class DeviceFactory {
  private readonly closers: Closer[] = [];

  constructor(private readonly options: DeviceFactoryOptions = {}) {}

  /** `pollMs` polls for cards (a kiosk announces a placed card); without it the caller reads on demand (a locker). */
  async idCardReader(connection: DeviceConnection | undefined, tuning: { timeoutMs: number; pollMs?: number }): Promise<BuiltDevice<IdCardReader, IdCardSimulator> | undefined> {
    const linked = await this.byteLink('idCardReader', connection, 115200);
    if (!linked) return undefined;
    const simulator = linked.device && new IdCardSimulator(linked.device);
    simulator?.start();
    const reader = new SamIdCardReader({ link: linked.link, timeoutMs: tuning.timeoutMs });
    reader.start();
    if (tuning.pollMs !== undefined) reader.startPolling(tuning.pollMs);
    this.closers.push(() => reader.close());
    return built(reader, simulator);
  }

  async codeScanner(connection: DeviceConnection | undefined): Promise<BuiltDevice<CodeScanner, SerialScannerSimulator> | undefined> {
    if (connection?.kind === 'hid') return { driver: this.hidScanner(connection) };
    const linked = await this.byteLink('codeScanner', connection, 9600);
    if (!linked) return undefined;
    const simulator = linked.device && new SerialScannerSimulator(linked.device);
    simulator?.start();
    const scanner = new SerialCodeScanner({ link: linked.link });
    scanner.start();
    this.closers.push(() => scanner.close());
    return built(scanner, simulator);
  }

  private hidScanner(connection: HidConnection): CodeScanner {
    const source = this.options.hidSource?.(connection) ?? new NodeHidSource({ vendorId: connection.vendorId, productId: connection.productId });
    const scanner = new HidCodeScanner({ source, mode: connection.mode ?? 'pos' });
    scanner.start();
    this.closers.push(() => scanner.close());
    return scanner;
  }

  async ticketPrinter(connection: DeviceConnection | undefined): Promise<BuiltDevice<TicketPrinter, PrinterSimulator> | undefined> {
    const linked = await this.byteLink('ticketPrinter', connection, 115200);
    if (!linked) return undefined;
    // The record stays in memory (read it through the simulator's `record`): rewriting a
    // file on every received chunk would slow the very print path a station measures.
    const simulator = linked.device && new PrinterSimulator(linked.device);
    simulator?.start();
    const printer = new EscPosPrinter(linked.link, { statusTimeoutMs: 800, openTimeoutMs: 1500 });
    printer.start();
    this.closers.push(() => printer.close());
    return built(printer, simulator);
  }

  /** `simulated` writes each job as a PDF file under `dataDir` (demo halls). */
  a4Printer(connection: A4PrinterConnection | undefined, dataDir: string): A4Printer | undefined {
    if (!connection || connection.kind === 'none') return undefined;
    const printer =
      connection.kind === 'ipp' ? new IppA4Printer({ url: connection.url, timeoutMs: connection.timeoutMs }) : new FileA4Printer(join(dataDir, 'a4-prints'));
    // Learns the printer's state now, so the kiosk knows before the first citizen asks.
    void printer.refresh();
    this.closers.push(() => printer.close());
    return printer;
  }

  /** The 8A/80 lock boards; `boards` (board → lock count) shapes the simulated bus. */
  async lockController(connection: DeviceConnection | undefined, boards: Readonly<Record<number, number>>): Promise<BuiltDevice<Board8aController, LockBusSimulator> | undefined> {
    const linked = await this.byteLink('lockerController', connection, 9600);
    if (!linked) return undefined;
    const simulator = linked.device && new LockBusSimulator(linked.device, { protocol: { kind: '8a80' }, boards: { ...boards } });
    simulator?.start();
    const controller = new Board8aController({ link: linked.link, timeoutMs: 400, openGapMs: 50 });
    controller.start();
    this.closers.push(() => controller.close());
    // A simulated bus is there by construction: the station starts once it answers, so the
    // first door opened does not race the pty's opening (a real port may be unplugged and must not block).
    if (simulator) await linked.link.waitOpen(5000);
    return built(controller, simulator);
  }

  /** The Onbon RS485 bus of LED strips and counter signs at `addresses`. */
  async callScreen(connection: DeviceConnection | undefined, addresses: readonly number[]): Promise<BuiltDevice<CallScreen, OnbonScreenSimulator> | undefined> {
    const linked = await this.byteLink('callScreen', connection, 9600);
    if (!linked) return undefined;
    const simulator = linked.device && new OnbonScreenSimulator(linked.device, addresses);
    simulator?.start();
    const screen = new OnbonCallScreen({ link: linked.link, timeoutMs: 1000 });
    screen.start();
    this.closers.push(() => screen.close());
    return built(screen, simulator);
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch(() => undefined);
    }
  }

  /** The station's end of a byte-stream device; for `simulated`, also the simulator's end of a fresh pty pair. */
  private async byteLink(slot: DeviceSlot, connection: DeviceConnection | undefined, simulatedBaudRate: number): Promise<{ link: ByteLink; device?: SerialLink } | undefined> {
    if (!connection || connection.kind === 'none') return undefined;
    if (connection.kind === 'hid') throw new DeviceSlotError(slot, connection.kind);
    return this.openByteLink(connection, simulatedBaudRate);
  }

  private async openByteLink(connection: ByteConnection, simulatedBaudRate: number): Promise<{ link: ByteLink; device?: SerialLink }> {
    switch (connection.kind) {
      case 'simulated': {
        const pair = await PtyPair.open();
        this.closers.push(() => pair.close());
        const device = new SerialLink({ path: pair.devicePath, baudRate: simulatedBaudRate, reopenIntervalMs: 100 });
        this.closers.push(() => device.close());
        return { link: new SerialLink({ path: pair.hostPath, baudRate: simulatedBaudRate, reopenIntervalMs: 100 }), device };
      }
      case 'serial':
        return { link: new SerialLink({ path: connection.path, baudRate: connection.baudRate, reopenIntervalMs: this.options.serialReopenMs ?? 500 }) };
      case 'tcp':
        return { link: new TcpLink({ host: connection.host, port: connection.port, reopenIntervalMs: 500 }) };
    }
  }
}

function built<Driver, Simulator>(driver: Driver, simulator: Simulator | undefined): BuiltDevice<Driver, Simulator> {
  return simulator === undefined ? { driver } : { driver, simulator };
}
