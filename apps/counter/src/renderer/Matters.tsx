import { useTranslation } from 'react-i18next';
import { ticketMatters, type Ticket } from '@hall/shared';
import { localized } from '@hall/ui';
import { useDesk } from './state';

/**
 * 一号联办 at the counter: every matter of the ticket with its sub number (主从号) and
 * the citizen it is for, so the clerk serves a family one member at a time.
 */
export function TicketMatterList({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { catalogue } = useDesk();
  if (ticket.serviceIds.length < 2) return null;
  return (
    <table className="matters" data-testid="ticket-matters">
      <caption>{t('matters.heading', { count: ticket.serviceIds.length })}</caption>
      <tbody>
        {ticketMatters(ticket).map((m) => {
          const service = catalogue?.services.find((s) => s.id === m.serviceId);
          return (
            <tr key={m.serviceId} data-testid={`ticket-matter-${m.serviceId}`}>
              <td className="matter-number">{m.number}</td>
              <td>{service ? localized(service.name, i18n.language) : m.serviceId}</td>
              <td>{m.citizen?.maskedName ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
