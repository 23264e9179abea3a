import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clockSkewed, LAN_KEYS_POKE_TOPIC, type Rejection, type StationApiHandlers } from '@hall/shared';
import { forwardLiveChanges, stationApiHandlers, type EventSink } from '../api';
import { writeSecretFileDurably } from '../config/durableFile';
import type { StationConfig } from '../config/schema';
import { StationCore } from '../core';
import { assertBindAllowed } from '../host/access';
import { startStationHost, type StationHost } from '../host/host';
import { StationMesh } from '../mesh/station';
import type { MeshKeyRing } from '../mesh/types';
import {
  BROWSER_URL_FILE,
  ensureCitizenKey,
  ensureDeviceKey,
  ensureCredential,
  LAN_KEYS_REFRESH_MS,
  LanKeyKeeper,
  startMesh,
  supersededRejection,
  type StartOptions,
  type StationRuntime,
} from '../runtime';
import { log } from '../log';
import { backoffDelay, type BackoffPolicy } from '../sync/rules/backoff';
import { SyncClient } from '../sync/client';
import { rejectionOf, SyncEngine } from '../sync/engine';
import { HallLinkTracker } from '../sync/hallLink';

/**
 * A station opened but not yet serving: its store, its central-API client, its sync engine
 * (not started), its keys and its event hub. The assembly (assembly/run.ts) starts the role
 * on top of it, then sync, then the host, so handlers are complete before anyone calls them.
 */

/** Enrollment retries: 1 s, 2 s, 4 s … up to a minute (jittered, as every retry of the station). */
const ENROLL_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

export interface OpenedStation {
  config: StationConfig;
  core: StationCore;
  client: SyncClient;
  sync: SyncEngine;
  hallLink: HallLinkTracker | undefined;
  /** The station's common methods (info, sync status, queue, the core's intents). */
  coreHandlers: StationApiHandlers;
  emit: EventSink;
  onEvent(listener: EventSink): () => void;
  rejections(): Rejection[];
  lanKeys(): MeshKeyRing | undefined;
  /** The hall mesh (when configured), the LAN key refreshes and the sync loop, once enrolled. */
  startSync(): Promise<void>;
  /** Browser mode: serves these handlers and every event over the local WebSocket. */
  startHost(handlers: StationApiHandlers): Promise<StationHost>;
  /** The running station as callers see it, serving these handlers. */
  runtime(handlers: StationApiHandlers): StationRuntime;
  stop(): Promise<void>;
}

/**
 * Opens the store and the central-API client of the station described by a validated config,
 * and enrolls it (credential, citizen-hash key) if it can: a role that needs the key finds it.
 * Nothing is served and nothing syncs yet.
 */
export async function openStation(config: StationConfig, options: StartOptions = {}): Promise<OpenedStation> {
  // Before anything opens: a refused bind is a config error, not a half-started station.
  if (options.host) assertBindAllowed(config.host.bind, config.host.allowRemote);
  mkdirSync(config.dataDir, { recursive: true });
  const core = StationCore.open(
    join(config.dataDir, 'station.db'),
    { deviceId: config.deviceId, hallId: config.hallId, role: config.role, ...(config.counterId ? { counterId: config.counterId } : {}) },
    options.now,
  );
  core.guardOrigin();
  const client = new SyncClient({ apiUrl: config.apiUrl, ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}), ...(options.now ? { now: options.now } : {}) });
  // The last measured offset is kept, so a kiosk whose clock is off still queues tickets by
  // the hall's clock through an outage that began before this start (core.hallQueuedAt).
  core.clockOffset = () => {
    const measured = client.clock.offsetMs;
    const stored = core.store.meta('clockOffsetMs');
    if (measured === undefined) return stored === undefined ? undefined : Number(stored);
    if (stored === undefined || Math.abs(Number(stored) - measured) >= 1_000) core.store.setMeta('clockOffsetMs', String(measured));
    return measured;
  };
  // Created once the key keeper exists; the hall link reads it through this binding.
  let mesh: StationMesh | undefined;
  // A locker takes no part in the hall mesh: its status has no `hall`.
  const hallLink =
    config.role === 'locker'
      ? undefined
      : new HallLinkTracker(core.store, {
          meshPeers: () => mesh?.reachable() ?? 0,
          peerPending: () => core.store.peerPendingCount(),
          ...(options.now ? { now: options.now } : {}),
        });
  const sync = new SyncEngine(core, client, {
    pollIntervalMs: config.sync.pollIntervalMs,
    pushBatch: config.sync.pushBatch,
    leaseBlockSize: config.sync.leaseBlockSize,
    leaseLowWater: config.sync.leaseLowWater,
    formRetentionMs: config.sync.formRetentionHours * 3600_000,
    ...(config.sync.outboxRetentionHours === undefined ? {} : { outboxRetentionMs: config.sync.outboxRetentionHours * 3600_000 }),
    pastDaysKept: config.sync.pastDaysKept,
    ...(options.now ? { now: options.now } : {}),
    // The hall mesh holds a push while a peer advertises mutations this station lacks (HALL-MESH.md).
    pushHold: () => mesh?.pushHoldMs() ?? 0,
    // …and holds the first push after the API returns until peers have advertised what they made meanwhile.
    returnHold: () => mesh?.returnHoldMs() ?? 0,
    ...options.sync,
    ...(hallLink ? { hallLink } : {}),
  });
  const listeners = new Set<EventSink>();
  const emit: EventSink = (event, data) => {
    for (const listener of listeners) listener(event, data);
  };
  const rejections = (): Rejection[] =>
    core.store
      .outbox()
      .filter((row) => row.status === 'rejected')
      .map(rejectionOf);
  let skewLogged = false;
  // Fetched at every start, again whenever the API is back while the station still has none,
  // and after a new epoch (a central database restored from a backup may have lost the key).
  let deviceKeyFetch: Promise<void> | undefined;
  const fetchDeviceKey = () => {
    deviceKeyFetch ??= ensureDeviceKey(config, client, core).finally(() => (deviceKeyFetch = undefined));
  };
  sync.on('epoch', () => fetchDeviceKey());
  sync.on('status', (status) => {
    emit('sync.status', status);
    if (status.online && !core.deviceProver) fetchDeviceKey();
    // Logged once per spell: the screen keeps saying it, the log is for the technician.
    const skewed = clockSkewed(status.clockOffsetMs);
    if (skewed && !skewLogged) log.warn(`station ${config.deviceId}: clock is ${Math.round((status.clockOffsetMs ?? 0) / 1000)} s off the central API's (server minus station); fix the PC's time`);
    skewLogged = skewed;
    // Back in touch: the central API learns of the outages this station worked through.
    if (hallLink && status.hall?.mode === 'connected') void hallLink.report((periods) => client.linkReport(periods));
  });
  // The hall's order overtook one of this station's own actions (a counter elsewhere in the
  // hall called the ticket first, heard over the LAN or pulled): the person who acted is told
  // at once, and not a second time when the central API's rejection of it follows.
  const toldEarly = new Set<string>();
  sync.on('rejected', (rejection) => {
    if (!toldEarly.delete(rejection.mutationId)) emit('mutation.rejected', rejection);
  });
  core.store.onSuperseded(({ mutation, code, reason }) => {
    toldEarly.add(mutation.id);
    emit('mutation.rejected', supersededRejection(mutation, code, reason, options.now));
  });
  const stopForwarding = forwardLiveChanges(core, emit);
  const coreHandlers = stationApiHandlers(core, sync, rejections);
  const lanKeys = new LanKeyKeeper(config, client, options.developerLanKey);
  // The engine only reports pokes; what a 'lanKeys' poke means is decided here.
  sync.on('poke', (topic) => {
    if (topic === LAN_KEYS_POKE_TOPIC) void lanKeys.refresh();
  });

  // Enrollment runs now (the role may need the citizen-hash key it brings); the sync loop
  // waits for startSync, whichever of the two comes last starts it.
  let enrollTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let enrolled = false;
  let syncWanted = false;
  const syncOnceEnrolled = () => {
    if (!enrolled || !syncWanted || stopped) return;
    // In the background: a station whose central API is away must not wait for it to start.
    void lanKeys.ensure();
    lanKeys.startRefreshing(options.lanKeysRefreshMs ?? LAN_KEYS_REFRESH_MS);
    sync.start();
  };
  const enroll = async (attempt: number): Promise<void> => {
    try {
      if (await ensureCredential(config, client)) {
        await ensureCitizenKey(config, client, options.requestTimeoutMs ?? 5000);
        fetchDeviceKey();
        enrolled = true;
        syncOnceEnrolled();
      } else log.error(`station ${config.deviceId}: no credential at ${config.enrollment.credentialPath} and no enrollment code; sync disabled`);
    } catch (error) {
      if (stopped) return;
      log.error(`station ${config.deviceId}: enrollment failed (${(error as Error).message}); retrying`);
      enrollTimer = setTimeout(() => void enroll(attempt + 1), backoffDelay(ENROLL_BACKOFF, attempt + 1, Math.random));
    }
  };
  await enroll(0);

  let host: StationHost | undefined;
  const stop = async () => {
    stopped = true;
    clearTimeout(enrollTimer);
    await lanKeys.stop();
    await mesh?.close();
    stopForwarding();
    await sync.stop();
    await host?.close();
    core.close();
  };
  return {
    config,
    core,
    client,
    sync,
    hallLink,
    coreHandlers,
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rejections,
    lanKeys: () => lanKeys.current(),
    async startSync() {
      // The hall mesh starts once the station holds the hall's LAN key (on disk, or when the
      // central API first hands it over) and follows every rotation through the keeper.
      if (config.mesh && config.role !== 'locker') {
        const stationMesh = new StationMesh({
          hallId: config.hallId,
          deviceId: config.deviceId,
          store: core.store,
          config: config.mesh,
          keys: () => lanKeys.current(),
          onReachableChange: () => hallLink?.refresh(),
          ...(options.meshTransport ? { transport: options.meshTransport } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
        mesh = stationMesh;
        lanKeys.onChange(() => void startMesh(stationMesh));
        await startMesh(stationMesh);
      }
      syncWanted = true;
      syncOnceEnrolled();
    },
    async startHost(handlers) {
      const started = await startStationHost({
        role: config.role,
        handlers,
        bind: config.host.bind,
        allowRemote: config.host.allowRemote,
        port: config.host.port,
        ...(config.host.rendererDir ? { rendererDir: config.host.rendererDir } : {}),
        ...(config.host.token ? { token: config.host.token } : {}),
      });
      host = started;
      // For a kiosk Chromium started by a system service: it reads the page to open here.
      writeSecretFileDurably(join(config.dataDir, BROWSER_URL_FILE), `${started.url}\n`);
      listeners.add((event, data) => started.emit(event, data));
      return started;
    },
    runtime(handlers) {
      return {
        core,
        client,
        sync,
        ...(hallLink ? { hallLink } : {}),
        handlers,
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        rejections,
        lanKeys: () => lanKeys.current(),
        ...(mesh ? { mesh } : {}),
        onLanKeys: (listener) => lanKeys.onChange(listener),
        ...(host ? { host } : {}),
        stop,
      };
    },
    stop,
  };
}

/**
 * A station without a role (sync tests, benches, the core's common methods only): store,
 * sync and, in browser mode, the host. Stations with a role start through runStation.
 */
export async function startStation(config: StationConfig, options: StartOptions = {}): Promise<StationRuntime> {
  const station = await openStation(config, options);
  try {
    const handlers = { ...station.coreHandlers, ...options.extraHandlers };
    await station.startSync();
    if (options.host) await station.startHost(handlers);
    return station.runtime(handlers);
  } catch (error) {
    await station.stop();
    throw error;
  }
}
