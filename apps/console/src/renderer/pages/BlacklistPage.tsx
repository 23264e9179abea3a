import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { maskIdNumber } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';

const FULL_ID = /^\d{17}[\dXx]$/;

interface Rule {
  noShows: number;
  windowDays: number;
  barDays: number;
}

interface Entry {
  id: string;
  maskedName: string | null;
  reason: string;
  source: 'no_show' | 'manual' | 'legacy';
  from: string;
  until: string;
  createdBy: string | null;
  lifted?: { at: string; by: string | null; reason: string | null };
}

/** 预约黑名单: the hall's no-show rule, and its entries listed, added and lifted (each with a reason, audited by the API). */
export function BlacklistPage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  // A full ID number is matched by its keyed hash on the server; anything else searches masked names.
  const searchParam = FULL_ID.test(search) ? `?idNumber=${search}` : search ? `?name=${encodeURIComponent(search)}` : '';
  const list = useGet<{ today: string; entries: Entry[] }>(session, `/halls/${hallId}/blacklist${searchParam}`);
  const ruleGet = useGet<{ rule: Rule }>(session, `/halls/${hallId}/no-show-rule`);
  const [rule, setRule] = useState<Rule>();
  useEffect(() => setRule(ruleGet.data?.rule), [ruleGet.data]);
  const [form, setForm] = useState({ idNumber: '', name: '', reason: '', until: '' });
  const [lifting, setLifting] = useState<{ id: string; reason: string }>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(undefined);
      list.reload();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const saveRule = async (event: FormEvent) => {
    event.preventDefault();
    if (rule) setSaved(await run(() => request(session, 'PUT', `/halls/${hallId}/no-show-rule`, rule)));
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const body = { idNumber: form.idNumber, reason: form.reason, until: form.until, ...(form.name.trim() ? { name: form.name.trim() } : {}) };
    if (await run(() => request(session, 'POST', `/halls/${hallId}/blacklist`, body))) setForm({ idNumber: '', name: '', reason: '', until: '' });
  };
  const lift = async (event: FormEvent) => {
    event.preventDefault();
    if (lifting && (await run(() => request(session, 'POST', `/blacklist/${lifting.id}/lift`, { reason: lifting.reason })))) setLifting(undefined);
  };
  const today = list.data?.today ?? '';
  const numberField = (key: keyof Rule, min: number) => (
    <label>
      {t(`blacklist.rule.${key}`)}{' '}
      <input type="number" min={min} value={rule?.[key] ?? ''} onChange={(e) => rule && setRule({ ...rule, [key]: Number(e.target.value) })} data-testid={`rule-${key}`} />
    </label>
  );

  return (
    <div data-testid="blacklist-page">
      <h2>{t('blacklist.heading')}</h2>
      <form className="card toolbar" onSubmit={(e) => void saveRule(e)} data-testid="no-show-rule">
        <strong>{t('blacklist.rule.heading')}</strong>
        {numberField('noShows', 0)}
        {numberField('windowDays', 1)}
        {numberField('barDays', 1)}
        <button type="submit" className="primary">
          {t('blacklist.rule.save')}
        </button>
        <span className="muted">{rule?.noShows === 0 ? t('blacklist.rule.off') : t('blacklist.rule.hint')}</span>
        {saved && <span data-testid="rule-saved">✓</span>}
      </form>
      <form className="card toolbar" onSubmit={(e) => void add(e)} data-testid="blacklist-add">
        <label>
          {t('blacklist.idNumber')} <input value={form.idNumber} onChange={(e) => setForm({ ...form, idNumber: e.target.value })} required maxLength={18} autoComplete="off" data-testid="add-id-number" />
        </label>
        <label>
          {t('blacklist.name')} <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} maxLength={32} autoComplete="off" />
        </label>
        <label className="grow">
          {t('blacklist.reason')} <input value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} required minLength={2} maxLength={200} data-testid="add-reason" />
        </label>
        <label>
          {t('blacklist.until')} <input type="date" value={form.until} min={today} onChange={(e) => setForm({ ...form, until: e.target.value })} required data-testid="add-until" />
        </label>
        <button type="submit" className="primary" data-testid="add-submit">
          {t('blacklist.add')}
        </button>
      </form>
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      <section className="card">
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            const typed = query.trim();
            setSearch(typed);
            // A full ID number leaves the screen once sent: the field would show it to anyone passing.
            if (FULL_ID.test(typed)) setQuery('');
          }}
        >
          <label className="grow">
            {t('blacklist.search')} <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('blacklist.searchHint')} autoComplete="off" data-testid="blacklist-search" />
          </label>
          <button type="submit">{t('blacklist.find')}</button>
          {FULL_ID.test(search) && (
            <span className="badge" data-testid="searched-id">
              {t('blacklist.byIdNumber', { id: maskIdNumber(search) })}
            </span>
          )}
        </form>
        {(list.data?.entries ?? []).length === 0 && <p className="muted">{t('blacklist.none')}</p>}
        <table className="table" data-testid="blacklist-table">
          <thead>
            <tr>
              <th>{t('blacklist.name')}</th>
              <th>{t('blacklist.reason')}</th>
              <th>{t('blacklist.source')}</th>
              <th>{t('blacklist.from')}</th>
              <th>{t('blacklist.until')}</th>
              <th>{t('blacklist.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data?.entries ?? []).map((e) => {
              const active = !e.lifted && e.until >= today;
              return (
                <tr key={e.id} data-testid={`blacklist-${e.id}`} data-active={String(active)}>
                  <td>{e.maskedName ?? '—'}</td>
                  <td>{e.reason}</td>
                  <td>{t(`blacklist.sources.${e.source}`)}</td>
                  <td>{e.from}</td>
                  <td>{e.until}</td>
                  <td>{e.lifted ? t('blacklist.lifted', { at: e.lifted.at.slice(0, 10), reason: e.lifted.reason ?? '' }) : active ? t('blacklist.active') : t('blacklist.expired')}</td>
                  <td>
                    {active && lifting?.id !== e.id && (
                      <button type="button" onClick={() => setLifting({ id: e.id, reason: '' })} data-testid="lift">
                        {t('blacklist.lift')}
                      </button>
                    )}
                    {lifting?.id === e.id && (
                      <form className="toolbar" onSubmit={(ev) => void lift(ev)}>
                        <input value={lifting.reason} onChange={(ev) => setLifting({ ...lifting, reason: ev.target.value })} required minLength={2} maxLength={200} placeholder={t('blacklist.liftReason')} data-testid="lift-reason" />
                        <button type="submit" className="primary" data-testid="lift-confirm">
                          {t('blacklist.liftConfirm')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
