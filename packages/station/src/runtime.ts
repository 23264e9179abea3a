import { existsSync, readFileSync, rmSync } from 'node:fs';
import {
  CITIZEN_KEY_ROLES,
  type EventData,
  type LanKeyRing,
  type Mutation,
  type Rejection,
  type StationApiHandlers,
  type StationEvent,
} from '@hall/shared';
import { readCitizenKey, writeCitizenKey } from './config/citizenKey';
import { deviceKeyPath, readDeviceKey, writeDeviceKey } from './config/deviceKey';
import { DeviceProver } from './sync/deviceProof';
import { developerLanKeyRing, meshKeyRingOf, readLanKeys, writeLanKeys } from './config/lanKeys';
import { writeSecretFileDurably } from './config/durableFile';
import type { StationMesh } from './mesh/station';
import type { MeshTransportFactory } from './mesh/transport';
import type { MeshKeyRing } from './mesh/types';
import type { StationConfig } from './config/schema';
import type { StationCore } from './core';
import type { StationHost } from './host/host';
import type { SyncClient } from './sync/client';
import { CENTRAL_ROUTES } from './central/routes';
import { log } from './log';
import type { SyncEngine, SyncEngineOptions } from './sync/engine';
import type { HallLinkTracker } from './sync/hallLink';

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
  /** A developer station's hall LAN key (HALL_LAN_KEY, see config/environment.ts), until the central API hands one over. */
  developerLanKey?: string;
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

/**
 * Enrolls with the one-time code if no credential is stored yet. Until that succeeds
 * (the network may be down at first start) the station still works from its cache and
 * keeps trying; nothing waits for it.
 */
export async function ensureCredential(config: StationConfig, client: SyncClient): Promise<boolean> {
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
  // A device key of an earlier enrollment proves nothing for this one (ensureDeviceKey).
  rmSync(deviceKeyPath(config), { force: true });
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
export async function ensureCitizenKey(config: StationConfig, client: SyncClient, timeoutMs: number): Promise<void> {
  if (!(CITIZEN_KEY_ROLES as readonly string[]).includes(config.role) || readCitizenKey(config)) return;
  try {
    writeCitizenKey(config, (await client.api.require(CENTRAL_ROUTES.citizenKey, { timeoutMs })).citizenKey);
  } catch (error) {
    log.error(`station ${config.deviceId}: could not fetch the citizen-hash key (${(error as Error).message})`);
  }
}

/**
 * The device key this station proves its mutations with, so hall peers can relay them
 * (deviceProof.ts in shared): the stored one at once, then the central API's current one,
 * fetched in the background at every start (a re-enrollment or a restored central database
 * may have issued another). Without one, mutations carry no device proof: the central API
 * takes them from this station itself but not from a peer relaying them.
 */
export async function ensureDeviceKey(config: StationConfig, client: SyncClient, core: StationCore): Promise<void> {
  const stored = readDeviceKey(config);
  if (stored && !core.deviceProver) core.deviceProver = new DeviceProver(stored);
  try {
    const current = await client.deviceKey();
    if (stored?.keyId === current.keyId && stored.key === current.key) return;
    writeDeviceKey(config, current);
    core.deviceProver = new DeviceProver(current);
  } catch (error) {
    const meanwhile = core.deviceProver ? 'proving its mutations with the stored one' : 'hall peers cannot relay its mutations until it has one';
    log.warn(`station ${config.deviceId}: could not fetch or store its device key (${(error as Error).message}); ${meanwhile}`);
  }
}

export function supersededRejection(mutation: Mutation, code: string, reason: string, now: (() => number) | undefined): Rejection {
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
export class LanKeyKeeper {
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
    developerLanKey: string | undefined,
  ) {
    const stored = readLanKeys(config);
    if (stored) this.adopt(stored, false);
    else this.ring = developerLanKeyRing(config, developerLanKey);
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
export async function startMesh(mesh: StationMesh): Promise<void> {
  try {
    await mesh.ensureStarted();
  } catch (error) {
    log.error(`hall mesh: could not start (${(error as Error).message}); this station works without its hall peers`);
  }
}
