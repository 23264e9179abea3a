import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@hall/devices';
import { parseStationConfig } from '../../config/load';
import { startLockerStation, type LockerStationRuntime } from './main';

const dirs: string[] = [];
let running: LockerStationRuntime | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lockerConfig(extra: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'locker-main-'));
  dirs.push(dir);
  return parseStationConfig({
    hallId: 'hall-1',
    role: 'locker',
    deviceId: 'locker-9',
    // Nothing listens there: the locker runs from its own cache.
    apiUrl: 'http://127.0.0.1:1',
    enrollment: { credentialPath: join(dir, 'credential') },
    dataDir: dir,
    ...extra,
  });
}

const layout = { compartments: [{ id: 'A01', board: 1, lock: 1, size: 'small' }, { id: 'A02', board: 1, lock: 2, size: 'large' }] };

describe('a locker station from its config', () => {
  it('drives simulated lock boards over a pty pair with the configured layout and unclaimed period', async () => {
    const config = lockerConfig({ devices: { lockerController: { kind: 'simulated' }, idCardReader: { kind: 'simulated' } }, locker: { layout } });
    expect(config.locker?.unclaimedDays).toBe(182);
    running = await startLockerStation(config);
    expect(running.simulators.lockBus).toBeDefined();
    expect(running.simulators.idCard).toBeDefined();
    const status = running.role.station.status();
    expect(status.compartments.map((c) => [c.id, c.use, c.doorOpen])).toEqual([
      ['A01', 'free', false],
      ['A02', 'free', false],
    ]);
    // The real controller talks to the simulated bus: a door opened through it is open there.
    expect(await running.role.station['options'].controller.open(1, 2)).toBeTruthy();
    await waitFor(() => running!.simulators.lockBus!.isOpen(1, 2), 2000, 'door open on the bus');
  });

  it('refuses a locker config without its layout or its lock boards, saying which', async () => {
    await expect(startLockerStation(lockerConfig({ devices: { lockerController: { kind: 'simulated' } } }))).rejects.toThrow(/not a locker with a layout/);
    await expect(startLockerStation(lockerConfig({ locker: { layout } }))).rejects.toThrow(/"devices.lockerController" \(the lock boards\) is not configured/);
    expect(() => lockerConfig({ locker: { layout, unclaimedDays: 0 } })).toThrow(/locker.unclaimedDays/);
  });
});
