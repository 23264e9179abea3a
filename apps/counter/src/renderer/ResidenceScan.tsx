import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { heldTicket, useDesk } from './state';

/** How long a "no ticket held" notice stays: it belongs to the moment of the scan, not to a citizen. */
const NO_TICKET_NOTICE_MS = 20_000;

/**
 * What the station made of the latest residence code read on the counter's scanner. It
 * stays while its ticket is held, so the clerk can read it after turning to the citizen;
 * a new ticket clears it.
 */
export function ResidenceScanBanner() {
  const { t } = useTranslation();
  const { residenceScan: scan, tickets, session, setResidenceScan } = useDesk();
  const held = heldTicket(tickets, session?.counterId);
  const [, tick] = useState(0);
  useEffect(() => {
    if (scan?.outcome !== 'no_ticket') return;
    const timer = setTimeout(() => tick((n) => n + 1), NO_TICKET_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [scan]);
  if (!scan) return null;
  const current = scan.outcome === 'no_ticket' ? Date.now() - Date.parse(scan.at) < NO_TICKET_NOTICE_MS : scan.ticketId === held?.id;
  if (!current) return null;
  const tone = scan.outcome === 'confirmed' ? 'ok' : scan.outcome === 'no_reference' ? 'info' : 'bad';
  const text =
    scan.outcome === 'refused'
      ? t('residence.refused', { reason: t(`residence.reasons.${scan.reason ?? 'malformed'}`) })
      : t(`residence.${scan.outcome}`, { number: scan.ticketNumber ?? '' });
  return (
    <div className={`residence-scan residence-${tone}`} role="status" data-testid="residence-scan" data-outcome={scan.outcome} data-reason={scan.reason ?? ''}>
      <span className="residence-title">{t('residence.title')}</span>
      <span className="residence-text">{text}</span>
      <button className="btn small" data-testid="residence-dismiss" onClick={() => setResidenceScan(undefined)}>
        ✕
      </button>
    </div>
  );
}
