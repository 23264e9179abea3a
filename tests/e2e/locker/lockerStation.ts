// A locker station as its own process (so a test can kill -9 it): the shared station
// runtime in browser mode plus the locker role, its lock boards on a serial port.
import { parseStationConfig } from '@hall/station';
import { startLockerStation } from '@hall/station/roles/locker';
import type { LockerLayout } from '@hall/shared';

export interface LockerProcessArgs {
  config: unknown;
  serialPath: string;
  /** The ID-card reader's serial port. */
  cardPath: string;
  layout: LockerLayout;
  leftOpenAfterMs: number;
  /** The hall's unclaimed period, shortened by a test that cannot wait six months. */
  unclaimedDays?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as LockerProcessArgs;
  // The production entry (startLockerStation) from a config naming the test's serial ports.
  const config = parseStationConfig({
    ...(args.config as Record<string, unknown>),
    devices: { lockerController: { kind: 'serial', path: args.serialPath, baudRate: 9600 }, idCardReader: { kind: 'serial', path: args.cardPath, baudRate: 115200 } },
    locker: { layout: args.layout, leftOpenAfterMs: args.leftOpenAfterMs, cardWaitMs: 8000, ...(args.unclaimedDays === undefined ? {} : { unclaimedDays: args.unclaimedDays }) },
  });
  const station = await startLockerStation(config, {
    host: true,
    doorPollMs: 150,
    link: { intervalMs: 300, backoffMaxMs: 1000, keyRefreshMs: 60_000, timeoutMs: 1500 },
    sync: { pollIntervalMs: 500, backoffBaseMs: 50, backoffMaxMs: 500, stallMs: 5000 },
  });
  process.stdout.write(`READY ${station.runtime.host?.url ?? ''}\n`);
  const stop = async () => {
    await station.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

// A lock-board timeout that escapes a driver promise (seen in devices' FramedChannel when a
// reply times out while the write is still pending) must not take the locker down.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`locker station: unhandled rejection: ${(reason as Error).message ?? String(reason)}\n`);
});

void main().catch((error: unknown) => {
  process.stderr.write(`locker station failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
