import { dirname, join } from 'node:path';
import { methodsForRole } from '@hall/shared';
import { managedDevices } from '../../assembly/devices';
import { handlersFor } from '../../assembly/handlers';
import type { RoleDefinition } from '../../assembly/role';
import { requireCitizenKey } from '../../config/citizenKey';
import type { DeviceManager } from '../../devices/manager';
import { DataKeyKeeper } from '../../residence-code/personal';
import { KeySetRefresher } from '../../residence-code/refresh';
import { centralAppointments, centralBlacklist, centralBlacklistList } from './centralLookups';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

export interface KioskDefinitionOptions {
  /** Tests only: the citizen-hash key; otherwise the central API's, from enrollment (requireCitizenKey). */
  idHashKey?: string;
  enforceOpeningHours: boolean;
  /** Public page where citizens follow the queue (the ticket's QR code). */
  followUrlBase?: string;
  /** How often today's appointments are fetched for offline check-in (also on every lookup while online). */
  appointmentRefreshMs?: number;
}

export interface KioskParts {
  role: KioskRole;
  devices: DeviceManager;
  /** Fetches the residence-code key set into kiosk.db (tests call refresh() to wait for it). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
}

/** The kiosk answers its own methods, and decides ticket.issue and case.submit (their citizen and priority group). */
const KIOSK_METHODS = methodsForRole('kiosk').filter((m) => m.startsWith('kiosk.') || m === 'ticket.issue' || m === 'case.submit');

/** The kiosk: tickets, guided forms, check-in and progress, on its card reader, scanner and printers. */
export const kioskDefinition: RoleDefinition<KioskDefinitionOptions, DeviceManager, KioskParts> = {
  role: 'kiosk',
  check(config) {
    if (config.role !== 'kiosk') throw new Error(`this is the kiosk app; the config says role "${config.role}"`);
  },
  openDevices: managedDevices,
  async start(station, options) {
    const { config, devices } = station;
    const idHashKey = options.idHashKey ?? requireCitizenKey(config, station.env.HALL_ID_HASH_KEY);
    const db = openKioskDb(join(config.dataDir, 'kiosk.db'));
    // The keys that open the citizen's fields sealed in residence codes (码上填表): 0600 beside the
    // credential, fetched with it now and every few minutes, so a scan fills the form offline too.
    const dataKeys = new DataKeyKeeper({
      path: join(dirname(config.enrollment.credentialPath), 'residence-data-keys'),
      apiUrl: config.apiUrl,
      authHeaders: () => station.client.authHeaders(),
    });
    dataKeys.start();
    const role = new KioskRole({
      dataKeys: () => dataKeys.current(),
      db,
      core: station.core,
      emit: station.emit,
      idHashKey,
      idCardReader: devices.idCardReader,
      codeScanner: devices.codeScanner,
      ticketPrinter: devices.ticketPrinter,
      a4Printer: devices.a4Printer,
      blacklist: centralBlacklist(config, station),
      blacklistList: centralBlacklistList(config, station),
      followUrlBase: options.followUrlBase ?? `${config.apiUrl.replace(/\/+$/, '')}/follow`,
      enforceOpeningHours: options.enforceOpeningHours,
      online: () => station.sync.status().online,
      appointments: centralAppointments(config, station),
      ...(station.now ? { now: station.now } : {}),
    });
    // Residence codes verify offline from the key set cached in kiosk.db; refreshed now and every few minutes.
    const residenceKeys = new KeySetRefresher(role.codes.keys, { apiUrl: config.apiUrl });
    residenceKeys.start();
    // Stations keep today's appointments for offline check-in: fetched now and every few minutes.
    const refreshAppointments = () => void role.refreshAppointments().catch(() => undefined);
    refreshAppointments();
    const appointmentTimer = setInterval(refreshAppointments, options.appointmentRefreshMs ?? 5 * 60_000);
    // The hall's blacklist likewise, and at once when the central API says it changed (a lift, a new bar).
    const refreshBlacklist = () => void role.refreshBlacklist().catch(() => undefined);
    refreshBlacklist();
    const blacklistTimer = setInterval(refreshBlacklist, options.appointmentRefreshMs ?? 5 * 60_000);
    const onPoke = (topic: string) => {
      if (topic === 'blacklist') refreshBlacklist();
    };
    station.sync.on('poke', onPoke);
    return {
      handlers: handlersFor(role.handlers(), KIOSK_METHODS),
      // Nobody is using the kiosk (home screen, no citizen data, no print).
      isIdle: () => role.isIdle(),
      parts: { role, devices, residenceKeys, dataKeys },
      async close() {
        clearInterval(appointmentTimer);
        clearInterval(blacklistTimer);
        station.sync.off('poke', onPoke);
        residenceKeys.stop();
        dataKeys.stop();
        role.close();
        db.close();
      },
    };
  },
};
