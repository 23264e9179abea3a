import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evaluateDecisionTree, localDay, type FormField, type FormSchema } from '@hall/shared';
import { BigButton, localized, OnScreenKeyboard, useRoleStation, validateForm, type FieldProblem, type KeyboardLayout } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useSession, type PrefillEntry } from '../state/session';
import { Frame } from './Frame';

const LAYOUT: Record<FormField['kind'], KeyboardLayout | undefined> = {
  text: 'text',
  address: 'text',
  number: 'digits',
  phone: 'digits',
  date: 'digits',
  id_number: 'id',
  choice: undefined,
};

/** The form for the service and situation reached, if any. */
export function useCurrentForm(): { form: FormSchema | undefined; situationId: string | undefined } {
  const serviceId = useSession((s) => s.serviceId);
  const answers = useSession((s) => s.answers);
  const catalogue = useHall((s) => s.catalogue);
  return useMemo(() => {
    const service = catalogue?.services.find((x) => x.id === serviceId);
    if (!service || !catalogue) return { form: undefined, situationId: undefined };
    const evaluation = evaluateDecisionTree(service, answers, { mode: 'final' });
    const formId = evaluation.formId ?? service.formId;
    const situationId = evaluation.outcome.type === 'situation' ? evaluation.outcome.situation.id : undefined;
    return { form: catalogue.forms.find((f) => f.id === formId), situationId };
  }, [catalogue, serviceId, answers]);
}

export function useFormProblems(form: FormSchema | undefined): Record<string, FieldProblem> {
  const values = useSession((s) => s.values);
  const prefill = useSession((s) => s.prefill);
  const timeZone = useHall((s) => s.catalogue?.hall.timeZone ?? 'Asia/Shanghai');
  return useMemo(
    () => (form ? validateForm(form, values, new Set(prefill.map((p) => p.fieldId)), localDay(Date.now(), timeZone)) : {}),
    [form, values, prefill, timeZone],
  );
}

export function prefillTag(entry: PrefillEntry): string {
  if (entry.source === 'history') return 'form.fromHistory';
  if (entry.source.startsWith('residenceCode')) return 'form.fromCode';
  return 'form.fromCard';
}

export function displayValue(field: FormField, value: string | string[] | undefined, language: string): string {
  if (value === undefined) return '';
  if (field.kind === 'choice') {
    const chosen = Array.isArray(value) ? value : [value];
    return chosen.map((v) => (field.options?.find((o) => o.value === v) ? localized(field.options.find((o) => o.value === v)!.label, language) : v)).join('、');
  }
  return Array.isArray(value) ? value.join('、') : value;
}

/** Filling the application: station-filled fields shown masked, the rest typed on the on-screen keyboard. */
export function Form() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const { form } = useCurrentForm();
  const citizen = useSession((s) => s.citizen);
  const values = useSession((s) => s.values);
  const prefill = useSession((s) => s.prefill);
  const problems = useFormProblems(form);
  const [active, setActive] = useState<string>();
  const [showProblems, setShowProblems] = useState(false);

  useEffect(() => {
    if (!form || !citizen) return;
    let live = true;
    // Prefill once per form: a value the citizen dropped stays dropped.
    if (useSession.getState().prefill.length > 0) return;
    station.call('kiosk.prefill', { formId: form.id, citizenHandle: citizen.handle }).then(
      (entries) => live && useSession.getState().set({ prefill: entries }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [form, citizen, station]);

  useEffect(() => {
    // The field being typed into stays in view above (or beside) the keyboard.
    if (active) document.querySelector(`[data-testid="field-${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  if (!form) return null;
  const fields = form.sections.flatMap((s) => s.fields);
  const activeField = fields.find((f) => f.id === active);
  const layout = activeField ? LAYOUT[activeField.kind] : undefined;
  const edit = (fieldId: string, change: (old: string) => string) => {
    const old = useSession.getState().values[fieldId];
    const next = change(typeof old === 'string' ? old : '');
    useSession.getState().setValue(fieldId, next === '' ? undefined : next);
  };
  const count = Object.keys(problems).length;

  return (
    <Frame
      title={localized(form.title, i18n.language)}
      testId="form"
      footer={
        <>
          {showProblems && count > 0 && (
            <span className="field-error" data-testid="form-problems">
              {t('form.fixErrors', { count })}
            </span>
          )}
          <BigButton
            variant="primary"
            data-testid="form-review"
            onClick={() => {
              setShowProblems(true);
              if (count === 0) useSession.getState().go('review');
            }}
          >
            {t('form.review')}
          </BigButton>
        </>
      }
    >
      <div className={activeField && layout ? 'form-layout with-keyboard' : 'form-layout'}>
        <div className="form-fields">
          {form.sections.map((section) => (
            <fieldset key={section.id} className="form-section">
              <legend>{localized(section.title, i18n.language)}</legend>
              {section.fields.map((field) => {
                const filled = prefill.find((p) => p.fieldId === field.id);
                const shownProblem = showProblems ? problems[field.id] : undefined;
                return (
                  <div key={field.id} className={active === field.id ? 'form-field active' : 'form-field'} data-testid={`field-${field.id}`}>
                    <div className="field-label">
                      {localized(field.label, i18n.language)}
                      {field.required && <span className="mark-required">*</span>}
                    </div>
                    {filled ? (
                      <div className="field-prefilled">
                        <span className="hall-masked" data-testid={`prefilled-${field.id}`}>
                          {field.kind === 'choice' ? displayValue(field, filled.display, i18n.language) : filled.display}
                        </span>
                        <span className="tag">{t(prefillTag(filled))}</span>
                        <BigButton variant="ghost" onClick={() => (useSession.getState().dropPrefill(field.id), setActive(field.id))} data-testid={`change-${field.id}`}>
                          {t('form.change')}
                        </BigButton>
                      </div>
                    ) : field.kind === 'choice' ? (
                      <div className="choice-row">
                        {(field.options ?? []).map((option) => (
                          <BigButton
                            key={option.value}
                            variant={values[field.id] === option.value ? 'primary' : 'secondary'}
                            onClick={() => useSession.getState().setValue(field.id, option.value)}
                            data-testid={`choice-${field.id}-${option.value}`}
                          >
                            {localized(option.label, i18n.language)}
                          </BigButton>
                        ))}
                      </div>
                    ) : (
                      <button type="button" className="field-input" onClick={() => setActive(field.id)} data-testid={`input-${field.id}`}>
                        {displayValue(field, values[field.id], i18n.language) || <span className="muted">{t('form.tapToFill')}</span>}
                      </button>
                    )}
                    {shownProblem && (
                      <div className="field-error" role="alert" data-testid={`error-${field.id}`}>
                        {t(`form.errors.${shownProblem.key}`, { count: shownProblem.count })}
                      </div>
                    )}
                  </div>
                );
              })}
            </fieldset>
          ))}
        </div>
        {activeField && layout && !prefill.some((p) => p.fieldId === activeField.id) && (
          <div className="form-keyboard">
            <OnScreenKeyboard
              key={activeField.id}
              layout={layout}
              onInput={(c) => edit(activeField.id, (v) => (v + c).slice(0, activeField.maxLength ?? 200))}
              onBackspace={() => edit(activeField.id, (v) => Array.from(v).slice(0, -1).join(''))}
              onClear={() => edit(activeField.id, () => '')}
              onDone={() => {
                const index = fields.findIndex((f) => f.id === activeField.id);
                const next = fields.slice(index + 1).find((f) => LAYOUT[f.kind] && !prefill.some((p) => p.fieldId === f.id));
                setActive(next?.id);
              }}
            />
          </div>
        )}
      </div>
    </Frame>
  );
}
