import type { EventData, StationApiHandlers, StationEvent } from '@hall/shared';
import { LockerServerLink, type LockerLinkOptions } from './serverLink';
import { LockerStation, type LockerStationOptions } from './station';

export interface LockerRoleOptions extends LockerStationOptions {
  link?: LockerLinkOptions;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
}

export interface LockerRole {
  station: LockerStation;
  link: LockerServerLink | undefined;
  handlers: StationApiHandlers;
  close(): Promise<void>;
}

/** The locker station role: the locker logic, its link to the central API and its API methods. */
export async function startLockerRole(options: LockerRoleOptions): Promise<LockerRole> {
  const { link: linkOptions, emit, ...stationOptions } = options;
  const station = new LockerStation(stationOptions);
  station.on('changed', (status) => emit('locker.status', status));
  station.on('alarm', (alarm) => emit('locker.alarm', alarm));
  await station.start();
  const link = linkOptions ? new LockerServerLink(station, linkOptions) : undefined;
  link?.start();
  const handlers: StationApiHandlers = {
    'locker.status': () => station.status(),
    'locker.scan': ({ text }) => station.scan(text),
    'locker.deposit': ({ codes }) => station.deposit(codes),
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
