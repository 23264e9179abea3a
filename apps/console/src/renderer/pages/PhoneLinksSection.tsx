import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PublicBaseUrlSchema } from '@hall/shared';
import { request, type StaffSession } from '../api';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useGet } from '../useApi';

/**
 * 手机链接地址 (issue 18): the address citizens' phones open from slips' and receipts' QR codes
 * and from SMS links. Checked here as the API checks it, so a typo is said before saving;
 * empty means "the stations' own API address", as before the setting existed.
 */
export function PhoneLinksSection({ session, hallId, onConfigChanged }: { session: StaffSession; hallId: string; onConfigChanged: () => void }) {
  const { t } = useTranslation();
  const state = useGet<{ baseUrl: string | null }>(session, `/admin/halls/${hallId}/phone-links`);
  const [draft, setDraft] = useState('');
  useEffect(() => setDraft(state.data?.baseUrl ?? ''), [state.data]);
  const { feedback, run } = useFeedback();
  const parsed = draft.trim() === '' ? undefined : PublicBaseUrlSchema.safeParse(draft);
  const save = async () => {
    const baseUrl = parsed?.success ? parsed.data : null;
    if (await run(() => request(session, 'PUT', `/admin/halls/${hallId}/phone-links`, { baseUrl }), t('phoneLinks.saved'))) {
      state.reload();
      onConfigChanged();
    }
  };
  return (
    <section className="card" data-testid="phone-links-section">
      <h3>{t('phoneLinks.heading')}</h3>
      <p className="muted">{t('phoneLinks.hint')}</p>
      <div className="toolbar">
        <label>
          {t('phoneLinks.baseUrl')}{' '}
          <input type="url" size={48} placeholder="https://hall.example.gov.cn" value={draft} data-testid="phone-links-url" onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="button" className="primary" disabled={parsed?.success === false} onClick={() => void save()} data-testid="phone-links-save">
          {t('phoneLinks.save')}
        </button>
      </div>
      {parsed?.success === false && (
        <p className="error" role="alert" data-testid="phone-links-invalid">
          {t('phoneLinks.invalid')}
        </p>
      )}
      <p className="muted" data-testid="phone-links-example">
        {t('phoneLinks.example', { url: `${parsed?.success ? parsed.data : (state.data?.baseUrl ?? t('phoneLinks.stationAddress'))}/follow/…` })}
      </p>
      <FeedbackLine feedback={feedback} testId="phone-links-message" />
    </section>
  );
}
