import { clockSkewed, clockSkewMinutes, type HallMode, type SyncStatus } from '@hall/shared';
import type { LinkState } from '../station/connect';

/**
 * `clear` for staff and the wall (counter, display): says what happened and with how many
 * stations. `calm` for citizens (kiosk): a short, reassuring line; the full one is in `detail`.
 */
export type SyncIndicatorVariant = 'clear' | 'calm';

export interface SyncIndicator {
  /** As the screens and tests have always read it: the station's own service, then the central API. */
  state: 'online' | 'offline' | 'lost';
  /** Where the station stands in its hall; absent on a station without the mesh or before the first status. */
  mode: HallMode | undefined;
  label: string;
  /** The full wording (a tooltip on the calm variant). */
  detail: string;
  pending: number;
  /** Set when the station's clock is more than a minute off the central API's: shown beside the state. */
  clockWarning?: string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What the sync corner shows, from the station's status and the renderer's link to its station (namespace "ui"). */
export function syncIndicator(status: SyncStatus | undefined, link: LinkState, t: Translate, variant: SyncIndicatorVariant = 'clear'): SyncIndicator {
  const shown = linkIndicator(status, link, t, variant);
  const offset = link === 'open' ? status?.clockOffsetMs : undefined;
  return clockSkewed(offset) ? { ...shown, clockWarning: t('sync.clockSkew', { minutes: clockSkewMinutes(offset) }) } : shown;
}

function linkIndicator(status: SyncStatus | undefined, link: LinkState, t: Translate, variant: SyncIndicatorVariant = 'clear'): SyncIndicator {
  const pending = status?.pending ?? 0;
  if (link !== 'open') {
    const label = link === 'connecting' && !status ? t('sync.connecting') : t('sync.stationLost');
    return { state: 'lost', mode: undefined, label, detail: label, pending };
  }
  const state = status?.online === false ? 'offline' : 'online';
  if (!status) return { state, mode: undefined, label: t('sync.connecting'), detail: t('sync.connecting'), pending };
  const hall = status.hall;
  if (!hall) {
    const label = status.online ? t('sync.online') : t('sync.offline');
    return { state, mode: undefined, label, detail: label, pending };
  }
  const detail = hall.mode === 'mesh' ? t('sync.mesh', { count: hall.peers }) : t(`sync.${hall.mode}`);
  const label = variant === 'calm' && hall.mode !== 'connected' ? t(`sync.calm.${hall.mode}`) : detail;
  return { state, mode: hall.mode, label, detail, pending };
}
