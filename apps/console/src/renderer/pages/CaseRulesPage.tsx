import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseRulesSchema, type CaseRules } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useGet } from '../useApi';

const FIELDS = ['acceptanceDays', 'supplementDays', 'supplementReminderDays', 'overdueBarDays', 'uncollectedReturnDays', 'handoffStepLimitHours'] as const;

/** 办件时限: the hall's case time limits (acceptance, supplement deadline and reminder, blacklist, return). */
export function CaseRulesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const loaded = useGet<{ rules: CaseRules }>(session, `/halls/${hallId}/case-rules`);
  const [rules, setRules] = useState<CaseRules>();
  const { feedback, run } = useFeedback();
  const [invalid, setInvalid] = useState<string>();
  useEffect(() => setRules(loaded.data?.rules), [loaded.data]);
  const save = async () => {
    if (!rules) return;
    // The schema the server checks with, so a number out of range is named before anything is sent.
    const checked = CaseRulesSchema.safeParse(rules);
    const field = checked.success ? undefined : checked.error.issues[0]?.path[0];
    setInvalid(typeof field === 'string' ? t('caseRules.outOfRange', { field: t(`caseRules.fields.${field}`) }) : undefined);
    if (!checked.success) return;
    if (await run(() => request(session, 'PUT', `/halls/${hallId}/case-rules`, rules), t('caseRules.saved'))) onConfigChanged();
  };
  return (
    <section className="card" data-testid="case-rules">
      <h2>{t('caseRules.heading')}</h2>
      <p className="muted">{t('caseRules.hint')}</p>
      {loaded.error && <p className="error">{t('common.error', { message: loaded.error })}</p>}
      {rules && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="rules-grid">
            {FIELDS.map((key) => (
              <label key={key}>
                {t(`caseRules.fields.${key}`)}
                <input type="number" name={key} min={0} value={rules[key]} onChange={(e) => setRules({ ...rules, [key]: Number(e.target.value) })} data-testid={`case-rule-${key}`} />
              </label>
            ))}
          </div>
          <button type="submit" className="primary" data-testid="case-rules-save">
            {t('caseRules.save')}
          </button>
        </form>
      )}
      <FeedbackLine feedback={invalid ? { ok: false, text: invalid } : feedback} testId="case-rules-feedback" />
    </section>
  );
}
