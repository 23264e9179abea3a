import {
  IdCardSimulator,
  PtyPair,
  SamIdCardReader,
  SerialCodeScanner,
  SerialLink,
  SerialScannerSimulator,
  TcpLink,
  type ByteLink,
  type CodeScanner,
  type DeviceHealth,
  type IdCardReader,
  FileA4Printer,
  IppA4Printer,
  type A4Printer,
  EscPosPrinter,
  PrinterSimulator,
  type TicketPrinter,
} from '@hall/devices';
import { join } from 'node:path';
import type { A4PrinterConnection, DeviceConnection } from '../config/schema';

/** The device slots a station config may fill that this manager drives. */
export interface DevicesConfig {
  idCardReader?: DeviceConnection | undefined;
  codeScanner?: DeviceConnection | undefined;
  ticketPrinter?: DeviceConnection | undefined;
  a4Printer?: A4PrinterConnection | undefined;
}

/** The far ends of simulated devices: what a demo panel or a test drives. */
export interface DeviceSimulators {
  idCard?: IdCardSimulator;
  scanner?: SerialScannerSimulator;
  printer?: PrinterSimulator;
}

export interface DeviceManagerOptions {
  /** The station's data directory (for devices that keep files). */
  dataDir: string;
  /** ID-card poll interval; real readers take ~1 s per read, the simulator far less. */
  idCardPollMs?: number;
}

/**
 * Creates the station's drivers from its config. `simulated` starts a socat pty pair per
 * device with the simulator on one end and the real driver on the other, so a simulated
 * hall exercises the same bytes, framing and reconnects as the real one.
 */
export class DeviceManager {
  private readonly closers: (() => Promise<void>)[] = [];
  idCardReader: IdCardReader | undefined;
  codeScanner: CodeScanner | undefined;
  ticketPrinter: TicketPrinter | undefined;
  /** Application forms on A4 (kiosk); the thermal printer stays for tickets. */
  a4Printer: A4Printer | undefined;
  readonly simulators: DeviceSimulators = {};

  private constructor(private readonly options: DeviceManagerOptions) {}

  static async start(config: DevicesConfig, options: DeviceManagerOptions): Promise<DeviceManager> {
    const manager = new DeviceManager(options);
    try {
      await manager.startIdCard(config.idCardReader);
      await manager.startScanner(config.codeScanner);
      await manager.startPrinter(config.ticketPrinter);
      manager.startA4Printer(config.a4Printer);
    } catch (error) {
      await manager.close();
      throw error;
    }
    return manager;
  }

  /** A simulated device: a pty pair, the simulator's link on the device end. */
  private async simulatedPair(baudRate: number): Promise<{ host: ByteLink; device: SerialLink }> {
    const pair = await PtyPair.open();
    this.closers.push(() => pair.close());
    const device = new SerialLink({ path: pair.devicePath, baudRate, reopenIntervalMs: 100 });
    const host = new SerialLink({ path: pair.hostPath, baudRate, reopenIntervalMs: 100 });
    this.closers.push(() => device.close());
    return { host, device };
  }

  private async linkFor(connection: DeviceConnection, baudRate: number): Promise<{ link: ByteLink; device?: SerialLink } | undefined> {
    switch (connection.kind) {
      case 'simulated': {
        const { host, device } = await this.simulatedPair(baudRate);
        return { link: host, device };
      }
      case 'serial':
        return { link: new SerialLink({ path: connection.path, baudRate: connection.baudRate, reopenIntervalMs: 500 }) };
      case 'tcp':
        return { link: new TcpLink({ host: connection.host, port: connection.port, reopenIntervalMs: 500 }) };
      case 'hid':
        throw new Error('HID devices are not supported for this slot yet; use serial, tcp or simulated');
      case 'none':
        return undefined;
    }
  }

  private async startIdCard(connection: DeviceConnection | undefined): Promise<void> {
    if (!connection) return;
    const linked = await this.linkFor(connection, 115200);
    if (!linked) return;
    if (linked.device) {
      const simulator = new IdCardSimulator(linked.device);
      simulator.start();
      this.simulators.idCard = simulator;
    }
    const reader = new SamIdCardReader({ link: linked.link, timeoutMs: 2000 });
    reader.start();
    reader.startPolling(this.options.idCardPollMs ?? 250);
    this.idCardReader = reader;
    this.closers.push(() => reader.close());
  }

  private async startScanner(connection: DeviceConnection | undefined): Promise<void> {
    if (!connection) return;
    const linked = await this.linkFor(connection, 9600);
    if (!linked) return;
    if (linked.device) {
      const simulator = new SerialScannerSimulator(linked.device);
      simulator.start();
      this.simulators.scanner = simulator;
    }
    const scanner = new SerialCodeScanner({ link: linked.link });
    scanner.start();
    this.codeScanner = scanner;
    this.closers.push(() => scanner.close());
  }

  private async startPrinter(connection: DeviceConnection | undefined): Promise<void> {
    if (!connection) return;
    const linked = await this.linkFor(connection, 115200);
    if (!linked) return;
    if (linked.device) {
      // The record stays in memory (read it through `simulators.printer.record`): rewriting a
      // file on every received chunk would slow the very print path a station measures.
      const simulator = new PrinterSimulator(linked.device);
      simulator.start();
      this.simulators.printer = simulator;
    }
    const printer = new EscPosPrinter(linked.link, { statusTimeoutMs: 800, openTimeoutMs: 1500 });
    printer.start();
    this.ticketPrinter = printer;
    this.closers.push(() => printer.close());
  }

  private startA4Printer(connection: A4PrinterConnection | undefined): void {
    if (!connection || connection.kind === 'none') return;
    const printer =
      connection.kind === 'ipp'
        ? new IppA4Printer({ url: connection.url, timeoutMs: connection.timeoutMs })
        : new FileA4Printer(join(this.options.dataDir, 'a4-prints'));
    // Learns the printer's state now, so the kiosk knows before the first citizen asks.
    void printer.refresh();
    this.a4Printer = printer;
    this.closers.push(() => printer.close());
  }

  health(): { idCardReader?: DeviceHealth; codeScanner?: DeviceHealth; ticketPrinter?: DeviceHealth } {
    return {
      ...(this.idCardReader ? { idCardReader: this.idCardReader.health } : {}),
      ...(this.codeScanner ? { codeScanner: this.codeScanner.health } : {}),
      ...(this.ticketPrinter ? { ticketPrinter: this.ticketPrinter.health } : {}),
    };
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch(() => undefined);
    }
  }
}
