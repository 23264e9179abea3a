import { dirname, join } from 'node:path';
import { parseHandoffSlipCode, parseReceiptQr, type StationApiHandlers, type SyncStatus } from '@hall/shared';
import type { SaneEnvironment } from '@hall/devices';
import { managedDevices } from '../../assembly/devices';
import { handlersFor } from '../../assembly/handlers';
import type { RoleDefinition } from '../../assembly/role';
import { requireCitizenKey } from '../../config/citizenKey';
import { childProcessEnvironment, type StationEnvironment } from '../../config/environment';
import { refuseConfiguredLanKey } from '../../config/lanKeys';
import type { DeviceManager } from '../../devices/manager';
import type { LanPeer } from '../../lan/config';
import { attachLanCallFeed } from '../../lan/feed';
import { startLanCallSender } from '../../lan/sender';
import { DataKeyKeeper } from '../../residence-code/personal';
import { KeySetRefresher } from '../../residence-code/refresh';
import { StationCodeVerifier } from '../../residence-code/verifier';
import { callPadAction } from './rules/callPad';
import { httpDepartments, httpDepositCodes, syncCentralLogin } from './clerkAuth';
import { openCounterDb } from './counterDb';
import { delegatedDepositCodes, DepositDelegationKeeper } from './depositDelegation';
import { handoffScanned } from './handoff';
import { counterRoleHandlers } from './handlers';
import { CounterResidenceCodes, looksLikeResidenceCode } from './residenceCode';
import { CounterRole, saneScanner, syncCaseForms, type PageScanner } from './role';
import { httpStanding } from './standing';
import { counterIdle } from './rules/idle';
import { SessionEndQueue } from './sessionEnds';

export interface CounterDefinitionOptions {
  /** The central API's address as phones reach it (the receipt's track link); the station's apiUrl by default. */
  publicBaseUrl?: string;
  /** Tests only: the citizen-hash key; otherwise the central API's, from enrollment (requireCitizenKey). */
  idHashKey?: string;
  /** The SANE scanner; by default the device named by HALL_SANE_DEVICE (e.g. `fujitsu:fi-7160:1234`), if set. */
  scanner?: PageScanner;
  /**
   * The LAN call feed: every call, recall and window state also goes straight to the hall's
   * displays, so calling keeps working on the wall while the central API is away. Sealed
   * with the hall's LAN key ring from the central API; `key` is for developer stations only
   * and refused on a deployed one.
   */
  lan?: { key?: string; peers: readonly LanPeer[]; broadcast?: { address: string; port: number } };
}

export interface CounterParts {
  role: CounterRole;
  devices: DeviceManager;
  /** The residence-code key set refresher (tests refresh it on demand). */
  residenceKeys: KeySetRefresher;
  /** The residence-code data keys (码上受理; tests call refresh() to wait for them). */
  dataKeys: DataKeyKeeper;
  /** The counter's delegated deposit key (offline deposit codes); tests refresh it on demand. */
  depositKey: DepositDelegationKeeper;
}

/** Methods the counter role answers; the rest are the station's common ones. */
const COUNTER_METHODS = [
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

/** The SANE configuration directory the counter's scanner uses (HALL_SANE_CONFIG_DIR), else SANE's own. */
export function saneEnvironment(env: Partial<Pick<StationEnvironment, 'HALL_SANE_CONFIG_DIR'>>): SaneEnvironment {
  return env.HALL_SANE_CONFIG_DIR ? { processEnv: childProcessEnvironment({ SANE_CONFIG_DIR: env.HALL_SANE_CONFIG_DIR }) } : {};
}

/**
 * One counter: the clerk's window (sign-in, calling, case work, printing, capture) on its
 * printer, ID-card reader and call-pad scanner, plus the LAN call feed to the hall's displays.
 */
export const counterDefinition: RoleDefinition<CounterDefinitionOptions, DeviceManager, CounterParts> = {
  role: 'counter',
  check(config, options) {
    if (config.role !== 'counter') throw new Error(`station ${config.deviceId} is configured as a ${config.role}, not a counter`);
    refuseConfiguredLanKey(config, 'LAN call feed option "key"', options.lan?.key);
  },
  openDevices: managedDevices,
  async start(station, options) {
    const { config, devices, client, emit } = station;
    const now = station.now;
    const idHashKey = options.idHashKey ?? requireCitizenKey(config, station.env.HALL_ID_HASH_KEY);
    const db = openCounterDb(join(config.dataDir, 'counter.db'));
    // The counter's own deposit-signing key, certified by the central API while online and
    // renewed daily (0600 beside the credential): deposit codes still print while the API is away.
    const depositKey = new DepositDelegationKeeper({
      path: join(dirname(config.enrollment.credentialPath), 'deposit-key'),
      apiUrl: config.apiUrl,
      hallId: config.hallId,
      deviceId: config.deviceId,
      authHeaders: () => client.authHeaders(),
      ...(now ? { now } : {}),
    });
    depositKey.start();
    // A sign-out made while the API is away ends the session there once it is back.
    const sessionEnds = new SessionEndQueue(db, (end) => client.clerkSignOut(end, AbortSignal.timeout(4000)));
    void sessionEnds.flush();
    const flushSessionEnds = (status: SyncStatus) => {
      if (status.online) void sessionEnds.flush();
    };
    station.sync.on('status', flushSessionEnds);
    const sane = station.env.HALL_SANE_DEVICE;
    const scanner = options.scanner ?? (sane ? saneScanner(sane, saneEnvironment(station.env)) : undefined);
    const role = new CounterRole({
      core: station.core,
      db,
      central: syncCentralLogin(client),
      signOut: (end) => void sessionEnds.add(end),
      departments: httpDepartments(config.apiUrl, config.hallId),
      depositCodes: httpDepositCodes(config.apiUrl, config.hallId),
      // The receipt's QR links the central API's /track page, as the kiosk's slip links /follow.
      publicBaseUrl: options.publicBaseUrl ?? config.apiUrl,
      offlineDepositCodes: delegatedDepositCodes({ hallId: config.hallId, citizenKey: idHashKey, delegation: () => depositKey.current(), ...(now ? { now } : {}) }),
      caseForms: syncCaseForms(client),
      standing: httpStanding(config.apiUrl, config.hallId, () => client.authHeaders()),
      online: () => station.sync.status().online,
      emit,
      idHashKey,
      ...(devices.ticketPrinter ? { printer: devices.ticketPrinter } : {}),
      ...(devices.idCardReader ? { idCardReader: devices.idCardReader } : {}),
      ...(scanner ? { scanner } : {}),
      ...(now ? { now } : {}),
    });
    // Decisions the central API rejects are undone in counter.db; first any it rejected while this counter was not running.
    for (const rejection of station.rejections()) role.centralRejected(rejection);
    station.sync.on('rejected', (rejection) => role.centralRejected(rejection));
    // Residence codes are verified here, offline, with keys cached in the counter's database.
    const verifier = new StationCodeVerifier(db, now);
    const residenceKeys = new KeySetRefresher(verifier.keys, { apiUrl: config.apiUrl });
    residenceKeys.start();
    // 码上受理: the keys that open the citizen's fields sealed in residence codes, 0600 beside the credential.
    const dataKeys = new DataKeyKeeper({
      path: join(dirname(config.enrollment.credentialPath), 'residence-data-keys'),
      apiUrl: config.apiUrl,
      authHeaders: () => client.authHeaders(),
    });
    dataKeys.start();
    const residenceCodes = new CounterResidenceCodes({ core: station.core, role, verifier, emit, dataKeys: () => dataKeys.current(), ...(now ? { now } : {}) });
    // The counter's code scanner reads residence codes and acceptance receipts (办件查询); as a call pad it sends short codes, run like the shortcuts.
    devices.codeScanner?.on('scan', (scan) => {
      if (parseReceiptQr(scan.code)) {
        emit('counter.caseScanned', role.caseSteps.receipt(scan.code));
        return;
      }
      if (parseHandoffSlipCode(scan.code) || scan.code.startsWith('hall:handoff:')) {
        emit('counter.handoffScanned', handoffScanned(role.handoffs, scan.code, now));
        return;
      }
      if (looksLikeResidenceCode(scan.code)) {
        residenceCodes.scanned(scan.code);
        return;
      }
      const action = callPadAction(scan.code);
      if (action) emit('callpad.action', { action });
    });
    const lan = options.lan;
    const lanSender = lan
      ? await startLanCallSender({
          hallId: config.hallId,
          senderId: config.deviceId,
          ...(lan.key !== undefined ? { key: lan.key } : { keys: () => station.lanKeys() }),
          peers: lan.peers,
          ...(lan.broadcast ? { broadcast: lan.broadcast } : {}),
        })
      : undefined;
    const detachLan = lanSender ? attachLanCallFeed(station.core, lanSender) : undefined;
    return {
      handlers: handlersFor(counterRoleHandlers(role, station.core, station.coreHandlers), COUNTER_METHODS),
      // A staged update installs when nobody works here: no clerk signed in, no ticket at this counter (rules/idle.ts).
      isIdle: () => counterIdle(role.currentSession() !== null, station.core.store.live, station.core.identity.counterId),
      parts: { role, devices, residenceKeys, dataKeys, depositKey },
      async close() {
        station.sync.off('status', flushSessionEnds);
        residenceKeys.stop();
        dataKeys.stop();
        depositKey.stop();
        detachLan?.();
        await lanSender?.close();
        role.close();
      },
    };
  },
};
