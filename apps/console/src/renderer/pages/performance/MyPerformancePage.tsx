import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api';
import type { PageProps } from '../../App';
import { useGet } from '../../useApi';
import { localTime, showValue, type Appeal, type ResultRow, type SchemeItem } from './types';

interface MyResult extends ResultRow {
  appraisalId: string;
  period: string;
  schemeName: string;
  version: number;
  publishedAt: string;
  appealUntil: string | null;
  clerks: number;
  items: SchemeItem[];
}

/** A clerk's own published results (考评结果查阅) and the one appeal each allows. */
export function MyPerformancePage({ session }: PageProps) {
  const { t } = useTranslation();
  const mine = useGet<{ results: MyResult[]; appeals: Appeal[] }>(session, '/performance/mine');
  if (!mine.data) return <p>{mine.error ? t('common.error', { message: mine.error }) : t('common.loading')}</p>;
  const { results, appeals } = mine.data;
  return (
    <div data-testid="my-performance-page">
      <h2>{t('performance.mine.heading')}</h2>
      {results.length === 0 && <p className="muted">{t('performance.mine.none')}</p>}
      {results.map((r) => (
        <MyResultCard key={r.appraisalId} result={r} appeal={appeals.find((a) => a.appraisalId === r.appraisalId)} onAppealed={mine.reload} session={session} />
      ))}
    </div>
  );
}

function MyResultCard(props: { result: MyResult; appeal: Appeal | undefined; onAppealed: () => void; session: PageProps['session'] }) {
  const { t } = useTranslation();
  const { result: r, appeal } = props;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const open = r.appealUntil !== null && new Date(r.appealUntil).getTime() > Date.now();
  const submit = async () => {
    try {
      await request(props.session, 'POST', `/performance/appraisals/${r.appraisalId}/appeal`, { reason });
      setError(undefined);
      props.onAppealed();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="card" data-testid={`my-result-${r.period}`}>
      <h3>
        {r.period} · {r.schemeName} <span className="muted small">{t('performance.version', { version: r.version })}</span>
      </h3>
      <p className="toolbar">
        <span>
          {t('performance.mine.score')} <strong data-testid="my-total">{r.total}</strong>
        </span>
        <span>
          {t('performance.rank')} <strong data-testid="my-rank">{r.rank}</strong> {t('performance.mine.of', { count: r.clerks })}
        </span>
        {r.appealUntil && <span className="muted">{t('performance.appealUntil', { at: localTime(r.appealUntil) })}</span>}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th />
            <th className="num">{t('performance.mine.value')}</th>
            <th className="num">{t('performance.mine.points')}</th>
          </tr>
        </thead>
        <tbody>
          {r.items.map((i) => (
            <tr key={i.indicator}>
              <td>{t(`performance.indicators.${i.indicator}`)}</td>
              <td className="num">{showValue(i.indicator, r.values[i.indicator])}</td>
              <td className="num">
                {r.scores[i.indicator] ?? 0} / {i.weight}
              </td>
            </tr>
          ))}
          <tr>
            <td>{t('performance.events')}</td>
            <td />
            <td className="num">{r.eventPoints}</td>
          </tr>
        </tbody>
      </table>
      {appeal ? (
        <p data-testid="my-appeal">
          {t('performance.mine.myAppeals')}：{appeal.reason} ·{' '}
          {appeal.outcome ? (
            <strong data-testid="my-appeal-answer">
              {t(`performance.appeals.outcome.${appeal.outcome}`)} · {t('performance.mine.answer', { text: appeal.answer })}
            </strong>
          ) : (
            <span>{t('performance.mine.submitted')}</span>
          )}
        </p>
      ) : open ? (
        <p className="toolbar">
          <input className="grow" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('performance.mine.reason')} maxLength={500} data-testid="my-appeal-reason" />
          <button type="button" className="primary" disabled={reason.trim().length < 5} onClick={() => void submit()} data-testid="my-appeal-submit">
            {t('performance.mine.submit')}
          </button>
        </p>
      ) : (
        <p className="muted">{t('performance.mine.closed')}</p>
      )}
      {error && <p className="error">{t('common.error', { message: error })}</p>}
    </section>
  );
}
