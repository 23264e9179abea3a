import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingSettings, Service } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useLocalized } from '../localized';
import { useGet } from '../useApi';
import { PhoneLinksSection } from './PhoneLinksSection';
import { PurgeSection } from './PurgeSection';

const DEFAULTS: Omit<BookingSettings, 'serviceId'> = { enabled: false, slotMinutes: 30, capacityPerSlot: 4, daysAhead: 7, maxPerDay: null, maxOpenPerCitizen: 3 };

/** Issue 18: which services citizens may book from the phone, and how many per slot and per day. */
export function BookingPage({ session, hallId, cityWide, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const { text } = useLocalized();
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const saved = useGet<{ settings: BookingSettings[] }>(session, `/admin/halls/${hallId}/booking-settings`);
  const [drafts, setDrafts] = useState<Record<string, BookingSettings>>({});
  const { feedback, run } = useFeedback();
  const current = (serviceId: string): BookingSettings => drafts[serviceId] ?? saved.data?.settings.find((s) => s.serviceId === serviceId) ?? { serviceId, ...DEFAULTS };
  const edit = (serviceId: string, change: Partial<BookingSettings>) => setDrafts({ ...drafts, [serviceId]: { ...current(serviceId), ...change } });
  const save = async (serviceId: string) => {
    if (await run(() => request(session, 'PUT', `/admin/halls/${hallId}/booking-settings`, current(serviceId)), t('booking.saved'))) {
      const { [serviceId]: _done, ...rest } = drafts;
      setDrafts(rest);
      saved.reload();
      onConfigChanged();
    }
  };
  const number = (serviceId: string, key: 'slotMinutes' | 'capacityPerSlot' | 'daysAhead' | 'maxOpenPerCitizen', min: number, max: number) => (
    <input type="number" min={min} max={max} value={current(serviceId)[key]} data-testid={`booking-${key}-${serviceId}`} onChange={(e) => edit(serviceId, { [key]: Number(e.target.value) })} />
  );
  return (
    <div data-testid="booking-page">
      <h2>{t('booking.heading')}</h2>
      <p className="muted">
        {t('booking.hint')} <a href={`/book/${hallId}`} target="_blank" rel="noreferrer">{`/book/${hallId}`}</a>
      </p>
      <FeedbackLine feedback={feedback} testId="booking-message" />
      <table className="card">
        <thead>
          <tr>
            <th>{t('booking.service')}</th>
            <th>{t('booking.enabled')}</th>
            <th>{t('booking.slotMinutes')}</th>
            <th>{t('booking.capacity')}</th>
            <th>{t('booking.maxPerDay')}</th>
            <th>{t('booking.daysAhead')}</th>
            <th>{t('booking.maxOpen')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(services.data?.services ?? []).map((s) => {
            const row = current(s.id);
            return (
              <tr key={s.id} data-testid={`booking-row-${s.id}`}>
                <td>{text(s.name)}</td>
                <td>
                  <input type="checkbox" checked={row.enabled} data-testid={`booking-enabled-${s.id}`} onChange={(e) => edit(s.id, { enabled: e.target.checked })} />
                </td>
                <td>{number(s.id, 'slotMinutes', 10, 240)}</td>
                <td>{number(s.id, 'capacityPerSlot', 1, 500)}</td>
                <td>
                  <input
                    type="number"
                    min={1}
                    placeholder={t('booking.noLimit')}
                    value={row.maxPerDay ?? ''}
                    data-testid={`booking-maxPerDay-${s.id}`}
                    onChange={(e) => edit(s.id, { maxPerDay: e.target.value === '' ? null : Number(e.target.value) })}
                  />
                </td>
                <td>{number(s.id, 'daysAhead', 1, 60)}</td>
                <td>{number(s.id, 'maxOpenPerCitizen', 1, 10)}</td>
                <td>
                  <button type="button" className="primary" disabled={!drafts[s.id]} data-testid={`booking-save-${s.id}`} onClick={() => void save(s.id)}>
                    {t('booking.save')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <PhoneLinksSection session={session} hallId={hallId} onConfigChanged={onConfigChanged} />
      <PurgeSection session={session} cityWide={cityWide} />
    </div>
  );
}
