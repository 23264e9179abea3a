import { useTranslation } from 'react-i18next';
import type { Counter, Department, Service } from '@hall/shared';
import type { StaffSession } from '../api';
import { useGet } from '../useApi';

const COUNTS = ['accepted', 'approved', 'refused', 'supplemented', 'completed', 'withdrawn', 'returned', 'closed', 'overdue'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;
interface CaseStats {
  total: Counts;
  byService: (Counts & { id: string })[];
  byDepartment: (Counts & { id: string })[];
  byCounter: (Counts & { id: string })[];
  byClerk: (Counts & { id: string })[];
}

const GROUPS = { service: 'byService', department: 'byDepartment', counter: 'byCounter', clerk: 'byClerk' } as const;
type Dimension = keyof typeof GROUPS | 'hall';

/** A day of the browser's time zone (the hall's, in a hall) as the instant it starts. */
const dayStart = (day: string, plusDays = 0) => new Date(new Date(`${day}T00:00:00`).getTime() + plusDays * 86_400_000).toISOString();

/** 办件生命周期统计 for the statistics page's range, grouped like the ticket table beside it. */
export function CaseStatsSection(props: { session: StaffSession; hallId: string; from: string; to: string; dimension: Dimension }) {
  const { session, hallId, dimension } = props;
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const stats = useGet<CaseStats>(session, `/halls/${hallId}/case-stats?from=${encodeURIComponent(dayStart(props.from))}&to=${encodeURIComponent(dayStart(props.to, 1))}`);
  const services = useGet<{ services: Service[] }>(session, dimension === 'service' ? `/services?hallId=${hallId}` : null);
  const departments = useGet<{ departments: Department[] }>(session, dimension === 'department' ? `/departments?hallId=${hallId}` : null);
  const counters = useGet<{ counters: Counter[] }>(session, dimension === 'counter' ? `/halls/${hallId}/counters` : null);
  const staff = useGet<{ staff: { id: string; displayName: string; staffNumber: string }[] }>(session, dimension === 'clerk' ? `/admin/halls/${hallId}/staff` : null);
  const named = (n: { zh: string; en?: string }) => (en ? (n.en ?? n.zh) : n.zh);
  const labels = new Map<string, string>([
    ...(services.data?.services ?? []).map((s) => [s.id, named(s.name)] as const),
    ...(departments.data?.departments ?? []).map((d) => [d.id, named(d.name)] as const),
    ...(counters.data?.counters ?? []).map((c) => [c.id, `${c.number} · ${named(c.name)}`] as const),
    ...(staff.data?.staff ?? []).map((s) => [s.id, `${s.displayName}（${s.staffNumber}）`] as const),
  ]);
  if (stats.error) return <p className="error">{t('common.error', { message: stats.error })}</p>;
  const data = stats.data;
  if (!data) return null;
  const rows = dimension === 'hall' ? [] : data[GROUPS[dimension]];
  return (
    <section className="card" data-testid="case-stats">
      <h3>
        {t('caseStats.heading')} · {t(`stats.dimensions.${dimension}`)}
      </h3>
      <table className="stats-table">
        <thead>
          <tr>
            <th>{t('caseStats.group')}</th>
            {COUNTS.map((c) => (
              <th key={c} className="num">
                {t(`caseStats.counts.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid={`case-stats-${r.id}`}>
              <td>{labels.get(r.id) ?? r.id}</td>
              {COUNTS.map((c) => (
                <td key={c} className="num">
                  {r[c]}
                </td>
              ))}
            </tr>
          ))}
          <tr className="total" data-testid="case-stats-total">
            <td>{t('caseStats.total')}</td>
            {COUNTS.map((c) => (
              <td key={c} className="num" data-count={c}>
                {data.total[c]}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
