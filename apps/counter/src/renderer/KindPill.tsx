import { useTranslation } from 'react-i18next';
import type { Ticket } from '@hall/shared';

/** 咨询号 are told apart at a glance: a consultation needs a different talk than a case. */
export function KindPill({ kind }: { kind: Ticket['kind'] }) {
  const { t } = useTranslation();
  if (kind !== 'consultation') return null;
  return (
    <span className="pill pill-consultation" data-testid="kind-consultation">
      {t('kinds.consultation')}
    </span>
  );
}

/** How the citizen came, as the serving screens say it: booked, a consultation, or walked in. */
export function originKey(ticket: Pick<Ticket, 'appointmentId' | 'kind'>): 'serving.appointment' | 'serving.consultation' | 'serving.walkIn' {
  if (ticket.appointmentId) return 'serving.appointment';
  return ticket.kind === 'consultation' ? 'serving.consultation' : 'serving.walkIn';
}
