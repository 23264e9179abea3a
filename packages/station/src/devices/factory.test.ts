import { afterEach, describe, expect, it } from 'vitest';
import { encodeHidPosReports, HidCodeScanner, type HidReportSource } from '@hall/devices';
import { DevicesConfigSchema } from '../config/schema';
import { DeviceFactory, DeviceSlotError, type HidConnection } from './factory';
import { DeviceManager } from './manager';

/** Stands in for node-hid: the test plays the USB scanner's input reports. */
class FakeHidSource implements HidReportSource {
  handlers: Parameters<HidReportSource['start']>[0] | undefined;
  closed = false;

  start(handlers: Parameters<HidReportSource['start']>[0]): void {
    this.handlers = handlers;
    handlers.connected(true);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const HID_SCANNER = { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b61 } as const;

let factory: DeviceFactory | undefined;
afterEach(async () => {
  await factory?.close();
  factory = undefined;
});

describe('device factory', () => {
  it('builds an HID scanner for a `hid` code-scanner slot, fed by the injected report source', async () => {
    const sources: { connection: HidConnection; source: FakeHidSource }[] = [];
    factory = new DeviceFactory({
      hidSource: (connection) => {
        const source = new FakeHidSource();
        sources.push({ connection, source });
        return source;
      },
    });
    const config = DevicesConfigSchema.parse({ codeScanner: HID_SCANNER });
    const scanner = await factory.codeScanner(config.codeScanner);
    expect(scanner?.driver).toBeInstanceOf(HidCodeScanner);
    expect(scanner?.simulator).toBeUndefined();
    expect(sources.map((s) => s.connection)).toEqual([HID_SCANNER]);
    expect(scanner?.driver.health.connected).toBe(true);

    const scans: string[] = [];
    scanner?.driver.on('scan', (scan) => scans.push(scan.code));
    for (const report of encodeHidPosReports(Buffer.from('A012'))) sources[0]?.source.handlers?.report(report);
    expect(scans).toEqual(['A012']);

    await factory.close();
    expect(sources[0]?.source.closed).toBe(true);
  });

  it('gives the station an HID scanner through the device manager', async () => {
    const source = new FakeHidSource();
    const manager = await DeviceManager.start({ codeScanner: HID_SCANNER }, { dataDir: '/nonexistent', hidSource: () => source });
    try {
      expect(manager.codeScanner).toBeInstanceOf(HidCodeScanner);
      expect(manager.simulators.scanner).toBeUndefined();
    } finally {
      await manager.close();
    }
    expect(source.closed).toBe(true);
  });

  it('refuses a connection kind the slot cannot use, naming the slot and the kinds it takes', async () => {
    factory = new DeviceFactory({ hidSource: () => new FakeHidSource() });
    const refusal = factory.ticketPrinter(HID_SCANNER);
    await expect(refusal).rejects.toBeInstanceOf(DeviceSlotError);
    await expect(refusal).rejects.toThrow('devices.ticketPrinter: a ticket printer cannot be reached over "hid"; use simulated, serial, tcp or none');
    await expect(factory.idCardReader(HID_SCANNER, { timeoutMs: 1000 })).rejects.toThrow(/^devices\.idCardReader: .* "hid"/);
    await expect(factory.lockController(HID_SCANNER, {})).rejects.toThrow(/^devices\.lockerController: .* "hid"/);
    await expect(factory.callScreen(HID_SCANNER, [1])).rejects.toThrow(/^devices\.callScreen: .* "hid"/);
    // The manager refuses the whole set and leaves nothing open.
    await expect(DeviceManager.start({ idCardReader: HID_SCANNER }, { dataDir: '/nonexistent' })).rejects.toThrow(DeviceSlotError);
  });

  it('leaves empty and `none` slots without a driver', async () => {
    factory = new DeviceFactory();
    expect(await factory.codeScanner(undefined)).toBeUndefined();
    expect(await factory.codeScanner({ kind: 'none' })).toBeUndefined();
    expect(await factory.ticketPrinter({ kind: 'none' })).toBeUndefined();
    expect(factory.a4Printer({ kind: 'none' }, '/nonexistent')).toBeUndefined();
  });
});
