import { afterEach, describe, expect, it } from 'vitest';
import {
  LockBusSimulator,
  OnbonCallScreen,
  OnbonScreenSimulator,
  screenTexts,
  EscPosPrinter,
  PrinterSimulator,
  renderTicket,
  sampleTicket,
} from '@hall/devices';
import { openPtyHarness } from '@hall/devices/testing';
import { startSimControl, type SimControl } from './simControl';

const TOKEN = 'sim-control-test-token_0123456789abcdef';

let sim: SimControl | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('station simulator control', () => {
  it('answers only a bearer of the station token', async () => {
    // No simulated devices: an authorised request reaches the routes and is told so.
    sim = await startSimControl({}, TOKEN);
    const printer = (headers: Record<string, string>) => fetch(`${sim?.url}/printer`, { headers });
    expect((await printer({})).status).toBe(401);
    expect((await printer({ authorization: 'Bearer wrong-token-wrong-token-wrong' })).status).toBe(401);
    const authorised = await printer({ authorization: `Bearer ${TOKEN}` });
    expect(authorised.status).toBe(404);
    expect(await authorised.json()).toEqual({ error: 'no simulated printer' });
    const placed = await fetch(`${sim.url}/idcard`, { method: 'POST', body: '{}' });
    expect(placed.status).toBe(401);
  });
});

describe('station simulator control: slips and doors', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('shows a printed ticket as the paper looks, newest first, with the codes it carries', async () => {
    const line = await openPtyHarness();
    closers.push(() => line.close());
    const printerSim = new PrinterSimulator(line.device);
    const printer = new EscPosPrinter(line.host, { statusTimeoutMs: 300, openTimeoutMs: 300 });
    printerSim.start();
    printer.start();
    sim = await startSimControl({ printer: printerSim }, TOKEN);
    expect((await call('GET', '/printer/slips')).json).toEqual({ slips: [] });
    expect((await printer.print(renderTicket(sampleTicket))).ok).toBe(true);
    const { json } = await call('GET', '/printer/slips');
    const [slip] = json.slips as { index: number; svg: string; codes: string[] }[];
    expect(slip?.index).toBe(0);
    expect(slip?.svg).toMatch(/^<svg/);
    expect(slip?.svg).toContain('A023');
    expect(slip?.svg).toContain('class="qr"');
    expect(slip?.codes).toEqual([sampleTicket.followUrl]);
    expect((await call('GET', '/devices')).json).toMatchObject({ printer: { printed: 1, condition: { paperOut: false } } });
    await printer.close();
  });

  it('stalls the printer: nothing is answered or printed until it runs again', async () => {
    const line = await openPtyHarness();
    closers.push(() => line.close());
    const printerSim = new PrinterSimulator(line.device);
    const printer = new EscPosPrinter(line.host, { statusTimeoutMs: 300, openTimeoutMs: 300 });
    printerSim.start();
    printer.start();
    sim = await startSimControl({ printer: printerSim }, TOKEN);
    expect((await call('POST', '/printer/stall', { stalled: true })).json).toEqual({ stalled: true });
    const stalled = await printer.print(renderTicket(sampleTicket));
    expect(stalled).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(printerSim.record.jobs).toHaveLength(0);
    expect((await call('POST', '/printer/stall', { stalled: 'yes' })).status).toBe(400);
    expect((await call('POST', '/printer/stall', { stalled: false })).json).toEqual({ stalled: false });
    expect((await printer.print(renderTicket(sampleTicket))).ok).toBe(true);
    await printer.close();
  });

  it('lists the doors, pushes one shut and jams another; a lock not on the bus is refused', async () => {
    const line = await openPtyHarness({ baudRate: 9600 });
    closers.push(() => line.close());
    const bus = new LockBusSimulator(line.device, { protocol: { kind: '8a80' }, boards: { 1: 2 } });
    bus.start();
    sim = await startSimControl({ lockBus: bus }, TOKEN);
    expect((await call('GET', '/locks')).json).toEqual({
      locks: [
        { board: 1, lock: 1, open: false, jammed: false },
        { board: 1, lock: 2, open: false, jammed: false },
      ],
    });
    expect((await call('POST', '/locks/jam', { board: 1, lock: 2, jammed: true })).status).toBe(200);
    expect(bus.locks()[1]?.jammed).toBe(true);
    expect((await call('POST', '/locks/close', { board: 1, lock: 1 })).status).toBe(200);
    expect(bus.isOpen(1, 1)).toBe(false);
    expect(await call('POST', '/locks/close', { board: 2, lock: 1 })).toEqual({ status: 400, json: { error: 'no lock 1 on board 2' } });
    expect((await call('POST', '/locks/jam', { board: 1, lock: 1 })).status).toBe(400);
  });

  it('shows what the LED strip and counter signs show, and the wall\'s last announcement with its sound', async () => {
    const line = await openPtyHarness({ baudRate: 9600 });
    closers.push(() => line.close());
    const signs = new OnbonScreenSimulator(line.device, [1, 10]);
    signs.start();
    const screen = new OnbonCallScreen({ link: line.host, timeoutMs: 500 });
    screen.start();
    closers.push(() => screen.close());
    let last: { text: string; clip?: { mimeType: 'audio/wav'; dataBase64: string; durationMs: number } } | undefined;
    sim = await startSimControl({ callScreens: { simulator: signs, names: { 1: 'counter.1', 10: 'strip' } }, voice: { last: () => last } }, TOKEN);
    expect((await call('GET', '/devices')).json).toEqual({
      signs: [
        { address: 1, name: 'counter.1', text: null },
        { address: 10, name: 'strip', text: null },
      ],
      announcement: null,
    });
    expect(await call('GET', '/announcement/clip')).toEqual({ status: 404, json: { error: 'nothing spoken yet' } });
    await screen.show(10, screenTexts.called('A001', '1'));
    last = { text: '请A001号到1号窗口办理' };
    expect((await call('GET', '/devices')).json).toMatchObject({
      signs: [{ text: null }, { text: screenTexts.called('A001', '1') }],
      announcement: { text: '请A001号到1号窗口办理', hasSound: false },
    });
    last = { ...last, clip: { mimeType: 'audio/wav', dataBase64: 'UklGRg==', durationMs: 1200 } };
    expect(await call('GET', '/announcement/clip')).toEqual({ status: 200, json: last.clip });
  });
});
