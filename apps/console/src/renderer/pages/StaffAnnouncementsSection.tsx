import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';

type Audience = 'all' | 'clerk' | 'officer';
interface Announcement {
  id: string;
  title: { zh: string; en?: string };
  body: { zh: string; en?: string };
  audience: Audience;
  validFrom: string;
  validUntil: string | null;
  withdrawnAt: string | null;
  createdAt: string;
  readCount: number;
  audienceCount: number;
}

/** A datetime-local value (the manager's own clock) as an instant, or nothing when left empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
const shown = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/**
 * 员工公告 (系统通知公告, issue 20): the manager writes to the hall's staff; counters show it
 * to each clerk at sign-in until 已阅, and the list counts who of the audience has read it.
 */
export function StaffAnnouncementsSection({ session, hallId }: Pick<PageProps, 'session' | 'hallId'>) {
  const { t } = useTranslation();
  const list = useGet<{ announcements: Announcement[] }>(session, `/admin/halls/${hallId}/staff-announcements`);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [audience, setAudience] = useState<Audience>('all');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(undefined);
      list.reload();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const post = async (event: FormEvent) => {
    event.preventDefault();
    const validFrom = instant(from);
    const validUntil = instant(until);
    const ok = await act(() =>
      request(session, 'POST', `/admin/halls/${hallId}/staff-announcements`, {
        title: { zh: title },
        body: { zh: body },
        audience,
        ...(validFrom ? { validFrom } : {}),
        ...(validUntil ? { validUntil } : {}),
      }),
    );
    if (ok) {
      setTitle('');
      setBody('');
    }
  };
  const items = list.data?.announcements ?? [];
  return (
    <section className="card" data-testid="staff-announcements">
      <h2>{t('staffAnnouncements.heading')}</h2>
      <p className="muted">{t('staffAnnouncements.hint')}</p>
      <form onSubmit={(e) => void post(e)}>
        <label className="stack">
          {t('staffAnnouncements.title')} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={60} data-testid="sa-title" />
        </label>
        <label className="stack">
          {t('staffAnnouncements.body')}
          <textarea value={body} onChange={(e) => setBody(e.target.value)} required maxLength={2000} rows={4} data-testid="sa-body" />
        </label>
        <div className="toolbar">
          <label>
            {t('staffAnnouncements.audience')}{' '}
            <select value={audience} onChange={(e) => setAudience(e.target.value as Audience)} data-testid="sa-audience">
              {(['all', 'clerk', 'officer'] as const).map((a) => (
                <option key={a} value={a}>
                  {t(`staffAnnouncements.audiences.${a}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('staffAnnouncements.from')} <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('staffAnnouncements.until')} <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="sa-post">
            {t('staffAnnouncements.post')}
          </button>
        </div>
      </form>
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      {items.length === 0 ? (
        <p className="muted">{t('staffAnnouncements.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('staffAnnouncements.title')}</th>
              <th>{t('staffAnnouncements.audience')}</th>
              <th>{t('staffAnnouncements.period')}</th>
              <th>{t('staffAnnouncements.reads')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-testid="sa-row" className={a.withdrawnAt ? 'muted' : undefined}>
                <td>
                  <b>{a.title.zh}</b>
                  <div className="muted">{a.body.zh}</div>
                </td>
                <td>{t(`staffAnnouncements.audiences.${a.audience}`)}</td>
                <td>
                  {shown(a.validFrom)} – {a.validUntil ? shown(a.validUntil) : t('staffAnnouncements.untilWithdrawn')}
                </td>
                <td data-testid="sa-reads">{t('staffAnnouncements.readOf', { read: a.readCount, of: a.audienceCount })}</td>
                <td>
                  {a.withdrawnAt ? (
                    t('staffAnnouncements.withdrawn')
                  ) : (
                    <button type="button" onClick={() => void act(() => request(session, 'POST', `/admin/halls/${hallId}/staff-announcements/${a.id}/withdraw`, {}))}>
                      {t('staffAnnouncements.withdraw')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
