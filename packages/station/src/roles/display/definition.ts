import { methodsForRole, type EventData } from '@hall/shared';
import { noDevices } from '../../assembly/devices';
import { handlersFor } from '../../assembly/handlers';
import type { RoleDefinition } from '../../assembly/role';
import { refuseConfiguredLanKey } from '../../config/lanKeys';
import type { ClipSynthesizer } from '../../voice/clipLibrary';
import type { DisplayConfig } from './config';
import { startDisplayRole, type DisplayRole } from './role';

export interface DisplayDefinitionOptions {
  display: DisplayConfig;
  /** Shared clip cache (tests, several displays on one PC); the data dir's by default. */
  clipCacheDir?: string;
  synthesize?: ClipSynthesizer;
  lanPort?: number;
}

export interface DisplayParts {
  role: DisplayRole;
}

const DISPLAY_METHODS = methodsForRole('display').filter((m) => m.startsWith('display.') || m.startsWith('announcement.'));

/** The wall display: the board from sync and the LAN call feed, the voice, the LED strip and counter signs (which the role drives itself). */
export const displayDefinition: RoleDefinition<DisplayDefinitionOptions, undefined, DisplayParts> = {
  role: 'display',
  check(config, options) {
    if (config.role !== 'display') throw new Error(`this is the display app; the config says role "${config.role}"`);
    refuseConfiguredLanKey(config, 'display config "lan.key"', options.display.lan?.key);
  },
  openDevices: noDevices,
  async start(station, options) {
    const role = await startDisplayRole({
      core: station.core,
      config: options.display,
      dataDir: station.config.dataDir,
      online: () => station.sync.status().online,
      hall: () => station.sync.status().hall,
      emit: station.emit,
      ...(options.clipCacheDir ? { clipCacheDir: options.clipCacheDir } : {}),
      ...(options.synthesize ? { synthesize: options.synthesize } : {}),
      ...(options.lanPort === undefined ? {} : { lanPort: options.lanPort }),
      lanKeys: () => station.lanKeys(),
      ...(station.now ? { now: station.now } : {}),
    });
    // The wall's hall link badge follows sync (online, mode, peers), and a new catalogue (notices
    // published in the console, renamed counters) shows without waiting for the next call.
    const linkOf = (status: EventData<'sync.status'>) => `${status.online}/${status.hall?.mode ?? ''}/${status.hall?.peers ?? 0}`;
    let shownLink = linkOf(station.sync.status());
    let catalogueVersion = station.core.store.catalogue?.version;
    const offStatus = station.onEvent((event, data) => {
      if (event !== 'sync.status') return;
      const link = linkOf(data as EventData<'sync.status'>);
      const version = station.core.store.catalogue?.version;
      if (link !== shownLink || version !== catalogueVersion) {
        shownLink = link;
        catalogueVersion = version;
        role.refresh();
      }
    });
    return {
      handlers: handlersFor(role.handlers, DISPLAY_METHODS),
      // A wall has nobody mid-task.
      isIdle: () => true,
      parts: { role },
      async close() {
        offStatus();
        await role.close();
      },
    };
  },
};
