import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../api';
import type { PageProps } from '../App';
import { BarChart } from '../BarChart';
import { useGet } from '../useApi';
import { CaseStatsSection } from './CaseStatsSection';
import { CounterHoursSection } from './hallStats/CounterHoursSection';
import { TrendSection } from './hallStats/TrendSection';
import { RatingOutboxCard } from './hallStats/RatingOutboxCard';

interface Durations {
  mean: number | null;
  median: number | null;
  p90: number | null;
}
interface TicketRow {
  key: string;
  issued: number;
  consultation: number;
  served: number;
  missed: number;
  transferred: number;
  wait: Durations;
  service: Durations;
}
interface Page {
  tickets: TicketRow[];
  satisfaction: { key: string; total: number; satisfactionRate: number | null }[];
  appointments: { key: string; booked: number; keptRate: number | null }[];
  labels: Record<string, string>;
}

const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
const DIMENSIONS = ['department', 'service', 'counter', 'clerk', 'hall'] as const;

const minutes = (s: number | null) => (s === null ? '—' : (s / 60).toFixed(1));
const percent = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10}%`);

/** The last 365 days up to today, as days of the browser's time zone (the hall's, in a hall). */
function defaultRange(): { from: string; to: string } {
  const day = (d: Date) => d.toLocaleDateString('sv-SE');
  const to = new Date();
  return { from: day(new Date(to.getTime() - 364 * 86_400_000)), to: day(to) };
}

export function StatsPage({ session, hallId, cityWide }: PageProps) {
  const { t } = useTranslation();
  const [range, setRange] = useState(defaultRange);
  const [draft, setDraft] = useState(range);
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('month');
  const [dimension, setDimension] = useState<(typeof DIMENSIONS)[number]>('service');
  const [exportState, setExportState] = useState<string>();
  const base = `/stats?hallId=${hallId}&from=${range.from}&to=${range.to}`;
  const series = useGet<Page>(session, `${base}&groupBy=${period}`);
  const split = useGet<Page>(session, `${base}&groupBy=${dimension}`);
  const doExport = async (groupBy: string, format: 'csv' | 'xlsx' = 'csv') => {
    setExportState(undefined);
    try {
      const path = format === 'csv' ? '/stats/export' : '/stats/export.xlsx';
      await download(session, `${path}?hallId=${hallId}&from=${range.from}&to=${range.to}&groupBy=${groupBy}`, `stats.${format}`);
      setExportState(t('stats.exported'));
    } catch (e) {
      setExportState(t('common.error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  const error = series.error ?? split.error;
  return (
    <div data-testid="stats">
      <form
        className="card toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <label>
          {t('stats.from')} <input type="date" name="from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          {t('stats.to')} <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <label>
          {t('stats.period')}{' '}
          <select name="period" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`stats.periods.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('stats.dimension')}{' '}
          <select name="dimension" value={dimension} onChange={(e) => setDimension(e.target.value as typeof dimension)}>
            {DIMENSIONS.filter((d) => d !== 'hall' || cityWide).map((d) => (
              <option key={d} value={d}>
                {t(`stats.dimensions.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('stats.load')}
        </button>
        <button type="button" onClick={() => void doExport(period)} data-testid="export-series">
          {t('stats.export')} · {t(`stats.periods.${period}`)}
        </button>
        <button type="button" onClick={() => void doExport(dimension)} data-testid="export-split">
          {t('stats.export')} · {t(`stats.dimensions.${dimension}`)}
        </button>
        <button type="button" onClick={() => void doExport(dimension, 'xlsx')} data-testid="export-split-xlsx">
          {t('stats.exportXlsx')} · {t(`stats.dimensions.${dimension}`)}
        </button>
        {exportState && <span className="muted" data-testid="export-state">{exportState}</span>}
      </form>
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      {series.data && (
        <section className="card">
          {series.data.tickets.length === 0 ? (
            <p className="muted">{t('stats.empty')}</p>
          ) : (
            <BarChart
              title={t('stats.chartTitle')}
              labels={series.data.tickets.map((r) => r.key)}
              series={[
                { name: t('stats.issued'), color: '#0b4fa8', values: series.data.tickets.map((r) => r.issued) },
                { name: t('stats.served'), color: '#2e9e5b', values: series.data.tickets.map((r) => r.served) },
                { name: t('stats.missed'), color: '#d98c00', values: series.data.tickets.map((r) => r.missed) },
              ]}
            />
          )}
          <StatsTable page={series.data} testId="series-table" />
        </section>
      )}
      {split.data && (
        <section className="card">
          <h3>{t(`stats.dimensions.${dimension}`)}</h3>
          <StatsTable page={split.data} labelled testId="split-table" />
        </section>
      )}
      <CaseStatsSection session={session} hallId={hallId} from={range.from} to={range.to} dimension={dimension} />
      <TrendSection session={session} hallId={hallId} from={range.from} to={range.to} />
      <CounterHoursSection session={session} hallId={hallId} from={range.from} to={range.to} />
      <RatingOutboxCard session={session} hallId={hallId} />
    </div>
  );
}

function StatsTable(props: { page: Page; labelled?: boolean; testId: string }) {
  const { t } = useTranslation();
  const sat = new Map(props.page.satisfaction.map((s) => [s.key, s]));
  const appt = new Map(props.page.appointments.map((a) => [a.key, a]));
  return (
    <table className="stats-table" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('stats.group')}</th>
          <th className="num">{t('stats.issued')}</th>
          <th className="num">{t('stats.consultation')}</th>
          <th className="num">{t('stats.served')}</th>
          <th className="num">{t('stats.missed')}</th>
          <th className="num">{t('stats.transferred')}</th>
          <th className="num">{t('stats.wait')}</th>
          <th className="num">{t('stats.service')}</th>
          <th className="num">{t('stats.ratings')}</th>
          <th className="num">{t('stats.satisfaction')}</th>
          <th className="num">{t('stats.appointments')}</th>
        </tr>
      </thead>
      <tbody>
        {props.page.tickets.map((r) => (
          <tr key={r.key}>
            <td>{props.labelled ? (props.page.labels[r.key] ?? (r.key || t('stats.unassigned'))) : r.key}</td>
            <td className="num">{r.issued}</td>
            <td className="num" data-testid={`consultation-${r.key}`}>{r.consultation}</td>
            <td className="num">{r.served}</td>
            <td className="num">{r.missed}</td>
            <td className="num">{r.transferred}</td>
            <td className="num">
              {minutes(r.wait.mean)} / {minutes(r.wait.median)} / {minutes(r.wait.p90)}
            </td>
            <td className="num">
              {minutes(r.service.mean)} / {minutes(r.service.median)} / {minutes(r.service.p90)}
            </td>
            <td className="num">{sat.get(r.key)?.total ?? 0}</td>
            <td className="num">{percent(sat.get(r.key)?.satisfactionRate)}</td>
            <td className="num">{percent(appt.get(r.key)?.keptRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
