import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, type StaffSession } from '../../api';
import { useGet } from '../../useApi';
import { PeriodPicker, SubjectPicker } from './PeriodPicker';
import { thisMonth, type Subject } from './types';

type Grade = 'excellent' | 'good' | 'pass' | 'improve';
interface Report {
  rows: { staffId: string; name: string; staffNumber: string; appraisals: number; averageScore: number; bestRank: number; bonusPoints: number; penaltyPoints: number; grade: Grade; rank: number }[];
  grades: Record<Grade, number>;
}

/** 考评结果统计: the month or year report over published results, with CSV export. */
export function ReportSection(props: { session: StaffSession; base: string; version: number }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(thisMonth);
  const [subject, setSubject] = useState<Subject>('clerk');
  const [error, setError] = useState<string>();
  const report = useGet<Report>(props.session, `${props.base}/report?period=${period}&subject=${subject}&v=${props.version}`);
  const rows = report.data?.rows ?? [];
  return (
    <section className="card" data-testid="report-section">
      <h3>{t('performance.report.heading')}</h3>
      <p className="toolbar">
        <PeriodPicker value={period} onChange={setPeriod} testId="report-period" />
        <SubjectPicker value={subject} onChange={setSubject} testId="report-subject" />
        <button type="button" onClick={() => void download(props.session, `${props.base}/report?period=${period}&subject=${subject}&format=csv`, `performance-${subject}-${period}.csv`).catch((e: unknown) => setError(String(e)))} data-testid="report-export">
          {t('performance.report.export')}
        </button>
      </p>
      {error && <p className="error">{error}</p>}
      {rows.length === 0 ? (
        <p className="muted">{t('performance.report.empty')}</p>
      ) : (
        <>
          <table className="table stats-table" data-testid="report-table">
            <thead>
              <tr>
                <th className="num">{t('performance.rank')}</th>
                <th>{subject === 'clerk' ? t('performance.staffNumber') : t('performance.counterNumber')}</th>
                <th>{subject === 'clerk' ? t('performance.name') : t('performance.counterName')}</th>
                <th className="num">{t('performance.report.appraisals')}</th>
                <th className="num">{t('performance.report.average')}</th>
                <th className="num">{t('performance.report.bestRank')}</th>
                <th className="num">{t('performance.report.bonus')}</th>
                <th className="num">{t('performance.report.penalty')}</th>
                <th>{t('performance.report.grade')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.staffId} data-testid={`report-${r.staffNumber}`}>
                  <td className="num">{r.rank}</td>
                  <td className="mono">{r.staffNumber}</td>
                  <td>{r.name}</td>
                  <td className="num">{r.appraisals}</td>
                  <td className="num">{r.averageScore}</td>
                  <td className="num">{r.bestRank}</td>
                  <td className="num">{r.bonusPoints}</td>
                  <td className="num">{r.penaltyPoints}</td>
                  <td>{t(`performance.report.grades.${r.grade}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="report-grades">
            {t('performance.report.shares')}：
            {(Object.keys(report.data!.grades) as Grade[]).map((g) => ` ${t(`performance.report.grades.${g}`)} ${Math.round((report.data!.grades[g] / rows.length) * 100)}%`).join(' ·')}
          </p>
        </>
      )}
    </section>
  );
}
