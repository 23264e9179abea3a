import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, request } from '../../api';
import type { PageProps } from '../../App';
import { FeedbackLine, useFeedback } from '../../Feedback';
import { useGet } from '../../useApi';

interface DepartmentRow {
  id: string;
  name: { zh: string; en?: string };
  active: boolean;
  staff: number;
  counters: number;
  services: number;
}

type Listed = { departments: DepartmentRow[] };

/** 部门管理: add, rename and switch off the hall's departments. */
export function DepartmentsPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const list = useGet<Listed>(session, `/admin/halls/${hallId}/departments`);
  const { feedback, run } = useFeedback();
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [editing, setEditing] = useState<{ id: string; zh: string; en: string }>();
  const base = `/admin/halls/${hallId}/departments`;
  const write = async (send: () => Promise<Listed>, ok: string) => {
    const done = await run(send, ok);
    if (done) {
      list.reload();
      onConfigChanged();
    }
    return done;
  };
  // The server refuses to switch off a department still in use; say so in the console's words.
  const toggle = async (d: DepartmentRow) => {
    try {
      return await request<Listed>(session, 'PATCH', `${base}/${d.id}`, { active: !d.active });
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409) throw new Error(t('departments.inUse', { staff: d.staff, counters: d.counters, services: d.services }));
      throw e;
    }
  };
  const named = (zhName: string, enName: string) => ({ zh: zhName.trim(), ...(enName.trim() ? { en: enName.trim() } : {}) });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await write(() => request<Listed>(session, 'POST', base, { name: named(zh, en) }), t('departments.created', { name: zh.trim() }))) {
      setZh('');
      setEn('');
    }
  };
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    if (await write(() => request<Listed>(session, 'PATCH', `${base}/${editing.id}`, { name: named(editing.zh, editing.en) }), t('departments.saved'))) setEditing(undefined);
  };
  return (
    <div data-testid="departments-page">
      <h2>{t('departments.heading')}</h2>
      <form className="card toolbar" onSubmit={(e) => void add(e)}>
        <label className="grow">
          {t('departments.name')} <input value={zh} onChange={(e) => setZh(e.target.value)} required maxLength={60} data-testid="department-name" />
        </label>
        <label className="grow">
          {t('departments.nameEn')} <input value={en} onChange={(e) => setEn(e.target.value)} maxLength={60} />
        </label>
        <button type="submit" className="primary" data-testid="department-add">
          {t('departments.add')}
        </button>
      </form>
      <FeedbackLine feedback={feedback} testId="departments-feedback" />
      <section className="card">
        <p className="muted">{t('departments.hint')}</p>
        <table>
          <thead>
            <tr>
              <th>{t('departments.name')}</th>
              <th>{t('departments.id')}</th>
              <th className="num">{t('departments.staff')}</th>
              <th className="num">{t('departments.counters')}</th>
              <th className="num">{t('departments.services')}</th>
              <th>{t('departments.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data?.departments ?? []).map((d) => (
              <tr key={d.id} data-testid={`department-${d.id}`} className={d.active ? '' : 'muted'}>
                <td>
                  {editing?.id === d.id ? (
                    <form className="toolbar" onSubmit={(e) => void rename(e)}>
                      <input value={editing.zh} onChange={(e) => setEditing({ ...editing, zh: e.target.value })} required maxLength={60} aria-label={t('departments.name')} data-testid="department-rename-input" />
                      <input value={editing.en} onChange={(e) => setEditing({ ...editing, en: e.target.value })} maxLength={60} aria-label={t('departments.nameEn')} />
                      <button type="submit" className="primary">
                        {t('departments.save')}
                      </button>
                      <button type="button" onClick={() => setEditing(undefined)}>
                        {t('departments.cancel')}
                      </button>
                    </form>
                  ) : (
                    <>
                      {d.name.zh}
                      {d.name.en ? <span className="muted"> · {d.name.en}</span> : null}
                    </>
                  )}
                </td>
                <td className="muted">{d.id}</td>
                <td className="num">{d.staff}</td>
                <td className="num">{d.counters}</td>
                <td className="num">{d.services}</td>
                <td>{d.active ? t('departments.active') : t('departments.inactive')}</td>
                <td>
                  <button type="button" onClick={() => setEditing({ id: d.id, zh: d.name.zh, en: d.name.en ?? '' })} data-testid={`department-rename-${d.id}`}>
                    {t('departments.rename')}
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() => void write(() => toggle(d), t('departments.saved'))}
                    data-testid={`department-toggle-${d.id}`}
                  >
                    {d.active ? t('departments.deactivate') : t('departments.activate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
