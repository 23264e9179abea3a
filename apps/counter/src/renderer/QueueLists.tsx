import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized, useRoleStation } from '@hall/ui';
import { KindPill } from './KindPill';
import { heldTicket, missedRecallable, myCounter, useDesk, waitingFor } from './state';

export function QueueLists() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, session, tickets, busy, run, applyChanged, markCalled } = useDesk();
  const counter = myCounter(catalogue, session);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  const waiting = waitingFor(tickets, counter);
  const missed = missedRecallable(tickets, counter, catalogue?.callingRules.missedRecallWindowMinutes ?? 30, now);
  const held = heldTicket(tickets, counter?.id);
  const serviceName = (id: string | undefined) => {
    const s = catalogue?.services.find((x) => x.id === id);
    return s ? localized(s.name, i18n.language) : '';
  };
  const callSpecific = async (ticketId: string) => {
    const ticket = await run(() => station.call('counter.callSpecific', { ticketId }));
    if (ticket) {
      applyChanged([ticket], []);
      markCalled();
    }
  };
  return (
    <div className="lists">
      <div className="panel list" data-testid="waiting-list">
        <h3>
          {t('lists.waiting')} <span className="count">{waiting.length}</span>
        </h3>
        {waiting.length === 0 && <p className="muted">{t('lists.empty')}</p>}
        <ul>
          {waiting.slice(0, 12).map((ticket) => (
            <li key={ticket.id} data-testid={`waiting-${ticket.number}`}>
              <span className="num">{ticket.number}</span>
              <KindPill kind={ticket.kind} />
              <span className="svc">{serviceName(ticket.serviceIds[0])}</span>
              {ticket.targetCounterId && <span className="pill">→{counter?.number}</span>}
              <button className="btn small" disabled={busy || Boolean(held)} onClick={() => void callSpecific(ticket.id)}>
                {t('lists.callThis')}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="panel list" data-testid="missed-list">
        <h3>
          {t('lists.missed')} <span className="count">{missed.length}</span>
        </h3>
        {missed.length === 0 && <p className="muted">{t('lists.empty')}</p>}
        <ul>
          {missed.map((ticket) => (
            <li key={ticket.id} data-testid={`missed-${ticket.number}`}>
              <span className="num">{ticket.number}</span>
              <span className="svc">{serviceName(ticket.serviceIds[0])}</span>
              <button className="btn small" data-testid={`recall-missed-${ticket.number}`} disabled={busy || Boolean(held)} onClick={() => void callSpecific(ticket.id)}>
                {t('lists.callThis')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
