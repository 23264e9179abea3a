import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api';
import type { PageProps } from '../../App';
import { FeedbackLine, useFeedback } from '../../Feedback';
import { useGet } from '../../useApi';
import { peopleZh } from './messages';

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; id: string; login: string | null; name: string | null };
  hallId: string | null;
  action: string;
  entity: string;
  entityId: string;
  detail: Record<string, unknown> | null;
}
interface Listed {
  entries: Entry[];
  total: number;
  page: number;
  pageSize: number;
}
interface Filters {
  actor: string;
  action: string;
  entity: string;
  from: string;
  to: string;
}

const PAGE_SIZE = 20;
const ACTIONS = Object.keys(peopleZh.audit.actions);
const ENTITIES = Object.keys(peopleZh.audit.entities);

/** A local calendar day as the instant it starts, with this browser's offset (the hall's clock). */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

/** An entry's detail as a person reads it: 名：值 pairs, lists joined, nothing in JSON quotes. */
function detailText(detail: Record<string, unknown>): string {
  const shown = (value: unknown): string => {
    if (value === null || value === undefined) return '—';
    if (Array.isArray(value)) return value.map(shown).join('、');
    if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} ${shown(v)}`).join('，');
    return String(value);
  };
  return Object.entries(detail)
    .map(([key, value]) => `${key}：${shown(value)}`)
    .join('；');
}

function queryOf(hallId: string, f: Filters, page: number): string {
  const q = new URLSearchParams({ hallId, page: String(page), pageSize: String(PAGE_SIZE) });
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action) q.set('action', f.action);
  if (f.entity) q.set('entity', f.entity);
  if (f.from) q.set('from', dayStart(f.from));
  // The "to" day is included: the query ends where the next day starts.
  if (f.to) q.set('to', dayStart(f.to, 1));
  return q.toString();
}

/** 审计日志: who changed what and when in this hall, filtered, paged and exported (personal data masked by the server). */
export function AuditPage({ session, hallId }: PageProps) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Filters>({ actor: '', action: '', entity: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [page, setPage] = useState(1);
  const list = useGet<Listed>(session, `/admin/audit?${queryOf(hallId, filters, page)}`);
  const { feedback, run } = useFeedback();
  const search = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setPage(1);
  };
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const label = (group: 'actions' | 'entities', key: string) => (i18n.exists(`audit.${group}.${key}`) ? t(`audit.${group}.${key}`) : key);
  const exportAs = (format: 'csv' | 'xlsx') => void run(() => download(session, `/admin/audit/export.${format}?${queryOf(hallId, filters, 1)}`, `audit-log.${format}`), t('stats.exported'));
  return (
    <div data-testid="audit-page">
      <h2>{t('audit.heading')}</h2>
      <form className="card toolbar" onSubmit={search}>
        <label>
          {t('audit.who')} <input value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} maxLength={64} data-testid="audit-actor" />
        </label>
        <label>
          {t('audit.action')}{' '}
          <select value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} data-testid="audit-action">
            <option value="">{t('audit.any')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {label('actions', a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.entity')}{' '}
          <select value={draft.entity} onChange={(e) => setDraft({ ...draft, entity: e.target.value })} data-testid="audit-entity">
            <option value="">{t('audit.any')}</option>
            {ENTITIES.map((a) => (
              <option key={a} value={a}>
                {label('entities', a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.from')} <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} data-testid="audit-from" />
        </label>
        <label>
          {t('audit.to')} <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} data-testid="audit-to" />
        </label>
        <button type="submit" className="primary" data-testid="audit-search">
          {t('audit.search')}
        </button>
        <button type="button" onClick={() => exportAs('csv')} data-testid="audit-export-csv">
          {t('audit.exportCsv')}
        </button>
        <button type="button" onClick={() => exportAs('xlsx')} data-testid="audit-export-xlsx">
          {t('audit.exportXlsx')}
        </button>
      </form>
      <FeedbackLine feedback={feedback} testId="audit-feedback" />
      {list.error && <p className="error">{t('common.error', { message: list.error })}</p>}
      <section className="card">
        <p className="muted" data-testid="audit-total">
          {t('audit.total', { total: list.data?.total ?? 0 })}
        </p>
        {list.data && list.data.entries.length === 0 && <p className="muted">{t('audit.none')}</p>}
        <table className="audit-table">
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.entity')}</th>
              <th>{t('audit.entityId')}</th>
              <th>{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.entries ?? []).map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>{new Date(e.at).toLocaleString(i18n.language)}</td>
                <td>{e.actor.login ? `${e.actor.login}（${e.actor.name ?? ''}）` : `${e.actor.kind}:${e.actor.id}`}</td>
                <td>{label('actions', e.action)}</td>
                <td>{label('entities', e.entity)}</td>
                <td className="muted">{e.entityId}</td>
                <td className="audit-detail">{e.detail ? detailText(e.detail) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="toolbar">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="audit-prev">
            {t('audit.prev')}
          </button>
          <span data-testid="audit-page-number">{t('audit.page', { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="audit-next">
            {t('audit.next')}
          </button>
        </div>
      </section>
    </div>
  );
}
