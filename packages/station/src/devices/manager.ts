import type {
  A4Printer,
  CodeScanner,
  DeviceHealth,
  IdCardReader,
  IdCardSimulator,
  PrinterSimulator,
  SerialScannerSimulator,
  TicketPrinter,
} from '@hall/devices';
import type { A4PrinterConnection, DeviceConnection } from '../config/schema';
import { DeviceFactory, type DeviceFactoryOptions } from './factory';

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

export interface DeviceManagerOptions extends Pick<DeviceFactoryOptions, 'hidSource'> {
  /** The station's data directory (for devices that keep files). */
  dataDir: string;
  /** ID-card poll interval; real readers take ~1 s per read, the simulator far less. */
  idCardPollMs?: number;
}

/** A kiosk's or counter's drivers from its config, built by the device factory (simulated or real). */
export class DeviceManager {
  idCardReader: IdCardReader | undefined;
  codeScanner: CodeScanner | undefined;
  ticketPrinter: TicketPrinter | undefined;
  /** Application forms on A4 (kiosk); the thermal printer stays for tickets. */
  a4Printer: A4Printer | undefined;
  readonly simulators: DeviceSimulators = {};

  private constructor(private readonly factory: DeviceFactory) {}

  static async start(config: DevicesConfig, options: DeviceManagerOptions): Promise<DeviceManager> {
    const manager = new DeviceManager(new DeviceFactory(options.hidSource ? { hidSource: options.hidSource } : {}));
    try {
      await manager.build(config, options);
    } catch (error) {
      await manager.close();
      throw error;
    }
    return manager;
  }

  private async build(config: DevicesConfig, options: DeviceManagerOptions): Promise<void> {
    const card = await this.factory.idCardReader(config.idCardReader, { timeoutMs: 2000, pollMs: options.idCardPollMs ?? 250 });
    this.idCardReader = card?.driver;
    if (card?.simulator) this.simulators.idCard = card.simulator;
    const scanner = await this.factory.codeScanner(config.codeScanner);
    this.codeScanner = scanner?.driver;
    if (scanner?.simulator) this.simulators.scanner = scanner.simulator;
    const printer = await this.factory.ticketPrinter(config.ticketPrinter);
    this.ticketPrinter = printer?.driver;
    if (printer?.simulator) this.simulators.printer = printer.simulator;
    this.a4Printer = this.factory.a4Printer(config.a4Printer, options.dataDir);
  }

  health(): { idCardReader?: DeviceHealth; codeScanner?: DeviceHealth; ticketPrinter?: DeviceHealth } {
    return {
      ...(this.idCardReader ? { idCardReader: this.idCardReader.health } : {}),
      ...(this.codeScanner ? { codeScanner: this.codeScanner.health } : {}),
      ...(this.ticketPrinter ? { ticketPrinter: this.ticketPrinter.health } : {}),
    };
  }

  close(): Promise<void> {
    return this.factory.close();
  }
}
