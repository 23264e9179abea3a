import { useTranslation } from 'react-i18next';
import { localDateTime } from '@hall/shared';
import { BigButton, localized } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';

/** A polite no: why, and when it will work. */
export function Refusal() {
  const { t, i18n } = useTranslation();
  const refusal = useSession((s) => s.refusal);
  const catalogue = useHall((s) => s.catalogue);
  const timeZone = catalogue?.hall.timeZone ?? 'Asia/Shanghai';
  const { finish } = useFlow();
  if (!refusal) return null;
  const when = (iso: string | null) => (iso ? localDateTime(iso, timeZone) : undefined);
  let text: string;
  switch (refusal.reason) {
    case 'blacklisted':
      // A case closed for a missed supplement bars the citizen: said in plain words, not as the list's code.
      text = t(refusal.source === 'case_overdue' ? 'refusal.blacklistedCaseOverdue' : 'refusal.blacklisted', { why: refusal.why, until: refusal.until });
      break;
    case 'closed':
      text = refusal.opensAt ? t('refusal.closedOpens', { time: when(refusal.opensAt) }) : t('refusal.closed');
      break;
    case 'daily_cap_reached': {
      const service = catalogue?.services.find((s) => s.id === refusal.serviceId);
      const name = service ? localized(service.name, i18n.language) : '';
      text = refusal.opensAt ? t('refusal.capOpens', { service: name, time: when(refusal.opensAt) }) : t('refusal.cap', { service: name });
      break;
    }
    case 'kind_not_offered':
      text = t('refusal.kind');
      break;
    case 'no_catalogue':
      text = t('refusal.noCatalogue');
      break;
    case 'appointment_early':
      text = t('refusal.appointmentEarly', { time: when(refusal.opensAt) });
      break;
    case 'appointment_checked_in':
      text = t('refusal.appointmentCheckedIn');
      break;
    case 'release_refused':
      // Shown on the guide's own screen (Release.tsx); here only if a refusal arrives late.
      text = t('refusal.release');
      break;
  }
  return (
    <section className="screen refusal-screen" data-testid="screen-refusal" data-reason={refusal.reason}>
      <h1 className="screen-title">{t('refusal.title')}</h1>
      <p className="refusal-text" data-testid="refusal-text">
        {text}
      </p>
      <BigButton variant="primary" size="large" onClick={finish} data-testid="refusal-done">
        {t('ticket.done')}
      </BigButton>
    </section>
  );
}
