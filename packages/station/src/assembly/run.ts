import type { StationApiHandlers, StationRole } from '@hall/shared';
import type { EventSink } from '../api';
import type { StationEnvironment } from '../config/environment';
import type { StationConfig } from '../config/schema';
import type { StationSimulators } from '../devices/simControl';
import type { StartOptions, StationRuntime } from '../runtime';
import { openStation } from './open';
import type { RoleDefinition, RoleInstance } from './role';

/** How a station runs, whatever its role. */
export interface RunOptions extends Pick<StartOptions, 'sync' | 'now' | 'requestTimeoutMs' | 'meshTransport' | 'lanKeysRefreshMs'> {
  /** Browser mode: serve the renderer and the station API over the local WebSocket; the Electron kiosk and display pass false (IPC). */
  host: boolean;
  /** The environment the entry read once at start (loadStationSetup); tests leave it out. */
  env?: Partial<StationEnvironment>;
}

/** A running station: its role started, syncing, and serving its handlers. */
export interface RunningStation<Parts> {
  role: StationRole;
  runtime: StationRuntime;
  /** The role's own objects (see each role's definition). */
  parts: Parts;
  handlers: StationApiHandlers;
  onEvent(listener: EventSink): () => void;
  /** Nobody is mid-task: a staged update may install. */
  isIdle(): boolean;
  /** Far ends of simulated devices, for the hall simulator page. */
  simulators: StationSimulators;
  /** The browser-mode page (with its token), when options.host. */
  hostUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Runs one role: opens the store (and enrolls), then the role's devices, then the role, then
 * sync and the host, in that order, so every handler exists before the first call. Whatever
 * opened is closed again when a later step fails.
 */
export async function runRole<Options, Devices, Parts>(
  definition: RoleDefinition<Options, Devices, Parts>,
  config: StationConfig,
  roleOptions: Options,
  options: RunOptions,
): Promise<RunningStation<Parts>> {
  definition.check(config, roleOptions);
  const env = options.env ?? {};
  const station = await openStation(config, {
    host: options.host,
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.meshTransport ? { meshTransport: options.meshTransport } : {}),
    ...(options.lanKeysRefreshMs ? { lanKeysRefreshMs: options.lanKeysRefreshMs } : {}),
    ...(env.HALL_LAN_KEY ? { developerLanKey: env.HALL_LAN_KEY } : {}),
  });
  const closers: (() => Promise<void>)[] = [() => station.stop()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const opened = await definition.openDevices(config, roleOptions);
    closers.push(() => opened.close());
    const instance: RoleInstance<Parts> = await definition.start(
      {
        config,
        env,
        core: station.core,
        client: station.client,
        sync: station.sync,
        devices: opened.devices,
        emit: station.emit,
        onEvent: (listener) => station.onEvent(listener),
        coreHandlers: station.coreHandlers,
        rejections: () => station.rejections(),
        lanKeys: () => station.lanKeys(),
        ...(options.now ? { now: options.now } : {}),
      },
      roleOptions,
    );
    closers.push(() => instance.close());
    const handlers = { ...station.coreHandlers, ...instance.handlers };
    await station.startSync();
    const host = options.host ? await station.startHost(handlers) : undefined;
    return {
      role: definition.role,
      runtime: station.runtime(handlers),
      parts: instance.parts,
      handlers,
      onEvent: (listener) => station.onEvent(listener),
      isIdle: () => instance.isIdle(),
      simulators: opened.simulators,
      hostUrl: host?.url,
      stop: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

const RUN_OPTION_KEYS = ['host', 'env', 'sync', 'now', 'requestTimeoutMs', 'meshTransport', 'lanKeysRefreshMs'] as const satisfies readonly (keyof RunOptions)[];

/** Splits one options object of a role's start (tests pass one) into the station's options and the role's. */
export function splitRunOptions<T extends Partial<RunOptions>>(options: T): { run: RunOptions; role: Omit<T, keyof RunOptions> } {
  const run: Record<string, unknown> = { host: false };
  const role: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((RUN_OPTION_KEYS as readonly string[]).includes(key)) run[key] = value;
    else role[key] = value;
  }
  return { run: run as unknown as RunOptions, role: role as Omit<T, keyof RunOptions> };
}
