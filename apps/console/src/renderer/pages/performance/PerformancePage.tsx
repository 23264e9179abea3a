import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../App';
import { useGet } from '../../useApi';
import { AppealsSection } from './AppealsSection';
import { AppraisalSection } from './AppraisalSection';
import { ContactsSection } from './ContactsSection';
import { EventsSection } from './EventsSection';
import { ReportSection } from './ReportSection';
import { SchemeEditor } from './SchemeEditor';
import { thisMonth, type Overview } from './types';

/** 窗口绩效 (issue 20, seed 001 §8): schemes, events, appraisals, appeals and reports of one hall. */
export function PerformancePage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const base = `/admin/halls/${hallId}/performance`;
  const overview = useGet<Overview>(session, base);
  const [eventPeriod, setEventPeriod] = useState(thisMonth);
  // Bumped on every change so the report reads again.
  const [version, setVersion] = useState(0);
  const changed = () => {
    overview.reload();
    setVersion((v) => v + 1);
  };
  if (!overview.data) return <p>{overview.error ? t('common.error', { message: overview.error }) : t('common.loading')}</p>;
  const data = overview.data;
  return (
    <div data-testid="performance-page">
      <h2>{t('performance.heading')}</h2>
      <AppraisalSection session={session} base={base} overview={data} onChanged={changed} />
      <AppealsSection session={session} base={base} appeals={data.appeals} onChanged={changed} />
      <ReportSection session={session} base={base} version={version} />
      <SchemeEditor session={session} base={base} indicators={data.indicators} schemes={data.schemes} onSaved={changed} />
      <EventsSection session={session} base={base} clerks={data.clerks} period={eventPeriod} onPeriod={setEventPeriod} onChanged={changed} />
      <ContactsSection session={session} base={base} clerks={data.clerks} onChanged={changed} />
    </div>
  );
}
