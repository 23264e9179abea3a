import { dirname, join } from 'node:path';
import {
  methodsForRole,
  type EventData,
  type StationApiHandlers,
  type StationEvent,
} from '@hall/shared';
import {
  requireCitizenKey,
  startStation,
  type StationConfig,
  type StationRuntime,
  type SyncEngineOptions,
  DeviceManager,
  DataKeyKeeper,
  KeySetRefresher,
} from '@hall/station';
import { centralAppointments, centralBlacklist, centralBlacklistList, KioskRole, openKioskDb } from '@hall/station/roles/kiosk';

export interface KioskStationOptions {
  /** Serve the renderer and the API over WebSocket (browser mode); Electron passes false. */
  host: boolean;
  /** Tests only: the citizen-hash key; otherwise the central API's, from enrollment (requireCitizenKey). */
  idHashKey?: string;
  enforceOpeningHours: boolean;
  /** Public page where citizens follow the queue (the ticket's QR code). */
  followUrlBase?: string;
  sync?: SyncEngineOptions;
  /** How often today's appointments are fetched for offline check-in (also on every lookup while online). */
  appointmentRefreshMs?: number;
  /** The station's clock (tests put a kiosk at a chosen hour of the hall's day); Date.now otherwise. */
  now?: () => number;
}

export interface KioskStation {
  runtime: StationRuntime;
  devices: DeviceManager;
  role: KioskRole;
  /** Fetches the residence-code key set into kiosk.db (tests call refresh() to wait for it). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
  handlers: StationApiHandlers;
  /** Nobody is using the kiosk (home screen, no citizen data, no print): staged updates may install. */
  isIdle(): boolean;
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  stop(): Promise<void>;
}

/**
 * Kiosk methods delegate to the role once it exists: the role needs the core the runtime
 * opens. ticket.issue and case.submit too: the role decides their citizen and priority group.
 */
function lateHandlers(role: () => KioskRole | undefined): StationApiHandlers {
  const handlers: Record<string, (params: never) => unknown> = {};
  const byRole = (m: string) => m.startsWith('kiosk.') || m === 'ticket.issue' || m === 'case.submit';
  for (const method of methodsForRole('kiosk').filter(byRole)) {
    handlers[method] = (params: never) => {
      const handler = role()?.handlers()[method] as ((p: never) => unknown) | undefined;
      if (!handler) throw new Error(`${method}: kiosk role not started`);
      return handler(params);
    };
  }
  return handlers as StationApiHandlers;
}

/** The kiosk's station: core + sync (runtime), devices from the config, the kiosk role on top. */
export async function startKioskStation(config: StationConfig, options: KioskStationOptions): Promise<KioskStation> {
  if (config.role !== 'kiosk') throw new Error(`this is the kiosk app; the config says role "${config.role}"`);
  const devices = await DeviceManager.start(config.devices, { dataDir: config.dataDir });
  // The role needs the core that startStation opens; its handlers look it up when called.
  const late: { role?: KioskRole } = {};
  const runtime = await startStation(config, {
    host: options.host,
    extraHandlers: lateHandlers(() => late.role),
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.now ? { now: options.now } : {}),
  }).catch(async (error: unknown) => {
    await devices.close();
    throw error;
  });
  const listeners = new Set<<E extends StationEvent>(event: E, data: EventData<E>) => void>();
  const emit = <E extends StationEvent>(event: E, data: EventData<E>) => {
    runtime.host?.emit(event, data);
    for (const listener of listeners) listener(event, data);
  };
  const offRuntime = runtime.onEvent((event, data) => {
    for (const listener of listeners) listener(event, data);
  });
  let idHashKey: string;
  try {
    idHashKey = options.idHashKey ?? requireCitizenKey(config, process.env);
  } catch (error) {
    offRuntime();
    await runtime.stop();
    await devices.close();
    throw error;
  }
  const db = openKioskDb(join(config.dataDir, 'kiosk.db'));
  // The keys that open the citizen's fields sealed in residence codes (码上填表): 0600 beside the
  // credential, fetched with it now and every few minutes, so a scan fills the form offline too.
  const dataKeys = new DataKeyKeeper({
    path: join(dirname(config.enrollment.credentialPath), 'residence-data-keys'),
    apiUrl: config.apiUrl,
    authHeaders: () => runtime.sync.client.authHeaders(),
  });
  dataKeys.start();
  const kioskRole = new KioskRole({
    dataKeys: () => dataKeys.current(),
    db,
    core: runtime.core,
    emit,
    idHashKey,
    idCardReader: devices.idCardReader,
    codeScanner: devices.codeScanner,
    ticketPrinter: devices.ticketPrinter,
    a4Printer: devices.a4Printer,
    blacklist: centralBlacklist(config, runtime),
    blacklistList: centralBlacklistList(config, runtime),
    followUrlBase: options.followUrlBase ?? `${config.apiUrl.replace(/\/+$/, '')}/follow`,
    enforceOpeningHours: options.enforceOpeningHours,
    online: () => runtime.sync.status().online,
    appointments: centralAppointments(config, runtime),
    ...(options.now ? { now: options.now } : {}),
  });
  late.role = kioskRole;
  // Residence codes verify offline from the key set cached in kiosk.db; refreshed now and every few minutes.
  const residenceKeys = new KeySetRefresher(kioskRole.codes.keys, { apiUrl: config.apiUrl });
  residenceKeys.start();
  // Stations keep today's appointments for offline check-in: fetched now and every few minutes.
  const refreshAppointments = () => void kioskRole.refreshAppointments().catch(() => undefined);
  refreshAppointments();
  const appointmentTimer = setInterval(refreshAppointments, options.appointmentRefreshMs ?? 5 * 60_000);
  // The hall's blacklist likewise, and at once when the central API says it changed (a lift, a new bar).
  const refreshBlacklist = () => void kioskRole.refreshBlacklist().catch(() => undefined);
  refreshBlacklist();
  const blacklistTimer = setInterval(refreshBlacklist, options.appointmentRefreshMs ?? 5 * 60_000);
  const onPoke = (topic: string) => {
    if (topic === 'blacklist') refreshBlacklist();
  };
  runtime.sync.on('poke', onPoke);
  return {
    runtime,
    devices,
    role: kioskRole,
    residenceKeys,
    dataKeys,
    handlers: runtime.handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    isIdle: () => kioskRole.isIdle(),
    async stop() {
      clearInterval(appointmentTimer);
      clearInterval(blacklistTimer);
      runtime.sync.off('poke', onPoke);
      offRuntime();
      residenceKeys.stop();
      dataKeys.stop();
      kioskRole.close();
      await runtime.stop();
      await devices.close();
      db.close();
    },
  };
}
