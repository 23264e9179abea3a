import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../station/hooks';
import { syncIndicator, type SyncIndicatorVariant } from './syncIndicator';

/**
 * Where the station stands (connected to the central API / working with N stations of the
 * hall / alone) and its pending sync count, always in the corner of every app. `calm` is
 * the kiosk's: small, neutral colours, a short line for citizens (the full one as a tooltip).
 */
export function SyncStatusCorner({ variant = 'clear' }: { variant?: SyncIndicatorVariant }) {
  const { t } = useTranslation('ui');
  const { status, link } = useSyncStatus();
  const shown = syncIndicator(status, link, t, variant);
  return (
    <div
      className={`hall-sync hall-sync-${variant}`}
      data-testid="sync-status"
      data-state={shown.state}
      data-mode={shown.mode ?? ''}
      data-peers={status?.hall?.peers ?? 0}
      data-pending={shown.pending}
      data-rejected={status?.rejected ?? 0}
      data-clock-skewed={shown.clockWarning ? 'true' : 'false'}
      title={shown.detail}
      role="status"
      aria-live="polite"
    >
      <span className="hall-sync-dot" aria-hidden="true" />
      <span data-testid="sync-label">{shown.label}</span>
      {shown.pending > 0 && <span>{t('sync.pending', { count: shown.pending })}</span>}
      {shown.clockWarning && (
        <span className="hall-sync-clock" data-testid="clock-skew" role="alert">
          {shown.clockWarning}
        </span>
      )}
    </div>
  );
}
