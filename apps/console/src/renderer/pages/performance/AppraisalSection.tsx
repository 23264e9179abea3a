import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type StaffSession } from '../../api';
import { PeriodPicker, SubjectPicker } from './PeriodPicker';
import { localTime, showValue, type Appraisal, type Overview, type Subject } from './types';

/** 考评数据处理 and 考评结果发布: score a period under a scheme, look, publish. */
export function AppraisalSection(props: { session: StaffSession; base: string; overview: Overview; onChanged: () => void }) {
  const { t } = useTranslation();
  const { overview } = props;
  const [period, setPeriod] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7));
  const [schemeId, setSchemeId] = useState('');
  const [subject, setSubject] = useState<Subject>('clerk');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const scheme = schemeId || overview.schemes[0]?.id || '';
  const appraisal = overview.appraisals.find((a) => a.period === period && a.schemeId === scheme && a.subject === subject);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(undefined);
      props.onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="appraisal-section">
      <div className="toolbar">
        <PeriodPicker value={period} onChange={setPeriod} testId="appraisal-period" />
        <SubjectPicker value={subject} onChange={setSubject} testId="appraisal-subject" />
        <label>
          {t('performance.scheme')}{' '}
          <select value={scheme} onChange={(e) => setSchemeId(e.target.value)} data-testid="appraisal-scheme">
            {overview.schemes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || !scheme} onClick={() => void act(() => request(props.session, 'POST', `${props.base}/appraisals`, { schemeId: scheme, period, subject }))} data-testid="appraisal-compute">
          {appraisal ? t('performance.recompute') : t('performance.compute')}
        </button>
        {appraisal?.status === 'draft' && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => request(props.session, 'POST', `${props.base}/appraisals/${appraisal.id}/publish`))} data-testid="appraisal-publish">
            {t('performance.publish')}
          </button>
        )}
      </div>
      {overview.schemes.length === 0 && <p className="muted">{t('performance.noScheme')}</p>}
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      {appraisal ? <AppraisalTable appraisal={appraisal} /> : <p className="muted">{t('performance.noAppraisal')}</p>}
    </section>
  );
}

export function AppraisalTable({ appraisal }: { appraisal: Appraisal }) {
  const { t } = useTranslation();
  return (
    <>
      <p data-testid="appraisal-status">
        <span className={appraisal.status === 'published' ? 'pill pill-online' : 'pill pill-pending'}>{appraisal.status === 'published' ? t('performance.published') : t('performance.draft')}</span>{' '}
        {t('performance.version', { version: appraisal.version })} · {t('performance.computedAt', { at: localTime(appraisal.computedAt) })}
        {appraisal.appealUntil && <> · {t('performance.appealUntil', { at: localTime(appraisal.appealUntil) })}</>}
      </p>
      <table className="table stats-table" data-testid="appraisal-results">
        <thead>
          <tr>
            <th className="num">{t('performance.rank')}</th>
            <th>{appraisal.subject === 'clerk' ? t('performance.staffNumber') : t('performance.counterNumber')}</th>
            <th>{appraisal.subject === 'clerk' ? t('performance.name') : t('performance.counterName')}</th>
            {appraisal.items.map((i) => (
              <th key={i.indicator} className="num">
                {t(`performance.indicators.${i.indicator}`)} <span className="muted small">/{i.weight}</span>
              </th>
            ))}
            {appraisal.subject === 'clerk' && <th className="num">{t('performance.events')}</th>}
            <th className="num">{t('performance.total')}</th>
          </tr>
        </thead>
        <tbody>
          {appraisal.results.map((r) => (
            <tr key={r.staffId} data-testid={`result-${r.staffNumber}`}>
              <td className="num">{r.rank}</td>
              <td className="mono">{r.staffNumber}</td>
              <td>{r.name}</td>
              {appraisal.items.map((i) => (
                <td key={i.indicator} className="num">
                  {r.scores[i.indicator] ?? 0} <span className="muted small">({showValue(i.indicator, r.values[i.indicator])})</span>
                </td>
              ))}
              {appraisal.subject === 'clerk' && <td className="num">{r.eventPoints > 0 ? `+${r.eventPoints}` : r.eventPoints}</td>}
              <td className="num" data-testid="result-total">
                <strong>{r.total}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
