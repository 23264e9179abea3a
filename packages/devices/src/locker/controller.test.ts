import { afterEach, describe, expect, it } from 'vitest';
import type { PtyHarness } from '../testing/ptyHarness';
import { nextEvent, openPtyHarness } from '../testing/ptyHarness';
import type { DeviceError } from '../transport/errors';
import { Board8aController } from './board8a';
import type { BusLockerController } from './controller';
import { KerongCuController } from './kerongCu';
import type { LockProtocolChoice } from './simulator';
import { LockBusSimulator } from './simulator';
import type { DoorState, LockAddress } from './types';

let harness: PtyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(protocol: LockProtocolChoice): Promise<{ locker: BusLockerController; sim: LockBusSimulator; h: PtyHarness }> {
  const h = await openPtyHarness({ baudRate: 9600 });
  harness = h;
  const cuLocks = protocol.kind === 'kerong' ? (protocol.channels ?? 16) : 24;
  const sim = new LockBusSimulator(h.device, { protocol, boards: { [protocol.kind === 'kerong' ? 0 : 1]: cuLocks, 2: cuLocks } });
  const locker =
    protocol.kind === 'kerong'
      ? new KerongCuController({ link: h.host, timeoutMs: 150, settleMs: 5, openGapMs: 1, channels: protocol.channels ?? 16 })
      : new Board8aController({ link: h.host, timeoutMs: 150, openGapMs: 1, board: protocol.options ?? {} });
  sim.start();
  locker.start();
  await Promise.all([h.host.waitOpen(2000), h.device.waitOpen(2000)]);
  return { locker, sim, h };
}

const variants: [string, LockProtocolChoice, number, number][] = [
  ['8A/80 closed-is-set, high-first', { kind: '8a80' }, 1, 2],
  ['8A/80 open-is-set, low-first, 6-byte bitmap', { kind: '8a80', options: { polarity: 'open-is-set', bitmapOrder: 'low-first', bitmapBytes: 6 } }, 1, 2],
  ['Kerong CU16', { kind: 'kerong', channels: 16 }, 0, 2],
  ['Kerong CU48', { kind: 'kerong', channels: 48 }, 0, 2],
];

describe.each(variants)('%s over a pty', (_name, protocol, boardA, boardB) => {
  it('opens a lock, reports it in the bitmap, and keeps boards apart', async () => {
    const { locker, sim } = await setup(protocol);
    expect(await locker.open(boardA, 3)).toEqual({ board: boardA, lock: 3, opened: true });
    expect(sim.isOpen(boardA, 3)).toBe(true);
    expect(sim.isOpen(boardB, 3)).toBe(false);
    expect(await locker.isOpen(boardA, 3)).toBe(true);
    const states = await locker.status(boardA);
    expect(states.filter((s) => s.open).map((s) => s.lock)).toEqual([3]);
    sim.closeDoor(boardA, 3);
    expect(await locker.isOpen(boardA, 3)).toBe(false);
  });

  it('opens several, reports a jammed lock as not opened with a health warning', async () => {
    const { locker, sim } = await setup(protocol);
    sim.jam(boardB, 5);
    const results = await locker.openMany(boardB, [4, 5, 6]);
    expect(results.map((r) => r.opened)).toEqual([true, false, true]);
    expect(locker.health.issues.map((i) => i.code)).toContain(`jammed-${boardB}-5`);
  });

  it('times out on a board that is not on the bus, then still serves the others', async () => {
    const { locker } = await setup(protocol);
    await expect(locker.status(9)).rejects.toThrow(/no reply within 150 ms/);
    expect(locker.health).toMatchObject({ level: 'error' });
    expect((await locker.status(boardA)).length).toBeGreaterThan(0);
    expect(locker.health.issues.map((i) => i.code)).toEqual(['board-9-no-response']);
  });

  it.each(['corrupt', 'truncated', 'garbage-only'] as const)('recovers after a %s reply', async (fault) => {
    const { locker, sim } = await setup(protocol);
    const errors: DeviceError[] = [];
    locker.on('error', (e) => errors.push(e));
    sim.injectFault(fault);
    await expect(locker.status(boardA)).rejects.toThrow(/no reply/);
    expect(errors.length).toBeGreaterThan(0);
    expect((await locker.status(boardA)).every((s) => !s.open)).toBe(true);
  });

  it('skips junk before a reply', async () => {
    const { locker, sim } = await setup(protocol);
    sim.injectFault('garbage-prefix');
    expect((await locker.status(boardA)).length).toBeGreaterThan(0);
  });

  it('survives unplug and replug', async () => {
    const { locker, sim, h } = await setup(protocol);
    await h.unplug();
    await expect(locker.open(boardA, 1)).rejects.toThrow(/not connected/);
    expect(locker.health.level).toBe('offline');
    await h.replug();
    expect((await locker.open(boardA, 1)).opened).toBe(true);
    expect(sim.isOpen(boardA, 1)).toBe(true);
  });

  it('monitors doors: change events and a door left open', async () => {
    const { locker, sim } = await setup(protocol);
    const doors: DoorState[] = [];
    locker.on('door', (d) => doors.push(d));
    locker.startMonitoring([boardA], { intervalMs: 10, leftOpenAfterMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await locker.open(boardA, 2);
    const [left] = await nextEvent<[LockAddress]>(locker, 'doorLeftOpen', 3000);
    expect(left).toEqual({ board: boardA, lock: 2 });
    expect(locker.health.issues.map((i) => i.code)).toContain('door-left-open');
    sim.closeDoor(boardA, 2);
    await nextEvent(locker, 'health', 3000);
    locker.stopMonitoring();
    expect(doors).toContainEqual({ board: boardA, lock: 2, open: true });
    expect(locker.health.issues.map((i) => i.code)).not.toContain('door-left-open');
  });
});

describe('argument checks', () => {
  it('rejects lock numbers outside the board', async () => {
    const { locker } = await setup({ kind: '8a80' });
    await expect(locker.open(1, 25)).rejects.toThrow(/lock 25 is not 1–24/);
    await expect(locker.open(1, 0)).rejects.toThrow(/lock 0/);
  });
});
