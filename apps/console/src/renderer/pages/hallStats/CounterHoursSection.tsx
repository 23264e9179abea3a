import { useTranslation } from 'react-i18next';
import type { Counter } from '@hall/shared';
import type { StaffSession } from '../../api';
import { useGet } from '../../useApi';

interface CounterHours {
  counterId: string;
  pauses: number;
  pausedSeconds: number;
  pausedByReason: Record<string, number>;
  lateCalls: number;
  lateServed: number;
  extendedSeconds: number;
}

const minutes = (s: number) => (s / 60).toFixed(1);

/** 暂停服务统计 and 延时服务统计 per counter over the statistics page's range. */
export function CounterHoursSection(props: { session: StaffSession; hallId: string; from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const report = useGet<{ halls: { hallId: string; counters: CounterHours[] }[] }>(props.session, `/stats/counter-hours?hallId=${props.hallId}&from=${props.from}&to=${props.to}`);
  const counters = useGet<{ counters: Counter[] }>(props.session, `/halls/${props.hallId}/counters`);
  const name = (id: string) => {
    const c = counters.data?.counters.find((x) => x.id === id);
    return c ? `${c.number} · ${en ? (c.name.en ?? c.name.zh) : c.name.zh}` : id;
  };
  const rows = report.data?.halls.flatMap((h) => h.counters) ?? [];
  return (
    <section className="card" data-testid="counter-hours">
      <h3>{t('hallStats.hours')}</h3>
      <p className="muted small">{t('hallStats.hoursHint')}</p>
      {report.error && <p className="error">{t('common.error', { message: report.error })}</p>}
      <table className="stats-table">
        <thead>
          <tr>
            <th>{t('hallStats.counter')}</th>
            <th className="num">{t('hallStats.pauses')}</th>
            <th className="num">{t('hallStats.paused')}</th>
            <th>{t('hallStats.reasons')}</th>
            <th className="num">{t('hallStats.lateCalls')}</th>
            <th className="num">{t('hallStats.lateServed')}</th>
            <th className="num">{t('hallStats.extended')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.counterId} data-testid={`hours-${r.counterId}`}>
              <td>{name(r.counterId)}</td>
              <td className="num">{r.pauses}</td>
              <td className="num">{minutes(r.pausedSeconds)}</td>
              <td>
                {Object.entries(r.pausedByReason)
                  .map(([reason, s]) => `${reason || '—'} ${minutes(s)}`)
                  .join('、') || '—'}
              </td>
              <td className="num">{r.lateCalls}</td>
              <td className="num">{r.lateServed}</td>
              <td className="num">{minutes(r.extendedSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
