import { useTranslation } from 'react-i18next';
import { maskIdNumber, maskName, maskPhone, type FormField } from '@hall/shared';
import { BigButton, localized } from '@hall/ui';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { displayValue, prefillTag, useCurrentForm, useFormProblems } from './Form';
import { Frame } from './Frame';

/** Personal values typed by the citizen are masked on review too: someone may be looking over a shoulder. */
function reviewText(field: FormField, text: string): string {
  if (!field.personal || text === '') return text;
  if (field.kind === 'id_number') return maskIdNumber(text);
  if (field.kind === 'phone') return maskPhone(text);
  if (field.kind === 'address') return text.length > 6 ? `${text.slice(0, 6)}****` : '****';
  return maskName(text);
}

export function Review() {
  const { t, i18n } = useTranslation();
  const { form, situationId } = useCurrentForm();
  const values = useSession((s) => s.values);
  const prefill = useSession((s) => s.prefill);
  const busy = useSession((s) => s.busy);
  const problems = useFormProblems(form);
  const { submit } = useFlow();
  if (!form) return null;
  return (
    <Frame
      title={t('review.title')}
      testId="review"
      footer={
        <>
          <BigButton onClick={() => useSession.getState().back()} data-testid="review-edit">
            {t('review.edit')}
          </BigButton>
          <BigButton
            variant="primary"
            size="large"
            disabled={busy || Object.keys(problems).length > 0}
            onClick={() => void submit(form.id, form.version, situationId)}
            data-testid="review-submit"
          >
            {t('review.submit')}
          </BigButton>
        </>
      }
    >
      <dl className="review-list">
        {form.sections
          .flatMap((s) => s.fields)
          .map((field) => {
            const filled = prefill.find((p) => p.fieldId === field.id);
            const text = filled ? displayValue(field, filled.display, i18n.language) : reviewText(field, displayValue(field, values[field.id], i18n.language));
            return (
              <div key={field.id} className="review-row" data-testid={`review-${field.id}`}>
                <dt>{localized(field.label, i18n.language)}</dt>
                <dd>
                  {text || '—'}
                  {filled && <span className="tag">{t(prefillTag(filled))}</span>}
                </dd>
              </div>
            );
          })}
      </dl>
    </Frame>
  );
}
