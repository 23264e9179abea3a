import { useTranslation } from 'react-i18next';
import { useDesk } from './state';

/** A call the central system refused (another window served the ticket first): shown at once, until the clerk dismisses it. */
export function ConflictBanner() {
  const { t } = useTranslation();
  const { conflicts, tickets, dismissConflicts } = useDesk();
  if (conflicts.length === 0) return null;
  return (
    <div className="conflicts" role="alert" data-testid="conflicts">
      <strong>{t('conflicts.heading')}</strong>
      <ul>
        {conflicts.map((c) => (
          <li key={c.mutationId} data-testid="conflict">
            {t('conflicts.line', { type: t(`conflicts.types.${c.type}`, { defaultValue: c.type }), ticket: c.ticketId ? (tickets[c.ticketId]?.number ?? c.ticketId) : '', reason: t(`conflicts.reasons.${c.code}`, { defaultValue: c.reason || c.code }) })}
          </li>
        ))}
      </ul>
      <button className="btn" data-testid="conflicts-dismiss" onClick={dismissConflicts}>
        {t('conflicts.dismiss')}
      </button>
    </div>
  );
}
