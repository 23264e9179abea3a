import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffSession } from '../../api';
import { BarChart } from '../../BarChart';
import { useGet } from '../../useApi';

type Period = 'month' | 'quarter' | 'half' | 'year';
type By = 'theme' | 'hall';
interface Growth {
  issued: number | null;
  served: number | null;
  accepted: number | null;
}
interface TrendReport {
  periods: string[];
  rows: { period: string; group: string; issued: number; served: number; accepted: number; growth: Growth }[];
  trends: { group: string; direction: 'up' | 'down' | 'flat'; slope: number }[];
}

const COLORS = ['#0b4fa8', '#2e9e5b', '#d98c00', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];
const signed = (g: number | null) => (g === null ? '—' : `${g > 0 ? '+' : ''}${g}%`);

/** 按主题、按半年 with 环比 and the range's trend, over the statistics page's range. */
export function TrendSection(props: { session: StaffSession; hallId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('half');
  const [by, setBy] = useState<By>('theme');
  const report = useGet<TrendReport>(props.session, `/stats/trends?hallId=${props.hallId}&from=${props.from}&to=${props.to}&period=${period}&by=${by}`);
  const data = report.data;
  const groups = data ? [...new Set(data.rows.map((r) => r.group))] : [];
  const label = (group: string) => group || t('hallStats.whole');
  return (
    <section className="card" data-testid="trend-stats">
      <div className="card-head">
        <h3>{t('hallStats.trends')}</h3>
        <div className="toolbar">
          <label>
            {t('hallStats.period')}{' '}
            <select value={period} onChange={(e) => setPeriod(e.target.value as Period)} data-testid="trend-period">
              {(['month', 'quarter', 'half', 'year'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`hallStats.periods.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('hallStats.by')}{' '}
            <select value={by} onChange={(e) => setBy(e.target.value as By)} data-testid="trend-by">
              <option value="theme">{t('hallStats.byTheme')}</option>
              <option value="hall">{t('hallStats.byHall')}</option>
            </select>
          </label>
        </div>
      </div>
      {report.error && <p className="error">{t('common.error', { message: report.error })}</p>}
      {data && (
        <>
          <BarChart
            title={`${t('hallStats.served')} · ${t(`hallStats.periods.${period}`)}`}
            labels={data.periods}
            series={groups.map((g, i) => ({ name: label(g), color: COLORS[i % COLORS.length]!, values: data.periods.map((p) => data.rows.find((r) => r.period === p && r.group === g)?.served ?? 0) }))}
          />
          <table className="stats-table" data-testid="trend-table">
            <thead>
              <tr>
                <th>{t('hallStats.group')}</th>
                <th>{t('hallStats.key')}</th>
                <th className="num">{t('hallStats.issued')}</th>
                <th className="num">{t('hallStats.served')}</th>
                <th className="num">{t('hallStats.growth')}</th>
                <th className="num">{t('hallStats.accepted')}</th>
                <th className="num">{t('hallStats.growth')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={`${r.group}|${r.period}`} data-testid={`trend-${r.group || 'hall'}-${r.period}`}>
                  <td>{label(r.group)}</td>
                  <td>{r.period}</td>
                  <td className="num">{r.issued}</td>
                  <td className="num">{r.served}</td>
                  <td className="num">{signed(r.growth.served)}</td>
                  <td className="num">{r.accepted}</td>
                  <td className="num">{signed(r.growth.accepted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted" data-testid="trend-directions">
            {t('hallStats.trend')}：{data.trends.map((d) => `${label(d.group)} ${t(`hallStats.directions.${d.direction}`)}`).join('；') || t('hallStats.none')}
          </p>
        </>
      )}
    </section>
  );
}
