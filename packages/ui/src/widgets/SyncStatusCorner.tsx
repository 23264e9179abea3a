import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../station/hooks';

/** Online/offline and pending sync count, always in the corner of every app. */
export function SyncStatusCorner() {
  const { t } = useTranslation('ui');
  const { status, link } = useSyncStatus();
  const state = link !== 'open' ? 'lost' : status?.online === false ? 'offline' : 'online';
  const label =
    link === 'connecting' && !status ? t('sync.connecting') : state === 'lost' ? t('sync.stationLost') : state === 'offline' ? t('sync.offline') : t('sync.online');
  const pending = status?.pending ?? 0;
  return (
    <div className="hall-sync" data-testid="sync-status" data-state={state} data-pending={pending} data-rejected={status?.rejected ?? 0} role="status" aria-live="polite">
      <span className="hall-sync-dot" aria-hidden="true" />
      <span>{label}</span>
      {pending > 0 && <span>{t('sync.pending', { count: pending })}</span>}
    </div>
  );
}
