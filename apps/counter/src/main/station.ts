import { dirname, join } from 'node:path';
import { parseHandoffSlipCode, parseReceiptQr, type EventData, type StationApiHandlers, type StationEvent } from '@hall/shared';
import {
  refuseConfiguredLanKey,
  requireCitizenKey,
  stationApiHandlers,
  startStation,
  type StationConfig,
  type StationRuntime,
  type SyncEngineOptions,
  DeviceManager,
  attachLanCallFeed,
  startLanCallSender,
  type LanPeer,
  DataKeyKeeper,
  KeySetRefresher,
  StationCodeVerifier,
} from '@hall/station';
import {
  CounterResidenceCodes,
  looksLikeResidenceCode,
  handoffScanned,
  callPadAction,
  CounterRole,
  delegatedDepositCodes,
  DepositDelegationKeeper,
  counterRoleHandlers,
  syncCentralLogin,
  httpDepartments,
  httpDepositCodes,
  httpStanding,
  openCounterDb,
  saneScanner,
  syncCaseForms,
  type PageScanner,
} from '@hall/station/roles/counter';

export interface CounterStationOptions {
  /** Browser mode: serve the renderer and the API over the station's local port. */
  host?: boolean;
  sync?: SyncEngineOptions;
  now?: () => number;
  /** The central API's address as phones reach it (the receipt's track link); the station's apiUrl by default. */
  publicBaseUrl?: string;
  /** Tests only: the citizen-hash key; otherwise the central API's, from enrollment (requireCitizenKey). */
  idHashKey?: string;
  /** The SANE scanner; by default the device named by HALL_SANE_DEVICE (e.g. `fujitsu:fi-7160:1234`), if set. */
  scanner?: PageScanner;
  /**
   * The LAN call feed: every call, recall and window state also goes straight to the hall's
   * displays, so calling keeps working on the wall while the central API is away. Sealed
   * with the hall's LAN key ring from the central API (StationRuntime.lanKeys); `key` is for
   * developer stations only and refused on a deployed one.
   */
  lan?: { key?: string; peers: readonly LanPeer[]; broadcast?: { address: string; port: number } };
}

export interface CounterStation {
  runtime: StationRuntime;
  role: CounterRole;
  devices: DeviceManager;
  /** The residence-code key set refresher (tests refresh it on demand). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (码上受理; tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
  /** The counter's delegated deposit key (offline deposit codes); tests refresh it on demand. */
  depositKey: DepositDelegationKeeper;
  url: string | undefined;
  stop(): Promise<void>;
}

/** Methods the counter role answers: registered before the runtime exists, bound once it does. */
const ROLE_METHODS = [
  'counter.open', 'counter.pause', 'counter.resume', 'counter.callNext', 'counter.callSpecific',
  'counter.recall', 'counter.markMissed', 'counter.transfer', 'counter.startServing', 'counter.finish', 'counter.addMatter',
  'clerk.login', 'clerk.logout', 'clerk.session', 'case.listForTicket', 'case.open', 'case.updateForm',
  'case.checkMaterial', 'case.checkIdentity', 'case.accept', 'case.refuse', 'case.setDelivery', 'capture.addPage',
  'capture.scan', 'capture.reorder', 'capture.removePage', 'capture.pageImage', 'capture.pdf', 'print.reprint',
  'history.today', 'rating.pending', 'rating.submit', 'case.form', 'case.get', 'caseFile.find', 'caseFile.findByCard', 'caseFile.get',
  'caseFile.recordSupplement', 'caseFile.complete', 'caseFile.handOver', 'caseFile.requestWithdrawal', 'caseFile.requestConsult', 'caseFile.changeDelivery',
  'announcements.unread', 'announcements.read',
  'handoff.candidates', 'handoff.start', 'handoff.scan', 'handoff.preview',
] as const satisfies readonly (keyof StationApiHandlers)[];

/**
 * One counter station: the shared station runtime (store, outbox, sync, host) with the
 * counter role on top, plus its devices (printer, ID-card reader, call pad scanner).
 * Used by the browser-mode entry, the Electron main process and the tests alike.
 */
/** The SANE configuration directory the counter's scanner uses (HALL_SANE_CONFIG_DIR), else SANE's own. */
export function saneEnvironment(): { configDir?: string } {
  return process.env.HALL_SANE_CONFIG_DIR ? { configDir: process.env.HALL_SANE_CONFIG_DIR } : {};
}

export async function startCounterStation(config: StationConfig, options: CounterStationOptions = {}): Promise<CounterStation> {
  if (config.role !== 'counter') throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a counter`);
  refuseConfiguredLanKey(config, 'LAN call feed option "key"', options.lan?.key);
  const devices = await DeviceManager.start(config.devices, { dataDir: config.dataDir });
  const binding: { handlers?: StationApiHandlers } = {};
  const late: StationApiHandlers = {};
  for (const method of ROLE_METHODS) {
    (late as Record<string, (p: unknown) => unknown>)[method] = (p: unknown) => {
      const handler = binding.handlers?.[method] as ((p: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`${method} is not ready yet`);
      return handler(p);
    };
  }
  let runtime: StationRuntime;
  try {
    runtime = await startStation(config, {
      ...(options.host === undefined ? {} : { host: options.host }),
      extraHandlers: late,
      ...(options.sync ? { sync: options.sync } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    await devices.close();
    throw error;
  }
  let idHashKey: string;
  try {
    idHashKey = options.idHashKey ?? requireCitizenKey(config, process.env);
  } catch (error) {
    await runtime.stop();
    await devices.close();
    throw error;
  }
  const emit = <E extends StationEvent>(event: E, data: EventData<E>) => runtime.host?.emit(event, data);
  const db = openCounterDb(join(config.dataDir, 'counter.db'));
  // The counter's own deposit-signing key, certified by the central API while online and
  // renewed daily (0600 beside the credential): deposit codes still print while the API is away.
  const depositKey = new DepositDelegationKeeper({
    path: join(dirname(config.enrollment.credentialPath), 'deposit-key'),
    apiUrl: config.apiUrl,
    hallId: config.hallId,
    deviceId: config.deviceId,
    authHeaders: () => runtime.sync.client.authHeaders(),
    ...(options.now ? { now: options.now } : {}),
  });
  depositKey.start();
  const role = new CounterRole({
    core: runtime.core,
    db,
    central: syncCentralLogin(runtime.sync.client),
    signOut: (end) => void runtime.sync.client.clerkSignOut(end, AbortSignal.timeout(4000)).catch(() => {}),
    departments: httpDepartments(config.apiUrl, config.hallId),
    depositCodes: httpDepositCodes(config.apiUrl, config.hallId),
    // The receipt's QR links the central API's /track page, as the kiosk's slip links /follow.
    publicBaseUrl: options.publicBaseUrl ?? config.apiUrl,
    offlineDepositCodes: delegatedDepositCodes({ hallId: config.hallId, citizenKey: idHashKey, delegation: () => depositKey.current(), ...(options.now ? { now: options.now } : {}) }),
    caseForms: syncCaseForms(runtime.sync.client),
    standing: httpStanding(config.apiUrl, config.hallId, () => runtime.sync.client.authHeaders()),
    online: () => runtime.sync.status().online,
    emit,
    idHashKey,
    ...(devices.ticketPrinter ? { printer: devices.ticketPrinter } : {}),
    ...(devices.idCardReader ? { idCardReader: devices.idCardReader } : {}),
    ...(options.scanner
      ? { scanner: options.scanner }
      : process.env.HALL_SANE_DEVICE
        ? { scanner: saneScanner(process.env.HALL_SANE_DEVICE, saneEnvironment()) }
        : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  binding.handlers = counterRoleHandlers(role, runtime.core, stationApiHandlers(runtime.core, runtime.sync, runtime.rejections));
  // Decisions the central API rejects are undone in counter.db; first any it rejected while this counter was not running.
  for (const rejection of runtime.rejections()) role.centralRejected(rejection);
  runtime.sync.on('rejected', (rejection) => role.centralRejected(rejection));
  // Residence codes are verified here, offline, with keys cached in the counter's database.
  const verifier = new StationCodeVerifier(db, options.now);
  const keyRefresher = new KeySetRefresher(verifier.keys, { apiUrl: config.apiUrl });
  keyRefresher.start();
  // 码上受理: the keys that open the citizen's fields sealed in residence codes, 0600 beside the credential.
  const dataKeys = new DataKeyKeeper({
    path: join(dirname(config.enrollment.credentialPath), 'residence-data-keys'),
    apiUrl: config.apiUrl,
    authHeaders: () => runtime.sync.client.authHeaders(),
  });
  dataKeys.start();
  const residenceCodes = new CounterResidenceCodes({ core: runtime.core, role, verifier, emit, dataKeys: () => dataKeys.current(), ...(options.now ? { now: options.now } : {}) });
  // The counter's code scanner reads residence codes and acceptance receipts (办件查询); as a call pad it sends short codes, run like the shortcuts.
  devices.codeScanner?.on('scan', (scan) => {
    if (parseReceiptQr(scan.code)) {
      emit('counter.caseScanned', role.caseSteps.receipt(scan.code));
      return;
    }
    if (parseHandoffSlipCode(scan.code) || scan.code.startsWith('hall:handoff:')) {
      emit('counter.handoffScanned', handoffScanned(role.handoffs, scan.code, options.now));
      return;
    }
    if (looksLikeResidenceCode(scan.code)) {
      residenceCodes.scanned(scan.code);
      return;
    }
    const action = callPadAction(scan.code);
    if (action) emit('callpad.action', { action });
  });
  const lanSender = options.lan
    ? await startLanCallSender({
        hallId: config.hallId,
        senderId: config.deviceId,
        ...(options.lan.key !== undefined ? { key: options.lan.key } : { keys: () => runtime.lanKeys() }),
        peers: options.lan.peers,
        ...(options.lan.broadcast ? { broadcast: options.lan.broadcast } : {}),
      })
    : undefined;
  const detachLan = lanSender ? attachLanCallFeed(runtime.core, lanSender) : undefined;
  return {
    runtime,
    role,
    devices,
    url: runtime.host?.url,
    residenceKeys: keyRefresher,
    dataKeys,
    depositKey,
    async stop() {
      keyRefresher.stop();
      dataKeys.stop();
      depositKey.stop();
      detachLan?.();
      await lanSender?.close();
      role.close();
      await runtime.stop();
      await devices.close();
    },
  };
}
