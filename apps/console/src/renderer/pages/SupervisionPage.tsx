import { useTranslation } from 'react-i18next';
import type { PageProps } from '../App';
import { useGet } from '../useApi';
import { OverdueHandoffs } from './backoffice/Handoffs';

type Light = 'near' | 'yellow' | 'orange' | 'red';
interface Report {
  today: string;
  cases: { id: string; number: string | null; serviceName: string; departmentName: string; status: string; stage: string; dueDay: string; light: Light; workingDaysOver: number }[];
  byDepartment: { departmentId: string; departmentName: string; near: number; yellow: number; orange: number; red: number }[];
}

const LIGHTS: Light[] = ['red', 'orange', 'yellow', 'near'];

export function SupervisionPage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const report = useGet<Report>(session, `/supervision?hallId=${hallId}`, 60_000);
  if (report.error) return <p className="error">{t('common.error', { message: report.error })}</p>;
  const r = report.data;
  if (!r) return <p>{t('common.loading')}</p>;
  return (
    <div data-testid="supervision">
      <h2>
        {t('supervision.heading')} <span className="muted">{t('supervision.asOf', { today: r.today })}</span>
      </h2>
      <section className="card">
        <h3>{t('supervision.byDepartment')}</h3>
        <table>
          <thead>
            <tr>
              <th>{t('supervision.department')}</th>
              {LIGHTS.map((l) => (
                <th key={l} className="num">
                  <span className={`light light-${l}`} /> {t(`supervision.lights.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.byDepartment.map((d) => (
              <tr key={d.departmentId}>
                <td>{d.departmentName}</td>
                {LIGHTS.map((l) => (
                  <td key={l} className="num">
                    {d[l]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        {r.cases.length === 0 ? (
          <p className="muted">{t('supervision.none')}</p>
        ) : (
          <table data-testid="cases">
            <thead>
              <tr>
                <th>{t('supervision.light')}</th>
                <th>{t('supervision.caseId')}</th>
                <th>{t('supervision.service')}</th>
                <th>{t('supervision.department')}</th>
                <th>{t('supervision.due')}</th>
                <th className="num">{t('supervision.over')}</th>
                <th>{t('supervision.status')}</th>
                <th>{t('supervision.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {r.cases.map((c) => (
                <tr key={c.id} className={`row-${c.light}`} data-light={c.light}>
                  <td>
                    <span className={`light light-${c.light}`} /> {t(`supervision.lights.${c.light}`)}
                  </td>
                  <td>{c.number ?? c.id}</td>
                  <td>{c.serviceName}</td>
                  <td>{c.departmentName}</td>
                  <td>{c.dueDay}</td>
                  <td className="num">{Math.max(0, c.workingDaysOver)}</td>
                  <td>{t(`supervision.caseStatus.${c.status}`)}</td>
                  <td data-testid="case-stage">{t(`supervision.stages.${c.stage}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <OverdueHandoffs session={session} hallId={hallId} />
    </div>
  );
}
