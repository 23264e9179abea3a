import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';
import { StaffAnnouncementsSection } from './StaffAnnouncementsSection';

interface Notice {
  id: string;
  text: { zh: string; en?: string };
  active: boolean;
}

export function NoticesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const notices = useGet<{ notices: Notice[] }>(session, `/admin/halls/${hallId}/notices`);
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [error, setError] = useState<string>();
  const put = async (notice: Notice) => {
    try {
      await request(session, 'PUT', `/admin/halls/${hallId}/notices`, notice);
      setError(undefined);
      notices.reload();
      onConfigChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    await put({ id: `notice-${Date.now().toString(36)}`, text: { zh, ...(en.trim() ? { en } : {}) }, active: true });
    setZh('');
    setEn('');
  };
  return (
    <div data-testid="notices-page">
      <h2>{t('notices.heading')}</h2>
      <form className="card toolbar" onSubmit={(e) => void add(e)}>
        <label className="grow">
          {t('notices.text')} <input value={zh} onChange={(e) => setZh(e.target.value)} required maxLength={200} />
        </label>
        <label className="grow">
          {t('notices.textEn')} <input value={en} onChange={(e) => setEn(e.target.value)} maxLength={200} />
        </label>
        <button type="submit" className="primary">
          {t('notices.add')}
        </button>
      </form>
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      <section className="card">
        {(notices.data?.notices ?? []).length === 0 && <p className="muted">{t('notices.none')}</p>}
        <ul className="notices">
          {(notices.data?.notices ?? []).map((n) => (
            <li key={n.id}>
              <label>
                <input type="checkbox" checked={n.active} onChange={(e) => void put({ ...n, active: e.target.checked })} /> {t('notices.active')}
              </label>{' '}
              {n.text.zh}
              {n.text.en ? <span className="muted"> · {n.text.en}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <StaffAnnouncementsSection session={session} hallId={hallId} />
    </div>
  );
}
