import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuedTicket } from '@hall/shared';
import { BigButton, OnScreenKeyboard, useRoleStation } from '@hall/ui';
import { useSession } from '../state/session';
import { CardIcon } from './CardIcon';
import { Frame } from './Frame';
import { TicketCounters, TicketKindBadge } from './TicketKind';

/**
 * 小票补打. A citizen who lost the number places the ID card (or shows the residence code):
 * every ticket of theirs still waiting today is reprinted. One who remembers the number
 * types it; only tickets this kiosk issued today are reprinted that way.
 */
export function Reprint() {
  const { t } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const citizen = useSession((s) => s.citizen);
  const [number, setNumber] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [mine, setMine] = useState<IssuedTicket[]>();
  const busy = useSession((s) => s.busy);

  const show = (ticket: IssuedTicket, refused?: { code: string }) => {
    const s = useSession.getState();
    s.set({ issued: ticket, notAccepted: refused });
    s.go('ticket');
  };

  // The card reader or the scanner identified the citizen (App sets it): look their tickets up.
  const handle = citizen?.handle;
  useEffect(() => {
    if (handle === undefined) return;
    const s = useSession.getState();
    s.set({ busy: true });
    station.call('kiosk.reprintMine', { citizenHandle: handle }).then(
      ({ tickets }) => {
        s.set({ busy: false });
        const [only] = tickets;
        if (tickets.length === 1 && only) show(only);
        else setMine(tickets);
      },
      () => s.set({ busy: false, error: 'errors.generic' }),
    );
  }, [handle, station]);

  const reprint = async () => {
    const s = useSession.getState();
    s.set({ busy: true });
    try {
      const issued = await station.call('kiosk.reprint', { number });
      s.set({ busy: false });
      if (!issued) {
        setNotFound(true);
        return;
      }
      const { refused, ...ticket } = issued;
      show(ticket, refused);
    } catch {
      s.set({ busy: false, error: 'errors.generic' });
    }
  };

  if (mine) return <ReprintedList tickets={mine} />;
  const valid = /^[A-Z]\d{2,4}$/.test(number);
  return (
    <Frame
      title={t('reprint.title')}
      testId="reprint"
      footer={
        <BigButton variant="primary" disabled={!valid || busy} onClick={() => void reprint()} data-testid="reprint-go">
          {t('reprint.print')}
        </BigButton>
      }
    >
      <div className="card-reader reprint-card" data-testid="reprint-by-card">
        <CardIcon />
        <div className="card-text">{t('reprint.byCard')}</div>
        <div className="muted">{handle !== undefined && busy ? t('reprint.looking') : t('reprint.byCardHint')}</div>
      </div>
      <p>{t('reprint.orNumber')}</p>
      <div className="id-display" data-testid="reprint-number">
        {number || '\u00a0'}
      </div>
      {notFound && (
        <div className="field-error" role="alert" data-testid="reprint-not-found">
          {t('reprint.notFound')}
        </div>
      )}
      <OnScreenKeyboard
        layout="latin"
        onInput={(c) => {
          setNotFound(false);
          setNumber((n) => (n + c).toUpperCase().slice(0, 5));
        }}
        onBackspace={() => setNumber((n) => n.slice(0, -1))}
        onClear={() => setNumber('')}
      />
    </Frame>
  );
}

/** Several tickets (or none) found by identity: each slip printed, each number shown. */
function ReprintedList({ tickets }: { tickets: IssuedTicket[] }) {
  const { t } = useTranslation();
  return (
    <Frame title={t('reprint.title')} testId="reprint-mine">
      {tickets.length === 0 ? (
        <div className="notice warn" role="status" data-testid="reprint-none">
          {t('reprint.noneMine')}
        </div>
      ) : (
        <>
          <div className="notice ok" role="status">
            {t('reprint.foundMine', { count: tickets.length })}
          </div>
          <ul className="reprinted-list">
            {tickets.map((issued) => (
              <li key={issued.ticket.id} className="ticket-card" data-testid={`reprinted-${issued.ticket.number}`}>
                <div className="ticket-number">{issued.ticket.number}</div>
                <TicketKindBadge issued={issued} />
                <div className="ticket-service">{issued.serviceNames.join('、')}</div>
                <TicketCounters issued={issued} />
                <div className={issued.print.printed ? 'muted' : 'field-error'}>{issued.print.printed ? t('reprint.printedOne') : t('reprint.notPrinted')}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </Frame>
  );
}
