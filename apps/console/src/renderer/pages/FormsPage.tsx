import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskIdNumber, makeTestIdNumber, type AutofillSource, type FieldKind, type FormField, type FormSchema, type LocalizedText } from '@hall/shared';
import { validateField, type FieldValue } from '@hall/ui';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useLocalized } from '../localized';
import { useGet } from '../useApi';

interface HallForm {
  form: FormSchema;
  services: { id: string; name: LocalizedText }[];
}

const KINDS: readonly FieldKind[] = ['text', 'number', 'date', 'choice', 'id_number', 'phone', 'address'];
const SOURCES: readonly AutofillSource[] = [
  'idcard.name',
  'idcard.idNumber',
  'idcard.address',
  'idcard.sex',
  'idcard.nation',
  'idcard.birthDate',
  'idcard.issuer',
  'residenceCode.name',
  'residenceCode.idNumber',
  'residenceCode.phone',
  'residenceCode.address',
  'history',
];

/** What the kiosk would show after reading a card: made-up values, masked as on screen. */
const SAMPLE_ID = maskIdNumber(makeTestIdNumber({ birthDate: '1990-01-31' }));
const SAMPLES: Record<AutofillSource, string> = {
  'idcard.name': '张*丰',
  'idcard.sex': '男',
  'idcard.nation': '汉',
  'idcard.birthDate': '1990-01-31',
  'idcard.address': '广东省广州市天河区****',
  'idcard.idNumber': SAMPLE_ID,
  'idcard.issuer': '广州市公安局天河分局',
  'residenceCode.name': '张*丰',
  'residenceCode.idNumber': SAMPLE_ID,
  'residenceCode.phone': '138****5678',
  'residenceCode.address': '广东省广州市天河区****',
  history: '……',
};

const localDay = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A service's application form: fields, validation and autofill, with the kiosk's view beside it. */
export function FormsPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const forms = useGet<{ forms: HallForm[] }>(session, `/admin/halls/${hallId}/forms`);
  const [selected, setSelected] = useState<string>();
  const [draft, setDraft] = useState<FormSchema>();
  const { feedback, run } = useFeedback();
  const local = useLocalized();
  const list = forms.data?.forms ?? [];
  const current = list.find((f) => f.form.id === selected) ?? list[0];
  useEffect(() => setDraft(current ? structuredClone(current.form) : undefined), [current]);
  if (forms.data && list.length === 0) return <p className="muted">{t('forms.noForms')}</p>;
  const save = async () => {
    if (!draft || !current) return;
    const ok = await run(
      () =>
        request<{ form: FormSchema }>(session, 'PUT', `/admin/halls/${hallId}/forms/${draft.id}`, {
          baseVersion: current.form.version,
          title: draft.title,
          sections: draft.sections,
        }),
      (saved) => t('forms.saved', { version: saved.form.version }),
    );
    if (ok) {
      forms.reload();
      onConfigChanged();
    }
  };
  return (
    <div className="forms-page" data-testid="forms-page">
      <nav className="service-list card">
        <h2>{t('forms.heading')}</h2>
        {list.map((f) => (
          <button key={f.form.id} type="button" className={f.form.id === current?.form.id ? 'active' : ''} onClick={() => setSelected(f.form.id)} data-testid={`form-${f.form.id}`}>
            {local.text(f.form.title)}
            <br />
            <span className="muted small">{t('forms.version', { version: f.form.version })}</span>
          </button>
        ))}
      </nav>
      {draft && current && (
        <section className="card" data-testid="form-editor">
          <h2>
            {draft.title.zh} <span className="badge">{t('forms.version', { version: current.form.version })}</span>
          </h2>
          <p className="muted">{t('forms.usedBy', { names: local.list(current.services.map((s) => local.text(s.name))) })}</p>
          {draft.sections.map((section, si) => (
            <fieldset key={section.id} className="form-section-edit">
              <legend>
                {t('forms.section')}: {section.title.zh}
              </legend>
              {section.fields.map((field, fi) => (
                <FieldEditor
                  // By position: a key from the id would remount the editor while its id is typed.
                  key={fi}
                  field={field}
                  first={fi === 0}
                  last={fi === section.fields.length - 1}
                  onChange={(next) => setDraft(withField(draft, si, fi, next))}
                  onMove={(by) => setDraft(movedField(draft, si, fi, by))}
                  onRemove={() => setDraft(withField(draft, si, fi, null))}
                />
              ))}
              <button
                type="button"
                data-testid={`add-field-${section.id}`}
                onClick={() => setDraft(withField(draft, si, section.fields.length, { id: `field${Date.now().toString(36)}`, label: { zh: '新字段' }, kind: 'text', required: false, autofill: [], personal: false }))}
              >
                {t('forms.addField')}
              </button>
            </fieldset>
          ))}
          <FeedbackLine feedback={feedback} testId="form-message" />
          <button type="button" className="primary" data-testid="save-form" onClick={() => void save()}>
            {t('forms.save')}
          </button>
        </section>
      )}
      {draft && <KioskPreview form={draft} />}
    </div>
  );
}

function withField(form: FormSchema, si: number, fi: number, field: FormField | null): FormSchema {
  const sections = form.sections.map((s, i) => {
    if (i !== si) return s;
    const fields = [...s.fields];
    if (field === null) fields.splice(fi, 1);
    else fields[fi] = field;
    return { ...s, fields };
  });
  return { ...form, sections };
}

function movedField(form: FormSchema, si: number, fi: number, by: -1 | 1): FormSchema {
  const sections = form.sections.map((s, i) => {
    if (i !== si) return s;
    const fields = [...s.fields];
    const [moved] = fields.splice(fi, 1);
    if (moved) fields.splice(fi + by, 0, moved);
    return { ...s, fields };
  });
  return { ...form, sections };
}

/** Sets an optional property, or removes it when the input is empty. */
function withOptional<K extends 'pattern' | 'minLength' | 'maxLength'>(field: FormField, key: K, value: FormField[K] | undefined): FormField {
  const next = { ...field };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

const optionsText = (field: FormField) => (field.options ?? []).map((o) => `${o.value}=${o.label.zh}`).join('\n');
function parseOptions(text: string): FormField['options'] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value = '', label = value] = line.split('=').map((p) => p.trim());
      return { value, label: { zh: label || value } };
    });
}

function FieldEditor(props: { field: FormField; first: boolean; last: boolean; onChange: (f: FormField) => void; onMove: (by: -1 | 1) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const { field, onChange } = props;
  const numberOrUndefined = (v: string) => (v === '' ? undefined : Number(v));
  return (
    <div className="field-edit" data-testid={`edit-field-${field.id}`}>
      <div className="row">
        <input aria-label={t('forms.id')} className="mid" value={field.id} onChange={(e) => onChange({ ...field, id: e.target.value })} />
        <input aria-label={t('forms.label')} name={`label-${field.id}`} value={field.label.zh} onChange={(e) => onChange({ ...field, label: { ...field.label, zh: e.target.value } })} />
        <select aria-label={t('forms.kind')} value={field.kind} onChange={(e) => onChange({ ...field, kind: e.target.value as FieldKind })}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`forms.kinds.${k}`)}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" name={`required-${field.id}`} checked={field.required} onChange={(e) => onChange({ ...field, required: e.target.checked })} /> {t('forms.required')}
        </label>
        <label className="check">
          <input type="checkbox" checked={field.personal} onChange={(e) => onChange({ ...field, personal: e.target.checked })} /> {t('forms.personal')}
        </label>
        <button type="button" className="link" disabled={props.first} onClick={() => props.onMove(-1)} aria-label={t('forms.up')}>
          ↑
        </button>
        <button type="button" className="link" disabled={props.last} onClick={() => props.onMove(1)} aria-label={t('forms.down')}>
          ↓
        </button>
        <button type="button" className="link danger" onClick={props.onRemove}>
          {t('forms.remove')}
        </button>
      </div>
      <div className="row sub">
        <label>
          {t('forms.pattern')}{' '}
          <input name={`pattern-${field.id}`} className="mono" value={field.pattern ?? ''} placeholder={t('forms.patternExample')} onChange={(e) => onChange(withOptional(field, 'pattern', e.target.value))} />
        </label>
        <label>
          {t('forms.minLength')}{' '}
          <input type="number" min={0} className="short" value={field.minLength ?? ''} onChange={(e) => onChange(withOptional(field, 'minLength', numberOrUndefined(e.target.value)))} />
        </label>
        <label>
          {t('forms.maxLength')}{' '}
          <input type="number" min={1} className="short" value={field.maxLength ?? ''} onChange={(e) => onChange(withOptional(field, 'maxLength', numberOrUndefined(e.target.value)))} />
        </label>
      </div>
      <div className="row sub sources">
        <span className="muted">{t('forms.autofill')}:</span>
        {SOURCES.map((source) => (
          <label key={source} className="check small">
            <input
              type="checkbox"
              name={`autofill-${field.id}-${source}`}
              checked={field.autofill.includes(source)}
              onChange={(e) => onChange({ ...field, autofill: e.target.checked ? [...field.autofill, source] : field.autofill.filter((s) => s !== source) })}
            />{' '}
            {t(`forms.sources.${source}`)}
          </label>
        ))}
      </div>
      {field.kind === 'choice' && (
        <label className="row sub">
          {t('forms.options')}
          <textarea key={field.id} rows={3} defaultValue={optionsText(field)} onBlur={(e) => onChange({ ...field, options: parseOptions(e.target.value) })} />
        </label>
      )}
    </div>
  );
}

/** The form as the kiosk lays it out: autofilled fields read from the card (masked), the rest typed and checked by the kiosk's own rules. */
function KioskPreview({ form }: { form: FormSchema }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const [checked, setChecked] = useState(false);
  const today = localDay();
  const typed = form.sections.flatMap((s) => s.fields).filter((f) => f.autofill.length === 0 || f.autofill[0] === 'history');
  const problems = Object.fromEntries(typed.map((f) => [f.id, validateField(f, values[f.id], today)]).filter(([, p]) => p !== undefined));
  return (
    <section className="card kiosk-preview" data-testid="kiosk-preview">
      <h2>{t('forms.preview')}</h2>
      <p className="muted small">{t('forms.previewHint')}</p>
      <div className="kiosk-frame">
        <div className="kiosk-title">{form.title.zh}</div>
        {form.sections.map((section) => (
          <fieldset key={section.id} className="kiosk-section">
            <legend>{section.title.zh}</legend>
            {section.fields.map((field) => {
              const source = field.autofill.find((s) => s !== 'history');
              const problem = checked ? problems[field.id] : undefined;
              return (
                <div key={field.id} className="kiosk-field" data-testid={`preview-field-${field.id}`}>
                  <div className="kiosk-label">
                    {field.label.zh}
                    {field.required && <span className="mark-required">*</span>}
                  </div>
                  {source ? (
                    <div className="kiosk-prefilled">
                      <span>{SAMPLES[source]}</span>
                      <span className="tag">{t('forms.autofilled', { source: t(`forms.sources.${source}`) })}</span>
                    </div>
                  ) : field.kind === 'choice' ? (
                    <div className="kiosk-choices">
                      {(field.options ?? []).map((o) => (
                        <button key={o.value} type="button" className={values[field.id] === o.value ? 'primary' : ''} onClick={() => setValues({ ...values, [field.id]: o.value })}>
                          {o.label.zh}
                        </button>
                      ))}
                    </div>
                  ) : (
                    <input
                      className="kiosk-input"
                      data-testid={`preview-input-${field.id}`}
                      value={String(values[field.id] ?? '')}
                      onChange={(e) => setValues({ ...values, [field.id]: e.target.value })}
                    />
                  )}
                  {problem && (
                    <div className="kiosk-error" role="alert" data-testid={`preview-error-${field.id}`}>
                      {t(`forms.errors.${problem.key}`, { count: problem.count })}
                    </div>
                  )}
                </div>
              );
            })}
          </fieldset>
        ))}
        <div className="kiosk-footer">
          {checked && Object.keys(problems).length > 0 && <span className="kiosk-error">{t('forms.fixErrors', { count: Object.keys(problems).length })}</span>}
          <button type="button" className="primary" data-testid="preview-next" onClick={() => setChecked(true)}>
            {t('forms.submit')}
          </button>
        </div>
      </div>
    </section>
  );
}
