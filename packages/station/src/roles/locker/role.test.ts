import { afterEach, describe, expect, it } from 'vitest';
import { Board8aController, LockBusSimulator, SerialCodeScanner, SerialScannerSimulator, waitFor } from '@hall/devices';
import { openPtyHarness } from '@hall/devices/testing';
import type { LockerScanResult } from '@hall/shared';
import { startLockerRole, type LockerRole } from './role';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('the locker role with a serial code scanner', () => {
  it('handles a code read on the scanner as one typed on the screen, and tells the screen what it did', async () => {
    const boards = await openPtyHarness({ baudRate: 9600 });
    const line = await openPtyHarness({ baudRate: 9600 });
    closers.push(() => boards.close(), () => line.close());
    new LockBusSimulator(boards.device, { protocol: { kind: '8a80' }, boards: { 1: 2 } }).start();
    const controller = new Board8aController({ link: boards.host, timeoutMs: 400, openGapMs: 10 });
    controller.start();
    closers.push(() => controller.close());
    const scannerSim = new SerialScannerSimulator(line.device);
    scannerSim.start();
    const codeScanner = new SerialCodeScanner({ link: line.host });
    codeScanner.start();
    closers.push(() => codeScanner.close());
    const scanned: LockerScanResult[] = [];
    const role: LockerRole = await startLockerRole({
      file: ':memory:',
      hallId: 'hall-1',
      layout: { compartments: [{ id: 'A01', board: 1, lock: 1, size: 'small' }] },
      controller,
      codeScanner,
      emit: (event, data) => {
        if (event === 'locker.scanned') scanned.push(data as LockerScanResult);
      },
    });
    closers.push(() => role.close());
    await Promise.all([line.host.waitOpen(2000), line.device.waitOpen(2000)]);
    // A code the locker cannot verify (it holds no keys here): refused, on the screen as if typed there.
    await scannerSim.scan('HRC1.AAAAthis-is-not-a-code');
    await waitFor(() => scanned.length === 1, 3000, 'the scan reached the screen');
    expect(scanned[0]?.kind).toBe('refused');
  });
});
