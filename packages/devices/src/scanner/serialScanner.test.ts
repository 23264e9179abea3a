import { afterEach, describe, expect, it } from 'vitest';
import type { PtyHarness } from '../testing/ptyHarness';
import { openPtyHarness, waitFor } from '../testing/ptyHarness';
import type { DeviceError } from '../transport/errors';
import { SerialCodeScanner } from './serialScanner';
import { SerialScannerSimulator } from './simulator';
import type { Scan } from './types';
import { collectScans } from './types';

let harness: PtyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(encoding: 'utf8' | 'gb18030' = 'utf8'): Promise<{ scanner: SerialCodeScanner; sim: SerialScannerSimulator; h: PtyHarness }> {
  const h = await openPtyHarness();
  harness = h;
  const scanner = new SerialCodeScanner({ link: h.host, encoding, partialTimeoutMs: 50 });
  const sim = new SerialScannerSimulator(h.device, { encoding });
  scanner.start();
  sim.start();
  await Promise.all([h.host.waitOpen(2000), h.device.waitOpen(2000)]);
  return { scanner, sim, h };
}

describe('SerialCodeScanner ↔ simulator over a pty', () => {
  it('emits exactly one scan per code with CR LF suffixes', async () => {
    const { scanner, sim } = await setup();
    const scans = collectScans(scanner, 3);
    await sim.scan('HALL:DEPOSIT:0001');
    await sim.scan('https://example.invalid/q?a=1');
    await sim.scan('A023');
    expect((await scans).map((s: Scan) => s.code)).toEqual(['HALL:DEPOSIT:0001', 'https://example.invalid/q?a=1', 'A023']);
  });

  it('decodes GB18030 scanners', async () => {
    const { scanner, sim } = await setup('gb18030');
    const scans = collectScans(scanner, 1);
    await sim.scan('取件码 123456');
    expect((await scans)[0]?.code).toBe('取件码 123456');
  });

  it('reports line noise and a truncated code, then scans normally', async () => {
    const { scanner, sim } = await setup();
    const errors: DeviceError[] = [];
    scanner.on('error', (e) => errors.push(e));
    await sim.sendRaw(Uint8Array.of(0x01, 0xff, 0xfe, 0x0d));
    await sim.sendRaw(Buffer.from('HALF-A-CO'));
    await waitFor(() => errors.length >= 2, 2000, 'two errors');
    expect(errors.map((e) => e.code)).toEqual(['frame-malformed', 'frame-truncated']);
    const scans = collectScans(scanner, 1);
    await sim.scan('WHOLE');
    expect((await scans)[0]?.code).toBe('WHOLE');
  });

  it('keeps scanning after unplug and replug', async () => {
    const { scanner, sim, h } = await setup();
    await h.unplug();
    expect(scanner.health.level).toBe('offline');
    await h.replug();
    expect(scanner.health.level).toBe('ok');
    const scans = collectScans(scanner, 1);
    await sim.scan('AFTER-REPLUG');
    expect((await scans)[0]?.code).toBe('AFTER-REPLUG');
  });
});
