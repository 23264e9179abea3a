import { methodsForRole, type EventData, type StationApiHandlers, type StationEvent } from '@hall/shared';
import { refuseConfiguredLanKey, startStation, type StationConfig, type StationRuntime, type SyncEngineOptions } from '@hall/station';
import { startDisplayRole, type DisplayConfig, type DisplayRole } from '@hall/station/roles/display';
import type { ClipSynthesizer } from '@hall/station';

export interface DisplayStationOptions {
  /** Serve the renderer and the API over WebSocket (browser mode); Electron passes false. */
  host: boolean;
  display: DisplayConfig;
  sync?: SyncEngineOptions;
  /** Shared clip cache (tests, several displays on one PC); the data dir's by default. */
  clipCacheDir?: string;
  synthesize?: ClipSynthesizer;
  lanPort?: number;
  now?: () => number;
}

export interface DisplayStation {
  runtime: StationRuntime;
  role: DisplayRole;
  handlers: StationApiHandlers;
  onEvent(listener: <E extends StationEvent>(event: E, data: EventData<E>) => void): () => void;
  stop(): Promise<void>;
}

/** Display methods bind to the role once it exists: the role needs the core the runtime opens. */
function lateHandlers(role: () => DisplayRole | undefined): StationApiHandlers {
  const handlers: Record<string, (params: never) => unknown> = {};
  for (const method of methodsForRole('display').filter((m) => m.startsWith('display.') || m.startsWith('announcement.'))) {
    handlers[method] = (params: never) => {
      const handler = role()?.handlers[method] as ((p: never) => unknown) | undefined;
      if (!handler) throw new Error(`${method}: display role not started`);
      return handler(params);
    };
  }
  return handlers as StationApiHandlers;
}

/** The wall display's station: core + sync (runtime), the LAN call feed, voice and call screens. */
export async function startDisplayStation(config: StationConfig, options: DisplayStationOptions): Promise<DisplayStation> {
  if (config.role !== 'display') throw new Error(`this is the display app; the config says role "${config.role}"`);
  refuseConfiguredLanKey(config, 'display config "lan.key"', options.display.lan?.key);
  let role: DisplayRole | undefined;
  const runtime = await startStation(config, {
    host: options.host,
    extraHandlers: lateHandlers(() => role),
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const listeners = new Set<<E extends StationEvent>(event: E, data: EventData<E>) => void>();
  const emit = <E extends StationEvent>(event: E, data: EventData<E>) => {
    runtime.host?.emit(event, data);
    for (const listener of listeners) listener(event, data);
  };
  const offRuntime = runtime.onEvent((event, data) => {
    for (const listener of listeners) listener(event, data);
  });
  try {
    role = await startDisplayRole({
      core: runtime.core,
      config: options.display,
      dataDir: config.dataDir,
      online: () => runtime.sync.status().online,
      hall: () => runtime.sync.status().hall,
      emit,
      ...(options.clipCacheDir ? { clipCacheDir: options.clipCacheDir } : {}),
      ...(options.synthesize ? { synthesize: options.synthesize } : {}),
      ...(options.lanPort === undefined ? {} : { lanPort: options.lanPort }),
      lanKeys: () => runtime.lanKeys(),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    offRuntime();
    await runtime.stop();
    throw error;
  }
  const displayRole = role;
  // The wall's hall link badge follows sync (online, mode, peers), and a new catalogue (notices
  // published in the console, renamed counters) shows without waiting for the next call.
  const linkOf = (status: EventData<'sync.status'>) => `${status.online}/${status.hall?.mode ?? ''}/${status.hall?.peers ?? 0}`;
  let shownLink = linkOf(runtime.sync.status());
  let catalogueVersion = runtime.core.store.catalogue?.version;
  const offStatus = runtime.onEvent((event, data) => {
    if (event !== 'sync.status') return;
    const link = linkOf(data as EventData<'sync.status'>);
    const version = runtime.core.store.catalogue?.version;
    if (link !== shownLink || version !== catalogueVersion) {
      shownLink = link;
      catalogueVersion = version;
      displayRole.refresh();
    }
  });
  return {
    runtime,
    role: displayRole,
    handlers: runtime.handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      offStatus();
      offRuntime();
      await displayRole.close();
      await runtime.stop();
    },
  };
}
