import type { Rejection, StationApiHandlers, StationRole } from '@hall/shared';
import type { EventSink } from '../api';
import type { StationConfig } from '../config/schema';
import type { StationEnvironment } from '../config/environment';
import type { StationCore } from '../core';
import type { StationSimulators } from '../devices/simControl';
import type { MeshKeyRing } from '../mesh/types';
import type { SyncClient } from '../sync/client';
import type { SyncEngine } from '../sync/engine';

/** The devices a role opened from its config, with the far ends of the simulated ones. */
export interface OpenedDevices<Devices> {
  devices: Devices;
  /** Far ends of simulated devices (the hall simulator page, tests). */
  simulators: StationSimulators;
  close(): Promise<void>;
}

/**
 * What a role gets to start on: the station's store and sync engine already open (not yet
 * syncing), its devices, and the station's event hub (the browser host and the Electron
 * adapter both listen there).
 */
export interface RoleContext<Devices> {
  config: StationConfig;
  /** The validated environment (developer fallbacks such as HALL_ID_HASH_KEY); empty when a test starts the station. */
  env: Partial<StationEnvironment>;
  core: StationCore;
  client: SyncClient;
  sync: SyncEngine;
  devices: Devices;
  /** Sends an event to the screen (host and IPC alike). */
  emit: EventSink;
  /** Every event the station sends (its own and the role's). */
  onEvent(listener: EventSink): () => void;
  /** The station's common methods, for a role that lays its rules over them. */
  coreHandlers: StationApiHandlers;
  /** Mutations the central API refused, including those refused while the station was not running. */
  rejections(): Rejection[];
  /** The hall's LAN key ring, always the latest (call feed). */
  lanKeys(): MeshKeyRing | undefined;
  now?: () => number;
}

/** A started role: the methods it answers, whether a staged update may install now, and how it stops. */
export interface RoleInstance<Parts> {
  /** Laid over the station's common methods; served from the first call on (no late binding). */
  handlers: StationApiHandlers;
  /** Nobody is mid-task at this station: a staged update may restart it. */
  isIdle(): boolean;
  /** The role's own objects, for its app and its tests (the kiosk's key refreshers, the display's board …). */
  parts: Parts;
  close(): Promise<void>;
}

/**
 * One station role: which config it runs, the devices it opens and how it starts. runStation
 * (assembly/run.ts) opens the store, then these devices, then the role, then sync and the
 * host, the same for the Electron and the browser entry.
 */
export interface RoleDefinition<Options, Devices, Parts> {
  role: StationRole;
  /** Refuses a config (or options) this role cannot run, saying why, before anything opens. */
  check(config: StationConfig, options: Options): void;
  openDevices(config: StationConfig, options: Options): Promise<OpenedDevices<Devices>>;
  start(context: RoleContext<Devices>, options: Options): Promise<RoleInstance<Parts>>;
}
