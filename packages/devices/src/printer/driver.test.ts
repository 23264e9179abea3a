import { afterEach, describe, expect, it } from 'vitest';
import type { PtyHarness } from '../testing/ptyHarness';
import { openPtyHarness } from '../testing/ptyHarness';
import type { ByteLink } from '../transport/link';
import { TcpLink, TcpServerLink } from '../transport/tcpLink';
import { realtimeStatus } from './escpos/commands';
import { sampleTicket } from './fixtures';
import type { PrintResult, StatusResult } from './driver';
import { EscPosPrinter } from './driver';
import { renderTicket } from './layout/ticket';
import type { PrintedJob } from './sim/printerModel';
import { PrinterSimulator } from './sim/printerSimulator';
import type { StatusMessage } from './status';
import { UsbLpLink } from './usbLpLink';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function overPty(): Promise<{ harness: PtyHarness; sim: PrinterSimulator; printer: EscPosPrinter }> {
  const harness = await openPtyHarness();
  const sim = new PrinterSimulator(harness.device);
  const printer = new EscPosPrinter(harness.host, { statusTimeoutMs: 300, openTimeoutMs: 300 });
  cleanups.push(() => harness.close());
  sim.start();
  printer.start();
  await Promise.all([harness.host.waitOpen(3000), harness.device.waitOpen(3000)]);
  return { harness, sim, printer };
}

function expectTicketJob(job: PrintedJob | undefined): void {
  expect(job?.cut).toBe('partial');
  const texts = job?.items.flatMap((i) => (i.type === 'text' ? [i.text] : []));
  expect(texts).toEqual(expect.arrayContaining(['天河区政务服务中心', 'A023', '户籍证明', '您前面还有 5 人等候', '过号请重新取号']));
  expect(job?.items.find((i) => i.type === 'text' && i.text === 'A023')).toMatchObject({ width: 4, height: 4 });
  expect(job?.items.filter((i) => i.type === 'qr').map((i) => (i.type === 'qr' ? i.payload : ''))).toEqual([
    sampleTicket.followUrl,
  ]);
}

function failed(result: PrintResult): Extract<PrintResult, { ok: false }> {
  if (result.ok) throw new Error('expected the print to fail');
  return result;
}

const healthState = (result: StatusResult): string => (result.ok ? result.health.state : `error:${result.error.code}`);

describe('EscPosPrinter ↔ PrinterSimulator over a socat pty pair', () => {
  it('prints a ticket the simulator decodes: Chinese text, big number, QR payload, cut', async () => {
    const { sim, printer } = await overPty();
    const result = await printer.printTicket(sampleTicket);
    expect(result).toMatchObject({ ok: true, health: { state: 'ok' } });
    expect(sim.record.jobs).toHaveLength(1);
    expectTicketJob(sim.record.jobs[0]);
    expect(sim.record.unknown).toEqual([]);
    expect(printer.health).toMatchObject({ level: 'ok', connected: true });
  });

  it('turns the printer condition into health', async () => {
    const { sim, printer } = await overPty();
    expect(healthState(await printer.status())).toBe('ok');
    sim.setCondition({ paperNearEnd: true });
    expect(healthState(await printer.status())).toBe('paper-near-end');
    expect(printer.health).toMatchObject({ level: 'warning', issues: [{ code: 'paper-near-end' }] });
    sim.setCondition({ paperNearEnd: false, coverOpen: true });
    expect(healthState(await printer.status())).toBe('cover-open');
    sim.setCondition({ coverOpen: false, offline: true });
    expect(healthState(await printer.status())).toBe('offline');
    sim.setCondition({ offline: false, autocutterError: true });
    expect(healthState(await printer.status())).toBe('error');
    sim.setCondition({ autocutterError: false });
    expect(healthState(await printer.status())).toBe('ok');
    expect(printer.health.issues).toEqual([]);
  });

  it('asks for the offline and error causes only when the printer reports itself offline', async () => {
    const { sim, printer } = await overPty();
    expect((await printer.printTicket(sampleTicket)).ok).toBe(true);
    // Before and after the slip: the printer status and the paper sensor, nothing more.
    expect(sim.record.statusQueries.map((q) => q.n)).toEqual([1, 4, 1, 4]);
    sim.setCondition({ coverOpen: true });
    expect(failed(await printer.printTicket(sampleTicket)).error.code).toBe('cover-open');
    expect(sim.record.statusQueries.slice(4).map((q) => q.n)).toEqual([1, 2, 3, 4]);
  });

  it('refuses to print with paper out, returns the rendered ticket, and prints once paper is back', async () => {
    const { sim, printer } = await overPty();
    sim.setCondition({ paperOut: true });
    const result = failed(await printer.printTicket(sampleTicket));
    expect(result.error.code).toBe('paper-out');
    expect(result.error.message).toMatch(/out of paper/);
    expect(result.partial).toBe(false);
    expect(result.rendered).toEqual(renderTicket(sampleTicket));
    expect(result.rendered.preview).toContain('A023');
    expect(sim.record.jobs).toHaveLength(0);
    expect(printer.health).toMatchObject({ level: 'error', issues: [{ code: 'paper-out' }] });

    sim.setCondition({ paperOut: false });
    expect((await printer.print(result.rendered)).ok).toBe(true);
    expect(sim.record.jobs).toHaveLength(1);
    expectTicketJob(sim.record.jobs[0]);
  });

  it('reports a roll that runs out part-way through a ticket as partial, with the ticket returned', async () => {
    const harness = await openPtyHarness();
    cleanups.push(() => harness.close());
    const sim = new PrinterSimulator(harness.device, { paperLines: 6 });
    const printer = new EscPosPrinter(harness.host, { statusTimeoutMs: 300 });
    sim.start();
    printer.start();
    await Promise.all([harness.host.waitOpen(3000), harness.device.waitOpen(3000)]);
    const result = failed(await printer.printTicket(sampleTicket));
    expect(result).toMatchObject({ partial: true, error: { code: 'paper-out' } });
    expect(result.rendered).toEqual(renderTicket(sampleTicket));
    const record = sim.record;
    expect(record.jobs).toHaveLength(0); // never cut: the citizen did not get a whole ticket
    expect(record.uncut.length).toBeGreaterThan(0);
    expect(record.uncut.some((i) => i.type === 'qr')).toBe(false);

    sim.model.loadPaper();
    expect((await printer.print(result.rendered)).ok).toBe(true);
    expectTicketJob(sim.record.jobs[0]);
  });

  it('survives unplug and replug: clear error while unplugged, prints again after', async () => {
    const { harness, sim, printer } = await overPty();
    expect((await printer.printTicket(sampleTicket)).ok).toBe(true);
    await harness.unplug();
    expect(printer.health.connected).toBe(false);
    const whileUnplugged = failed(await printer.printTicket(sampleTicket));
    expect(whileUnplugged.error.code).toBe('disconnected');
    expect(whileUnplugged.rendered.escpos.length).toBeGreaterThan(100);
    await harness.replug();
    const again = await printer.printTicket({ ...sampleTicket, number: 'A024' });
    expect(again.ok).toBe(true);
    const jobs = sim.record.jobs;
    expect(jobs).toHaveLength(2);
    expect(jobs[1]?.items.some((i) => i.type === 'text' && i.text === 'A024')).toBe(true);
  });
});

describe('status replies with garbage around them', () => {
  /** A fake printer on the device end that answers each DLE EOT with the given bytes. */
  async function scriptedDevice(reply: (n: number) => number[]): Promise<{ printer: EscPosPrinter; unsolicited: StatusMessage[] }> {
    const harness = await openPtyHarness();
    cleanups.push(() => harness.close());
    harness.device.on('data', (chunk) => {
      for (let i = 0; i + 2 < chunk.length; i++) {
        if (chunk[i] === 0x10 && chunk[i + 1] === 0x04) void harness.device.write(Uint8Array.from(reply(chunk[i + 2] ?? 0)));
      }
    });
    const printer = new EscPosPrinter(harness.host, { statusTimeoutMs: 200 });
    const unsolicited: StatusMessage[] = [];
    printer.on('unsolicited', (m) => unsolicited.push(m));
    harness.device.start();
    printer.start();
    await Promise.all([harness.host.waitOpen(3000), harness.device.waitOpen(3000)]);
    return { printer, unsolicited };
  }

  it('skips ASB blocks, GS r replies, XON/XOFF and junk before the real reply', async () => {
    // Each answer: junk 0xff, XOFF, an ASB block, a GS r byte, then the DLE EOT reply (paper near end on n=4).
    const { printer, unsolicited } = await scriptedDevice((n) => [0xff, 0x13, 0x14, 0x00, 0x00, 0x0f, 0x03, n === 4 ? 0x1e : 0x12]);
    expect(healthState(await printer.status())).toBe('paper-near-end');
    expect(unsolicited.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['garbage', 'xoff', 'asb', 'transmit']),
    );
  });

  it('times out with a clear error when only junk comes back, and does not print', async () => {
    const { printer } = await scriptedDevice(() => [0xff, 0x80, 0x03]);
    const status = await printer.status();
    expect(status).toMatchObject({ ok: false, error: { code: 'timeout', message: expect.stringMatching(/DLE EOT 1.*200 ms/) } });
    expect(printer.health.issues).toEqual([expect.objectContaining({ code: 'no-reply' })]);
    const print = failed(await printer.printTicket(sampleTicket));
    expect(print.error.code).toBe('timeout');
    expect(print.rendered.escpos).toEqual(renderTicket(sampleTicket).escpos);
  });
});

describe('other links', () => {
  async function roundTrip(simLink: ByteLink, hostLink: ByteLink): Promise<PrinterSimulator> {
    const sim = new PrinterSimulator(simLink);
    const printer = new EscPosPrinter(hostLink, { statusTimeoutMs: 300 });
    cleanups.push(() => sim.close(), () => printer.close());
    sim.start();
    printer.start();
    expect(await printer.printTicket(sampleTicket)).toMatchObject({ ok: true });
    expect(healthState(await printer.status())).toBe('ok');
    return sim;
  }

  it('prints over TCP (port 9100 style)', async () => {
    const server = new TcpServerLink({ port: 0 });
    const port = await server.listen();
    const sim = await roundTrip(server, new TcpLink({ host: '127.0.0.1', port, reopenIntervalMs: 25 }));
    expectTicketJob(sim.record.jobs[0]);
  });

  it('prints through the USB printer character-device path (a pty stands in for /dev/usb/lp0)', async () => {
    const harness = await openPtyHarness();
    cleanups.push(() => harness.close());
    const sim = await roundTrip(harness.device, new UsbLpLink({ path: harness.pair.hostPath, reopenIntervalMs: 25 }));
    expectTicketJob(sim.record.jobs[0]);
  });

  it('notices the USB device node vanish and reopens it when it is back', async () => {
    const harness = await openPtyHarness();
    cleanups.push(() => harness.close());
    const usb = new UsbLpLink({ path: harness.pair.hostPath, reopenIntervalMs: 25, pollIntervalMs: 10 });
    const sim = await roundTrip(harness.device, usb);
    const printer = new EscPosPrinter(usb, { statusTimeoutMs: 300, openTimeoutMs: 300 });
    await harness.pair.unplug();
    await expect.poll(() => usb.state, { timeout: 2000 }).not.toBe('open');
    expect(failed(await printer.printTicket(sampleTicket)).error.code).toBe('disconnected');
    await harness.pair.replug();
    await usb.waitOpen(3000);
    await harness.device.waitOpen(3000);
    expect((await printer.printTicket({ ...sampleTicket, number: 'B001' })).ok).toBe(true);
    expect(sim.record.jobs.at(-1)?.items.some((i) => i.type === 'text' && i.text === 'B001')).toBe(true);
  });

  it('answers a raw DLE EOT written by any client', async () => {
    const server = new TcpServerLink({ port: 0 });
    const port = await server.listen();
    const sim = new PrinterSimulator(server, { condition: { paperOut: true } });
    const client = new TcpLink({ host: '127.0.0.1', port, reopenIntervalMs: 25 });
    cleanups.push(() => sim.close(), () => client.close());
    sim.start();
    client.start();
    await client.waitOpen(2000);
    const reply = new Promise<Buffer>((resolve) => client.once('data', resolve));
    await client.write(realtimeStatus(4));
    expect([...(await reply)]).toEqual([0x7e]);
  });
});
