import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SharedMaterialSchema, type Material, type SharedMaterial } from '@hall/shared';
import { request, type StaffSession } from '../../api';
import { FeedbackLine, useFeedback } from '../../Feedback';
import type { CatalogueData } from './data';
import { LinesField, NumberField, SelectField, TextField, cleanLines } from './fields';

const blank = (): SharedMaterial => ({ id: `lib-${Date.now().toString(36)}`, name: '', originals: 1, copies: 0, form: 'paper', reviewPoints: [] });

/** 共享材料库: a material written once; saving it redraws it into every service using it. */
export function SharedMaterialsTab(props: { session: StaffSession; hallId: string; data: CatalogueData }) {
  const { t } = useTranslation();
  const { data } = props;
  const [draft, setDraft] = useState<SharedMaterial>();
  const [nameMissing, setNameMissing] = useState(false);
  const { feedback, run } = useFeedback();

  const edit = (m: SharedMaterial & { usedBy?: unknown }) => {
    const { usedBy: _usedBy, ...entry } = m;
    setDraft(structuredClone(entry));
    setNameMissing(false);
  };
  const save = async () => {
    if (!draft) return;
    const { note, ...rest } = draft;
    const candidate = { ...rest, ...(note ? { note } : {}), name: draft.name.trim(), reviewPoints: cleanLines(draft.reviewPoints) };
    setNameMissing(candidate.name === '');
    if (!SharedMaterialSchema.safeParse(candidate).success) return;
    const ok = await run(
      () => request<{ updatedServices: string[] }>(props.session, 'PUT', `/catalogue/halls/${props.hallId}/shared-materials/${candidate.id}`, candidate),
      (r) => t('catalogue.library.saved', { count: r.updatedServices.length }),
    );
    if (ok) data.reload();
  };
  const remove = async (id: string) => {
    const ok = await run(() => request(props.session, 'DELETE', `/catalogue/halls/${props.hallId}/shared-materials/${id}`), t('catalogue.library.deleted'));
    if (ok) {
      setDraft(undefined);
      data.reload();
    }
  };

  return (
    <div className="cat-two">
      <section className="card" data-testid="shared-library">
        <h2>{t('catalogue.library.heading')}</h2>
        <p className="muted">{t('catalogue.library.hint')}</p>
        <table>
          <thead>
            <tr>
              <th>{t('catalogue.field.name')}</th>
              <th>{t('catalogue.field.originals')}</th>
              <th>{t('catalogue.field.copies')}</th>
              <th>{t('catalogue.field.form')}</th>
              <th>{t('catalogue.library.usedBy')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.library.map((m) => (
              <tr key={m.id} data-testid={`library-${m.id}`}>
                <td>{m.name}</td>
                <td>{m.originals}</td>
                <td>{m.copies}</td>
                <td>{t(`catalogue.forms.${m.form}`)}</td>
                <td>{m.usedBy.length === 0 ? <span className="muted">{t('catalogue.library.unused')}</span> : m.usedBy.map((s) => s.name.zh).join('、')}</td>
                <td>
                  <button type="button" className="link" onClick={() => edit(m)}>
                    {t('catalogue.library.edit')}
                  </button>
                  {m.usedBy.length === 0 && (
                    <button type="button" className="link danger" onClick={() => void remove(m.id)}>
                      {t('catalogue.library.delete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" data-testid="new-shared-material" onClick={() => edit(blank())}>
          {t('catalogue.library.add')}
        </button>
        <FeedbackLine feedback={feedback} testId="library-message" />
      </section>
      {draft && (
        <section className="card" data-testid="shared-material-editor">
          <div className="cat-grid one">
            <TextField name="library.name" label={t('catalogue.field.name')} value={draft.name} error={nameMissing ? t('catalogue.library.nameRequired') : undefined} onChange={(name) => setDraft({ ...draft, name })} />
            <NumberField name="library.originals" label={t('catalogue.field.originals')} value={draft.originals} onChange={(originals) => setDraft({ ...draft, originals })} />
            <NumberField name="library.copies" label={t('catalogue.field.copies')} value={draft.copies} onChange={(copies) => setDraft({ ...draft, copies })} />
            <SelectField
              name="library.form"
              label={t('catalogue.field.form')}
              value={draft.form}
              options={(['paper', 'electronic', 'paper_or_electronic'] as const).map((f) => ({ value: f, label: t(`catalogue.forms.${f}`) }))}
              onChange={(form) => setDraft({ ...draft, form: (form || 'paper') as Material['form'] })}
            />
            <LinesField name="library.reviewPoints" label={t('catalogue.field.reviewPoints')} hint={t('catalogue.lines')} value={draft.reviewPoints} onChange={(reviewPoints) => setDraft({ ...draft, reviewPoints })} />
            <TextField name="library.note" label={t('catalogue.field.note')} value={draft.note} onChange={(note) => setDraft({ ...draft, note })} />
          </div>
          <button type="button" className="primary" data-testid="save-shared-material" onClick={() => void save()}>
            {t('catalogue.library.save')}
          </button>
        </section>
      )}
    </div>
  );
}
