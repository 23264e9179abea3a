import { useTranslation } from 'react-i18next';

/** A month (2026-03) or a year (2026): 考评周期 and report periods alike. */
export function PeriodPicker(props: { value: string; onChange: (period: string) => void; testId: string }) {
  const { t } = useTranslation();
  const isYear = props.value.length === 4;
  return (
    <span className="nowrap">
      <label>
        {t('performance.period')}{' '}
        <select value={isYear ? 'year' : 'month'} onChange={(e) => props.onChange(e.target.value === 'year' ? props.value.slice(0, 4) : `${props.value.slice(0, 4)}-01`)} data-testid={`${props.testId}-kind`}>
          <option value="month">{t('performance.month')}</option>
          <option value="year">{t('performance.year')}</option>
        </select>
      </label>{' '}
      {isYear ? (
        <input type="number" min={2000} max={2100} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} />
      ) : (
        <input type="month" value={props.value} onChange={(e) => e.target.value && props.onChange(e.target.value)} data-testid={props.testId} />
      )}
    </span>
  );
}

/** 考评对象: clerks (the default) or counters. */
export function SubjectPicker(props: { value: 'clerk' | 'counter'; onChange: (subject: 'clerk' | 'counter') => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('performance.subject.label')}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as 'clerk' | 'counter')} data-testid={props.testId}>
        <option value="clerk">{t('performance.subject.clerk')}</option>
        <option value="counter">{t('performance.subject.counter')}</option>
      </select>
    </label>
  );
}
