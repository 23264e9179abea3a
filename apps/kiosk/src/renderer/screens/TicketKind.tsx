import { useTranslation } from 'react-i18next';
import type { IssuedTicket } from '@hall/shared';

/** 咨询号 are told apart wherever a ticket is shown: a badge beside the number. */
export function TicketKindBadge({ issued }: { issued: IssuedTicket }) {
  const { t } = useTranslation();
  if (issued.ticket.kind !== 'consultation') return null;
  return (
    <div className="kind-badge" data-testid="ticket-kind" data-kind="consultation">
      {t('ticket.consultation')}
    </div>
  );
}

/** The windows that call the ticket's queue, as the slip prints them. */
export function TicketCounters({ issued }: { issued: IssuedTicket }) {
  const { t, i18n } = useTranslation();
  const numbers = issued.counterNumbers ?? [];
  if (numbers.length === 0) return null;
  return (
    <div className="ticket-counters" data-testid="ticket-counters">
      {t('ticket.counters', { numbers: numbers.join(i18n.language === 'en' ? ', ' : '、') })}
    </div>
  );
}
