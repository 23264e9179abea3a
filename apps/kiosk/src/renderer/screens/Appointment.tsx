import { useTranslation } from 'react-i18next';
import { Frame } from './Frame';

/** Check-in needs the queue's checkIn as a sync mutation, which the station does not offer yet. */
export function Appointment() {
  const { t } = useTranslation();
  return (
    <Frame title={t('appointment.title')} testId="appointment">
      <p className="refusal-text" data-testid="appointment-unavailable">
        {t('appointment.unavailable')}
      </p>
    </Frame>
  );
}
