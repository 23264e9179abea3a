import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { localDateTime, ticketMatters, type PrintOutcome, type Ticket as QueueTicket } from '@hall/shared';
import { BigButton, localized, useStationEvent, useSyncStatus } from '@hall/ui';
import { useHall, usePriorityGroups } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { PositionSmsOffer } from './PositionSms';
import { PrintForm } from './PrintForm';
import { TicketCounters, TicketKindBadge } from './TicketKind';

/** The ticket as printed: number, service, people ahead, wait, time and QR; a print fault is said in plain words. */
export function Ticket() {
  const { t } = useTranslation();
  const issued = useSession((s) => s.issued);
  const submitted = useSession((s) => s.submitted);
  const checkedIn = useSession((s) => s.checkedIn);
  const notAccepted = useSession((s) => s.notAccepted);
  const journey = useSession((s) => s.journey);
  const online = useSyncOnline();
  const timeZone = useHall((s) => s.catalogue?.hall.timeZone ?? 'Asia/Shanghai');
  const groups = usePriorityGroups();
  const { finish } = useFlow();
  const [qr, setQr] = useState<string>();
  // The central API refused this ticket on sync (e.g. the appointment was checked in at
  // another kiosk first): the slip was printed, so the ticket stays and the screen says why.
  const [refusedCode, setRefusedCode] = useState<string>();
  useStationEvent('mutation.rejected', (rejection) => {
    if (issued && rejection.ticketId === issued.ticket.id) setRefusedCode(rejection.code);
  });
  useEffect(() => {
    if (!issued) return;
    void QRCode.toString(issued.followUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(undefined));
  }, [issued]);
  if (!issued) return null;
  const { ticket, print } = issued;
  const group = ticket.priorityGroupId ? groups.find((g) => g.id === ticket.priorityGroupId) : undefined;
  return (
    <section className="screen ticket-screen" data-testid="screen-ticket">
      <h1 className="screen-title">{notAccepted || journey === 'reprint' ? t('reprint.title') : t('ticket.title')}</h1>
      <div className="ticket-layout">
      <div className="ticket-card" data-testid="ticket-card">
        <div className="ticket-label">{ticket.kind === 'consultation' ? t('ticket.consultationNumber') : t('ticket.number')}</div>
        <div className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </div>
        <TicketKindBadge issued={issued} />
        {group && <div className="priority-badge">{t('ticket.priority')}</div>}
        {ticket.serviceIds.length > 1 ? (
          <TicketMatters ticket={ticket} />
        ) : (
          <div className="ticket-service" data-testid="ticket-service">
            {issued.serviceNames.join('、')}
          </div>
        )}
        <TicketCounters issued={issued} />
        {/* Not in the hall's queue: nobody is ahead of it and it has no wait. */}
        {!notAccepted && <div data-testid="ticket-ahead">{t('ticket.ahead', { count: issued.ahead })}</div>}
        {!notAccepted && <div>{issued.estimatedWaitMinutes !== undefined ? t('ticket.wait', { minutes: issued.estimatedWaitMinutes }) : t('ticket.waitUnknown')}</div>}
        <div className="muted">{t('ticket.issuedAt', { time: localDateTime(ticket.issuedAt, timeZone) })}</div>
        {qr && <img className="ticket-qr" alt={t('ticket.scan')} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr)}`} />}
        <div className="muted">{t('ticket.scan')}</div>
      </div>
      <div className="ticket-side">
      <PrintStatus print={print} />
      {notAccepted && (
        <div className="notice warn" role="alert" data-testid="ticket-not-accepted" data-code={notAccepted.code}>
          {t('ticket.notAccepted')}
        </div>
      )}
      {refusedCode && (
        <div className="notice warn" role="alert" data-testid="ticket-refused" data-code={refusedCode}>
          {refusedCode === 'appointment_checked_in' ? t('ticket.refusedCheckedIn') : t('ticket.refused')}
        </div>
      )}
      {checkedIn && !refusedCode && (
        <div className={checkedIn.late ? 'notice warn' : 'notice ok'} data-testid="checked-in" data-late={checkedIn.late}>
          {checkedIn.late ? t('ticket.checkedInLate') : t('ticket.checkedIn')}
        </div>
      )}
      {submitted && (
        <div className="notice ok" data-testid="submitted">
          {submitted.pendingSync ? t('review.queued') : t('review.submitted')}
        </div>
      )}
      {submitted && <PrintForm caseId={submitted.caseId} />}
      {!notAccepted && !refusedCode && ticket.status === 'waiting' && <PositionSmsOffer ticketId={ticket.id} />}
      {!online && !submitted && (
        <div className="notice warn" data-testid="offline-note">
          {t('ticket.offline')}
        </div>
      )}
      <BigButton variant="primary" size="large" onClick={finish} data-testid="ticket-done">
        {t('ticket.done')}
      </BigButton>
      </div>
      </div>
    </section>
  );
}

/** The slip as it happens: printing, printed, or why not (the number on screen stays valid either way). */
function PrintStatus({ print }: { print: PrintOutcome }) {
  const { t } = useTranslation();
  const state = print.printing ? 'printing' : print.printed ? 'printed' : 'problem';
  return (
    <div className={state === 'problem' ? 'notice warn' : 'notice ok'} role="status" data-testid="print-status" data-state={state} data-printed={print.printed} data-problem={print.problem}>
      {state === 'printing' ? t('ticket.printing') : state === 'printed' ? t('ticket.printed') : t('ticket.printProblem', { problem: t(`ticket.problems.${print.problem ?? 'error'}`) })}
    </div>
  );
}

/** 主从号: each matter with its sub number and (masked) citizen, as the slip prints them. */
function TicketMatters({ ticket }: { ticket: QueueTicket }) {
  const { t, i18n } = useTranslation();
  const services = useHall((s) => s.catalogue?.services);
  const matters = ticketMatters(ticket);
  return (
    <div className="ticket-matters" data-testid="ticket-matters">
      <div className="ticket-service">{t('matters.ticketHeading', { count: matters.length })}</div>
      <ol>
        {matters.map((m) => {
          const service = services?.find((s) => s.id === m.serviceId);
          return (
            <li key={m.serviceId} data-testid={`ticket-matter-${m.serviceId}`}>
              <b>{m.number}</b> {service ? localized(service.name, i18n.language) : m.serviceId}
              {m.citizen && <span className="muted"> · {m.citizen.maskedName}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function useSyncOnline(): boolean {
  const { status } = useSyncStatus();
  return status?.online ?? true;
}
