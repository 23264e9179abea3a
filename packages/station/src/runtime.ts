import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CITIZEN_KEY_ROLES,
  clockSkewed,
  LAN_KEYS_POKE_TOPIC,
  type EventData,
  type LanKeyRing,
  type Mutation,
  type Rejection,
  type StationApiHandlers,
  type StationEvent,
} from '@hall/shared';
import { forwardLiveChanges, stationApiHandlers } from './api';
import { readCitizenKey, writeCitizenKey } from './config/citizenKey';
import { developerLanKeyRing, meshKeyRingOf, readLanKeys, writeLanKeys } from './config/lanKeys';
import { writeSecretFileDurably } from './config/durableFile';
import { StationMesh } from './mesh/station';
import type { MeshTransportFactory } from './mesh/transport';
import type { MeshKeyRing } from './mesh/types';
import type { StationConfig } from './config/schema';
import { StationCore } from './core';
import { assertBindAllowed } from './host/access';
import { startStationHost, type StationHost } from './host/host';
import { CENTRAL_ROUTES } from './central/routes';
import { backoffDelay, type BackoffPolicy } from './sync/backoff';
import { SyncClient } from './sync/client';
import { rejectionOf, SyncEngine, type SyncEngineOptions } from './sync/engine';
import { HallLinkTracker } from './sync/hallLink';
import { log } from './log';

export interface StationRuntime {
  core: StationCore;
  client: SyncClient;
  sync: SyncEngine;
  /** Where the station stands in its hall and the outages it lived through; absent on a locker (no mesh). */
  hallLink?: HallLinkTracker;
  handlers: StationApiHandlers;
  /** Every event the station emits, for the Electron adapter or the browser host. */
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  rejections(): Rejection[];
  /**
   * The hall's LAN key ring (call feed, hall mesh), always the latest: from the central API
   * (enrollment, rotation pokes, periodic refresh), kept in `enrollment.lanKeysPath`. A
   * developer station without one falls back to HALL_LAN_KEY. Undefined until there is one.
   */
  lanKeys(): MeshKeyRing | undefined;
  /** Called with the new ring whenever it changes (a rotation in the console, a first fetch). */
  onLanKeys(listener: (ring: MeshKeyRing) => void): () => void;
  /** The station's place in the hall mesh, when its config has one. */
  mesh?: StationMesh;
  host?: StationHost;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the renderer + API over WebSocket (browser mode). */
  host?: boolean;
  /** Role-specific handlers (kiosk, counter …) added on top of the core ones. */
  extraHandlers?: StationApiHandlers;
  sync?: SyncEngineOptions;
  /** Per-request timeout of sync calls. */
  requestTimeoutMs?: number;
  /** How often the LAN key ring is refetched besides rotation pokes (default 10 minutes). */
  lanKeysRefreshMs?: number;
  /** Environment read for developer fallbacks (HALL_LAN_KEY); process.env by default. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** The hall mesh's datagram layer (tests inject loss, duplication and partitions); UDP by default. */
  meshTransport?: MeshTransportFactory;
}

export const LAN_KEYS_REFRESH_MS = 10 * 60_000;

function readCredential(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? undefined : text;
}

/**
 * Written atomically and durably (fsync of the file and its directory), readable by the
 * owner only: the credential is the device's identity. The central API spends the
 * enrollment code only when the credential is first used, which happens after this.
 */
export function writeCredential(path: string, credential: string): void {
  writeSecretFileDurably(path, `${credential}\n`);
}

/** Enrollment retries: 1 s, 2 s, 4 s … up to a minute (jittered, as every retry of the station). */
const ENROLL_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

/**
 * Enrolls with the one-time code if no credential is stored yet. Until that succeeds
 * (the network may be down at first start) the station still works from its cache and
 * keeps trying; nothing waits for it.
 */
async function ensureCredential(config: StationConfig, client: SyncClient): Promise<boolean> {
  const stored = readCredential(config.enrollment.credentialPath);
  if (stored) {
    client.setCredential(stored);
    return true;
  }
  if (!config.enrollment.code) return false;
  const enrolled = await client.enroll(config.enrollment.code);
  if (enrolled.deviceId !== config.deviceId || enrolled.hallId !== config.hallId) {
    throw new Error(
      `enrollment code belongs to device ${enrolled.deviceId} of hall ${enrolled.hallId}, but this station is configured as ${config.deviceId} of ${config.hallId}`,
    );
  }
  // The keys first: a credential on disk means "enrolled", and enrollment is not repeated.
  if (enrolled.citizenKey) writeCitizenKey(config, enrolled.citizenKey);
  if (enrolled.lanKeys) writeLanKeys(config, enrolled.lanKeys);
  writeCredential(config.enrollment.credentialPath, enrolled.credential);
  client.setCredential(enrolled.credential);
  return true;
}

/**
 * A kiosk or counter enrolled before enrollment carried the citizen-hash key fetches it
 * once with its credential. Failure is not fatal here: the role refuses to start without
 * the key (requireCitizenKey) with a message that says why.
 */
async function ensureCitizenKey(config: StationConfig, client: SyncClient, timeoutMs: number): Promise<void> {
  if (!(CITIZEN_KEY_ROLES as readonly string[]).includes(config.role) || readCitizenKey(config)) return;
  try {
    writeCitizenKey(config, (await client.api.require(CENTRAL_ROUTES.citizenKey, { timeoutMs })).citizenKey);
  } catch (error) {
    log.error(`station ${config.deviceId}: could not fetch the citizen-hash key (${(error as Error).message})`);
  }
}

function supersededRejection(mutation: Mutation, code: string, reason: string, now: (() => number) | undefined): Rejection {
  const ticketId = (mutation.payload as { ticketId?: unknown }).ticketId;
  return {
    mutationId: mutation.id,
    seq: mutation.seq,
    type: mutation.type,
    code,
    reason,
    ...(typeof ticketId === 'string' ? { ticketId } : {}),
    at: new Date((now ?? Date.now)()).toISOString(),
  };
}

/**
 * The station's copy of the hall LAN key ring: loaded from its file, replaced by what the
 * central API hands over (at once on a 'lanKeys' poke, else every few minutes), written back
 * (0600) and announced to listeners when it changed. Never logs key material.
 */
class LanKeyKeeper {
  private wire: LanKeyRing | undefined;
  private ring: MeshKeyRing | undefined;
  private readonly listeners = new Set<(ring: MeshKeyRing) => void>();
  private inFlight: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: StationConfig,
    private readonly client: SyncClient,
    env: NodeJS.ProcessEnv,
  ) {
    const stored = readLanKeys(config);
    if (stored) this.adopt(stored, false);
    else this.ring = developerLanKeyRing(config, env);
  }

  current(): MeshKeyRing | undefined {
    return this.ring;
  }

  onChange(listener: (ring: MeshKeyRing) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After enrollment (which may have written the file) or on a start with a credential: fetch only if there is no file. */
  async ensure(): Promise<void> {
    const stored = readLanKeys(this.config);
    if (stored) this.adopt(stored, false);
    else await this.refresh();
  }

  startRefreshing(everyMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  /** Fetches the ring; a refresh asked for while one runs runs once more after it (a poke mid-fetch is not lost). */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      do {
        this.again = false;
        try {
          this.adopt(await this.client.lanKeys(), true);
          this.failing = false;
        } catch (error) {
          // Once per failure streak: a station offline for hours does not repeat it every 10 minutes.
          if (!this.failing) log.error(`station ${this.config.deviceId}: could not fetch the hall LAN keys (${(error as Error).message})`);
          this.failing = true;
        }
      } while (this.again);
    })().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private adopt(wire: LanKeyRing, persist: boolean): void {
    if (this.wire && JSON.stringify(this.wire) === JSON.stringify(wire)) return;
    if (persist) writeLanKeys(this.config, wire);
    this.wire = wire;
    const ring = meshKeyRingOf(wire);
    this.ring = ring;
    for (const listener of this.listeners) listener(ring);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}

/** In the data dir: the page URL (with its token) of the station's browser-mode host, mode 0600. */
export const BROWSER_URL_FILE = 'browser-url';

/** A mesh port already taken is a configuration error worth saying, not a reason to stop the station. */
async function startMesh(mesh: StationMesh): Promise<void> {
  try {
    await mesh.ensureStarted();
  } catch (error) {
    log.error(`hall mesh: could not start (${(error as Error).message}); this station works without its hall peers`);
  }
}

/** Opens the station described by a validated config and starts syncing. */
export async function startStation(config: StationConfig, options: StartOptions = {}): Promise<StationRuntime> {
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
    ...options.sync,
    ...(hallLink ? { hallLink } : {}),
  });
  const listeners = new Set<<E extends StationEvent>(event: E, data: EventData<E>) => void>();
  const emit = <E extends StationEvent>(event: E, data: EventData<E>) => {
    for (const listener of listeners) listener(event, data);
  };
  const rejections = (): Rejection[] =>
    core.store
      .outbox()
      .filter((row) => row.status === 'rejected')
      .map(rejectionOf);
  let skewLogged = false;
  sync.on('status', (status) => {
    emit('sync.status', status);
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
  const handlers = { ...stationApiHandlers(core, sync, rejections), ...options.extraHandlers };
  const lanKeys = new LanKeyKeeper(config, client, options.env ?? process.env);
  // The engine only reports pokes; what a 'lanKeys' poke means is decided here.
  sync.on('poke', (topic) => {
    if (topic === LAN_KEYS_POKE_TOPIC) void lanKeys.refresh();
  });
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

  let enrollTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const enrollThenSync = async (attempt: number): Promise<void> => {
    try {
      if (await ensureCredential(config, client)) {
        await ensureCitizenKey(config, client, options.requestTimeoutMs ?? 5000);
        // In the background: a station whose central API is away must not wait for it to start.
        void lanKeys.ensure();
        lanKeys.startRefreshing(options.lanKeysRefreshMs ?? LAN_KEYS_REFRESH_MS);
        sync.start();
      } else log.error(`station ${config.deviceId}: no credential at ${config.enrollment.credentialPath} and no enrollment code; sync disabled`);
    } catch (error) {
      if (stopped) return;
      log.error(`station ${config.deviceId}: enrollment failed (${(error as Error).message}); retrying`);
      enrollTimer = setTimeout(() => void enrollThenSync(attempt + 1), backoffDelay(ENROLL_BACKOFF, attempt + 1, Math.random));
    }
  };
  await enrollThenSync(0);

  let host: StationHost | undefined;
  if (options.host) {
    host = await startStationHost({
      role: config.role,
      handlers,
      bind: config.host.bind,
      allowRemote: config.host.allowRemote,
      port: config.host.port,
      ...(config.host.rendererDir ? { rendererDir: config.host.rendererDir } : {}),
      ...(config.host.token ? { token: config.host.token } : {}),
    });
    // For a kiosk Chromium started by a system service: it reads the page to open here.
    writeSecretFileDurably(join(config.dataDir, BROWSER_URL_FILE), `${host.url}\n`);
    const h = host;
    listeners.add((event, data) => h.emit(event, data));
  }

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
    async stop() {
      stopped = true;
      clearTimeout(enrollTimer);
      await lanKeys.stop();
      await mesh?.close();
      stopForwarding();
      await sync.stop();
      await host?.close();
      core.close();
    },
  };
}
