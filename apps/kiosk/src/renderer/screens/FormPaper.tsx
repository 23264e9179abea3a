import { useTranslation } from 'react-i18next';
import type { FormField, FormSchema } from '@hall/shared';
import { localized } from '@hall/ui';

/**
 * What a sample form (样表) shows in a field: an example of the right shape, never a real
 * person's data (ID numbers and phones keep their X placeholders, as printed sample forms do).
 */
function sampleValue(field: FormField, language: string): string {
  switch (field.kind) {
    case 'id_number':
      return '44150219900101XXXX';
    case 'phone':
      return '138XXXXXXXX';
    case 'address':
      return '广东省汕尾市城区××路××号';
    case 'date':
      return '2025-01-01';
    case 'number':
      return String(field.min ?? 1);
    case 'choice':
      return field.options?.[0] ? localized(field.options[0].label, language) : '';
    default:
      return /name/i.test(field.id) ? '张三' : '（按实际情况填写）';
  }
}

/** A catalogue form drawn as the paper the counter hands out: blank, or filled with examples. */
export function FormPaper({ form, sample }: { form: FormSchema; sample: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className={sample ? 'form-paper sample' : 'form-paper'} data-testid={sample ? 'sample-form' : 'blank-form'}>
      {sample && <div className="form-paper-stamp">{t('guide.sampleStamp')}</div>}
      <h2 className="form-paper-title">{localized(form.title, i18n.language)}</h2>
      {form.sections.map((section) => (
        <section key={section.id}>
          <h3>{localized(section.title, i18n.language)}</h3>
          <dl>
            {section.fields.map((field) => (
              <div key={field.id} className="form-paper-row">
                <dt>
                  {localized(field.label, i18n.language)}
                  {field.required && <span className="form-paper-required">*</span>}
                </dt>
                <dd>{sample ? sampleValue(field, i18n.language) : '\u00a0'}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <div className="form-paper-sign">{t('guide.signLine')}</div>
    </div>
  );
}
