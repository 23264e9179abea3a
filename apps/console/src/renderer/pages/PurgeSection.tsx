import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type StaffSession } from '../api';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useGet } from '../useApi';

interface PurgeSettings {
  everyMinutes: number;
  keepPhoneDays: number;
}
interface PurgeState {
  settings: PurgeSettings;
  lastRunAt: string | null;
  lastReport: { sessions: number; codes: number; appointmentPhones: number; smsPhones: number; positionPhones?: number; parcelPhones?: number } | null;
}

/**
 * 个人信息清理 (issue 18): how often phone-booking personal data is purged and how long phones
 * are kept. City-wide, so only the city administrator changes it; managers see it.
 */
export function PurgeSection({ session, cityWide }: { session: StaffSession; cityWide: boolean }) {
  const { t } = useTranslation();
  const state = useGet<PurgeState>(session, '/admin/personal-data-purge');
  const [draft, setDraft] = useState<PurgeSettings>();
  useEffect(() => setDraft(state.data?.settings), [state.data]);
  const { feedback, run } = useFeedback();
  const save = async () => {
    if (draft && (await run(() => request(session, 'PUT', '/admin/personal-data-purge', draft), t('purge.saved')))) state.reload();
  };
  const field = (key: keyof PurgeSettings, min: number, max: number) => (
    <label>
      {t(`purge.${key}`)}{' '}
      <input type="number" min={min} max={max} disabled={!cityWide} value={draft?.[key] ?? ''} data-testid={`purge-${key}`} onChange={(e) => draft && setDraft({ ...draft, [key]: Number(e.target.value) })} />
    </label>
  );
  const report = state.data?.lastReport;
  return (
    <section className="card" data-testid="purge-section">
      <h3>{t('purge.heading')}</h3>
      <p className="muted">{t('purge.hint')}</p>
      <div className="toolbar">
        {field('everyMinutes', 5, 10080)}
        {field('keepPhoneDays', 1, 365)}
        {cityWide ? (
          <button type="button" className="primary" onClick={() => void save()} data-testid="purge-save">
            {t('purge.save')}
          </button>
        ) : (
          <span className="muted">{t('purge.cityOnly')}</span>
        )}
      </div>
      <FeedbackLine feedback={feedback} testId="purge-message" />
      <p data-testid="purge-last">
        {state.data?.lastRunAt && report
          ? t('purge.lastRun', { at: new Date(state.data.lastRunAt).toLocaleString(), positionPhones: 0, parcelPhones: 0, ...report })
          : t('purge.never')}
      </p>
    </section>
  );
}
