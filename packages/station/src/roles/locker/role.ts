import type { CodeScanner } from '@hall/devices';
import type { EventData, RoleApiHandlers, StationEvent } from '@hall/shared';
import { LockerServerLink, type LockerLinkOptions } from './serverLink';
import { LockerStation, type LockerStationOptions } from './station';

export interface LockerRoleOptions extends LockerStationOptions {
  link?: LockerLinkOptions;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  /** A serial code scanner (a keyboard-wedge one types into the screen instead). */
  codeScanner?: CodeScanner;
}

export interface LockerRole {
  station: LockerStation;
  link: LockerServerLink | undefined;
  handlers: RoleApiHandlers<'locker'>;
  close(): Promise<void>;
}

/** The locker station role: the locker logic, its link to the central API and its API methods. */
export async function startLockerRole(options: LockerRoleOptions): Promise<LockerRole> {
  const { link: linkOptions, emit, codeScanner, ...stationOptions } = options;
  const station = new LockerStation(stationOptions);
  station.on('changed', (status) => emit('locker.status', status));
  station.on('alarm', (alarm) => emit('locker.alarm', alarm));
  await station.start();
  // A failed scan already answers as a refusal; a thrown one (store gone) leaves the screen as it was.
  codeScanner?.on('scan', ({ code }) => void station.scan(code).then((result) => emit('locker.scanned', result), () => undefined));
  const link = linkOptions ? new LockerServerLink(station, linkOptions) : undefined;
  link?.start();
  const handlers: RoleApiHandlers<'locker'> = {
    'locker.status': () => station.status(),
    'locker.scan': ({ text }) => station.scan(text),
    'locker.pickupWithCard': ({ pickupCode }) => station.pickupWithCard(pickupCode),
  };
  return {
    station,
    link,
    handlers,
    async close() {
      await link?.stop();
      await station.stop();
    },
  };
}
