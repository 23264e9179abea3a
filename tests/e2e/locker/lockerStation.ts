// A locker station as its own process (so a test can kill -9 it): the shared station
// runtime in browser mode plus the locker role, its lock boards on a serial port.
import { Board8aController, SamIdCardReader, SerialLink } from '../../../packages/devices/src/index';
import { parseStationConfig, startStation, type StationRuntime } from '../../../packages/station/src/index';
import { startLockerRole } from '../../../packages/station/src/roles/locker/index';
import type { EventData, LockerLayout, StationEvent } from '../../../packages/shared/src/index';

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
  const config = parseStationConfig(args.config);
  const link = new SerialLink({ path: args.serialPath, baudRate: 9600, reopenIntervalMs: 100 });
  const controller = new Board8aController({ link, timeoutMs: 400, openGapMs: 50 });
  controller.start();
  await link.waitOpen(5000);
  const cardLink = new SerialLink({ path: args.cardPath, baudRate: 115200, reopenIntervalMs: 100 });
  const idCardReader = new SamIdCardReader({ link: cardLink, timeoutMs: 1000 });
  idCardReader.start();
  // Filled once the runtime is up; the role's callbacks reach it through this holder.
  const late: { runtime?: StationRuntime } = {};
  // Events before the host is up have no listener; the screen asks for the status on connect.
  const emit = <E extends StationEvent>(event: E, data: EventData<E>) => late.runtime?.host?.emit(event, data);
  const role = await startLockerRole({
    file: `${config.dataDir}/locker.sqlite`,
    hallId: config.hallId,
    layout: args.layout,
    controller,
    idCardReader,
    cardWaitMs: 8000,
    doorPollMs: 150,
    leftOpenAfterMs: args.leftOpenAfterMs,
    ...(args.unclaimedDays === undefined ? {} : { unclaimedDays: args.unclaimedDays }),
    emit,
    link: { baseUrl: `${config.apiUrl}/api/v1`, headers: () => late.runtime?.client.authHeaders() ?? {}, intervalMs: 300, keyRefreshMs: 60_000, timeoutMs: 1500 },
  });
  const runtime = await startStation(config, { host: true, extraHandlers: role.handlers, sync: { pollIntervalMs: 500, backoffBaseMs: 50, backoffMaxMs: 500, stallMs: 5000 } });
  late.runtime = runtime;
  void role.link?.round();
  process.stdout.write(`READY ${runtime.host?.url ?? ''}\n`);
  const stop = async () => {
    await role.close();
    await runtime.stop();
    await controller.close();
    await idCardReader.close();
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
