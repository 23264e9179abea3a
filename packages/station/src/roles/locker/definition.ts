import type { RoleDefinition } from '../../assembly/role';
import { centralApiBase } from '../../central/client';
import { openLockerDevices, type LockerDevices } from './devices';
import { startLockerRole, type LockerRole } from './role';
import type { LockerLinkOptions } from './serverLink';

export interface LockerDefinitionOptions {
  /** Tuning of the locker's own link to the central API (tests shorten it). */
  link?: Pick<LockerLinkOptions, 'intervalMs' | 'backoffMaxMs' | 'keyRefreshMs' | 'timeoutMs'>;
  doorPollMs?: number;
}

export interface LockerParts {
  role: LockerRole;
}

/**
 * The 24-hour locker (a role of the kiosk app): compartments and unclaimed period from
 * `locker`, lock boards and the ID-card reader from `devices`, its own store and link to the
 * central API for keys and its outbox.
 */
export const lockerDefinition: RoleDefinition<LockerDefinitionOptions, LockerDevices, LockerParts> = {
  role: 'locker',
  check(config) {
    if (config.role !== 'locker' || !config.locker) throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a locker with a layout`);
    if (!config.devices.lockerController) throw new Error(`locker ${config.deviceId}: "devices.lockerController" (the lock boards) is not configured`);
  },
  openDevices: (config) => openLockerDevices(config),
  async start(station, options) {
    const { config, devices } = station;
    const locker = config.locker;
    if (!locker) throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a locker with a layout`);
    const role = await startLockerRole({
      file: `${config.dataDir}/locker.sqlite`,
      hallId: config.hallId,
      layout: locker.layout,
      controller: devices.controller,
      ...(devices.idCardReader ? { idCardReader: devices.idCardReader } : {}),
      ...(devices.codeScanner ? { codeScanner: devices.codeScanner } : {}),
      cardWaitMs: locker.cardWaitMs,
      leftOpenAfterMs: locker.leftOpenAfterMs,
      unclaimedDays: locker.unclaimedDays,
      ...(options.doorPollMs ? { doorPollMs: options.doorPollMs } : {}),
      emit: station.emit,
      // The station enrolled before the role started: the link's first round already has the credential.
      link: { baseUrl: centralApiBase(config.apiUrl), headers: () => station.client.authHeaders(), ...options.link },
    });
    return {
      handlers: role.handlers,
      // No door is open: a staged update may restart the station now.
      isIdle: () => role.station.status().compartments.every((c) => !c.doorOpen),
      parts: { role },
      close: () => role.close(),
    };
  },
};
