import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawShared, type Material, type Service } from '@hall/shared';
import { request, type StaffSession } from '../../api';
import { FeedbackLine, useFeedback } from '../../Feedback';
import type { CatalogueData } from './data';
import { CheckField, fieldLabel, LinesField, NumberField, SelectField, TextField, splitWords } from './fields';
import { problemsOf, tidy, type Problems } from './validation';
import { VersionHistory } from './VersionHistory';

/** A new service with an empty guide: the fields the schema requires stay empty until filled. */
export function blankService(data: CatalogueData): Service {
  return {
    id: `svc-${Date.now().toString(36)}`,
    code: '',
    name: { zh: '' },
    departmentId: data.departments[0]?.id ?? '',
    queueId: data.queues[0]?.id ?? '',
    theme: '',
    tags: [],
    keywords: [],
    guide: {
      handlingAuthority: '',
      conditions: [],
      legalBasis: [],
      statutoryDays: 0,
      promisedDays: 0,
      fees: { free: true, description: '不收费' },
      place: '',
      processSteps: [],
      applicants: 'person',
      onlineAvailable: false,
    },
    materials: [],
  };
}

function freshMaterialId(taken: readonly Material[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.some((m) => m.id === `m-${n}`)) return `m-${n}`;
}

/** Empty optional texts are left out, so a cleared field reads as absent and not as "". */
function withoutEmpty(service: Service): Service {
  const { handlingAuthority, enquiryPhone, ...guide } = service.guide;
  const { en, ...name } = service.name;
  return {
    ...service,
    name: en ? { ...name, en } : name,
    guide: { ...guide, ...(handlingAuthority ? { handlingAuthority } : {}), ...(enquiryPhone ? { enquiryPhone } : {}) },
  };
}

export function ServiceEditor(props: { session: StaffSession; hallId: string; data: CatalogueData; initial: Service; isNew: boolean; onSaved: (saved: Service) => void }) {
  const { t } = useTranslation();
  const { data } = props;
  const [draft, setDraft] = useState<Service>(() => structuredClone(props.initial));
  const [problems, setProblems] = useState<Problems>(new Map());
  const [tagText, setTagText] = useState((props.initial.tags ?? []).join('、'));
  const [keywordText, setKeywordText] = useState(props.initial.keywords.join('、'));
  const [pick, setPick] = useState('');
  const [historyKey, setHistoryKey] = useState(0);
  const { feedback, run } = useFeedback();
  const label = (path: string) => fieldLabel(t, path);
  const err = (path: string) => {
    const kind = problems.get(path);
    return kind && t(`catalogue.problem.${kind}`);
  };
  const setGuide = (patch: Partial<Service['guide']>) => setDraft({ ...draft, guide: { ...draft.guide, ...patch } });
  const setMaterial = (i: number, patch: Partial<Material>) => setDraft({ ...draft, materials: draft.materials.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const library = new Map(data.library.map((m) => [m.id, m]));

  const save = async () => {
    const candidate = withoutEmpty(tidy({ ...draft, tags: splitWords(tagText), keywords: splitWords(keywordText) }));
    const found = problemsOf(candidate);
    setProblems(found);
    if (found.size > 0) {
      await run(() => Promise.reject(new Error(t('catalogue.invalid', { count: found.size }))), '');
      return;
    }
    const ok = await run(async () => {
      if (props.isNew) await request(props.session, 'POST', '/services', candidate);
      else await request(props.session, 'PUT', `/services/${candidate.id}`, candidate);
      const { versions } = await request<{ versions: { version: number }[] }>(props.session, 'GET', `/services/${candidate.id}/versions`);
      return versions[0]?.version ?? 1;
    }, (version) => (props.isNew ? t('catalogue.created', { name: candidate.name.zh }) : t('catalogue.saved', { version })));
    if (ok) {
      setHistoryKey((k) => k + 1);
      props.onSaved(candidate);
    }
  };

  return (
    <div className="cat-editor" data-testid="service-editor">
      <section className="card">
        <h2>{t('catalogue.basics')}</h2>
        <div className="cat-grid">
          <TextField name="name.zh" label={label('name.zh')} value={draft.name.zh} error={err('name.zh')} onChange={(zh) => setDraft({ ...draft, name: { ...draft.name, zh } })} />
          <TextField name="name.en" label={label('name.en')} value={draft.name.en} onChange={(en) => setDraft({ ...draft, name: { ...draft.name, en } })} />
          <TextField name="code" label={label('code')} value={draft.code} error={err('code')} onChange={(code) => setDraft({ ...draft, code })} />
          <SelectField name="departmentId" label={label('departmentId')} value={draft.departmentId} error={err('departmentId')} options={data.departments.map((d) => ({ value: d.id, label: d.name.zh }))} onChange={(departmentId) => setDraft({ ...draft, departmentId })} />
          <SelectField name="queueId" label={label('queueId')} value={draft.queueId} error={err('queueId')} options={data.queues.map((q) => ({ value: q.id, label: `${q.prefix} ${q.name.zh}` }))} onChange={(queueId) => setDraft({ ...draft, queueId })} />
          <TextField name="theme" label={label('theme')} value={draft.theme} error={err('theme')} list="catalogue-themes" onChange={(theme) => setDraft({ ...draft, theme })} />
          <TextField name="tags" label={label('tags')} value={tagText} hint={t('catalogue.commaHint')} error={err('tags')} onChange={setTagText} />
          <TextField name="keywords" label={label('keywords')} value={keywordText} hint={t('catalogue.commaHint')} onChange={setKeywordText} />
        </div>
        <datalist id="catalogue-themes">
          {data.themes.map((th) => (
            <option key={th.theme} value={th.theme} />
          ))}
        </datalist>
      </section>

      <section className="card">
        <h2>{t('catalogue.guide')}</h2>
        <div className="cat-grid">
          <TextField name="guide.handlingAuthority" label={label('guide.handlingAuthority')} value={draft.guide.handlingAuthority} onChange={(handlingAuthority) => setGuide({ handlingAuthority })} />
          <SelectField
            name="guide.applicants"
            label={label('guide.applicants')}
            value={draft.guide.applicants}
            options={(['person', 'organisation', 'both'] as const).map((a) => ({ value: a, label: t(`catalogue.applicants.${a}`) }))}
            onChange={(applicants) => setGuide({ applicants: applicants as Service['guide']['applicants'] })}
          />
          <LinesField name="guide.legalBasis" label={label('guide.legalBasis')} hint={t('catalogue.lines')} value={draft.guide.legalBasis} error={err('guide.legalBasis')} onChange={(legalBasis) => setGuide({ legalBasis })} />
          <LinesField name="guide.conditions" label={label('guide.conditions')} hint={t('catalogue.lines')} value={draft.guide.conditions} error={err('guide.conditions')} onChange={(conditions) => setGuide({ conditions })} />
          <NumberField name="guide.statutoryDays" label={label('guide.statutoryDays')} value={draft.guide.statutoryDays} error={err('guide.statutoryDays')} onChange={(statutoryDays) => setGuide({ statutoryDays })} />
          <NumberField name="guide.promisedDays" label={label('guide.promisedDays')} value={draft.guide.promisedDays} error={err('guide.promisedDays')} onChange={(promisedDays) => setGuide({ promisedDays })} />
          <LinesField name="guide.processSteps" label={label('guide.processSteps')} hint={t('catalogue.lines')} value={draft.guide.processSteps} onChange={(processSteps) => setGuide({ processSteps })} />
          <div className="cat-field">
            <CheckField name="guide.fees.free" label={label('guide.fees.free')} value={draft.guide.fees.free} onChange={(free) => setGuide({ fees: { ...draft.guide.fees, free } })} />
            <TextField name="guide.fees.description" label={label('guide.fees.description')} value={draft.guide.fees.description} onChange={(description) => setGuide({ fees: { ...draft.guide.fees, description } })} />
          </div>
          <TextField name="guide.place" label={label('guide.place')} value={draft.guide.place} error={err('guide.place')} onChange={(place) => setGuide({ place })} />
          <TextField name="guide.enquiryPhone" label={label('guide.enquiryPhone')} value={draft.guide.enquiryPhone} onChange={(enquiryPhone) => setGuide({ enquiryPhone })} />
          <CheckField name="guide.onlineAvailable" label={label('guide.onlineAvailable')} value={draft.guide.onlineAvailable} onChange={(onlineAvailable) => setGuide({ onlineAvailable })} />
        </div>
      </section>

      <section className="card" data-testid="service-materials">
        <h2>{t('catalogue.materials')}</h2>
        {err('materials') && <p className="error" data-testid="error-materials">{err('materials')}</p>}
        <table className="cat-materials">
          <thead>
            <tr>
              <th>{label('name')}</th>
              <th>{label('originals')}</th>
              <th>{label('copies')}</th>
              <th>{label('form')}</th>
              <th>{label('required')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.materials.map((m, i) =>
              m.sharedId ? (
                <tr key={m.id} data-testid={`material-${m.id}`} className="cat-shared">
                  <td>
                    {m.name} <span className="badge">{t('catalogue.fromLibrary')}</span>
                  </td>
                  <td>{m.originals}</td>
                  <td>{m.copies}</td>
                  <td>{t(`catalogue.forms.${m.form}`)}</td>
                  <td>
                    <input type="checkbox" aria-label={label('required')} checked={m.required} onChange={(e) => setMaterial(i, { required: e.target.checked })} />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => setDraft({ ...draft, materials: draft.materials.filter((_, j) => j !== i) })}>
                      {t('catalogue.remove')}
                    </button>
                  </td>
                </tr>
              ) : (
                <tr key={m.id} data-testid={`material-${m.id}`}>
                  <td>
                    <input aria-label={label('name')} name={`materials.${i}.name`} className={problems.has(`materials.${i}.name`) ? 'invalid' : ''} value={m.name} onChange={(e) => setMaterial(i, { name: e.target.value })} />
                    {err(`materials.${i}.name`) && <span className="error cat-hint"> {err(`materials.${i}.name`)}</span>}
                  </td>
                  <td>
                    <input type="number" min={0} className="cat-count" aria-label={label('originals')} value={m.originals} onChange={(e) => setMaterial(i, { originals: Number(e.target.value) })} />
                  </td>
                  <td>
                    <input type="number" min={0} className="cat-count" aria-label={label('copies')} value={m.copies} onChange={(e) => setMaterial(i, { copies: Number(e.target.value) })} />
                  </td>
                  <td>
                    <select aria-label={label('form')} value={m.form} onChange={(e) => setMaterial(i, { form: e.target.value as Material['form'] })}>
                      {(['paper', 'electronic', 'paper_or_electronic'] as const).map((f) => (
                        <option key={f} value={f}>
                          {t(`catalogue.forms.${f}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" aria-label={label('required')} checked={m.required} onChange={(e) => setMaterial(i, { required: e.target.checked })} />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => setDraft({ ...draft, materials: draft.materials.filter((_, j) => j !== i) })}>
                      {t('catalogue.remove')}
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <div className="row cat-add-material">
          <select aria-label={t('catalogue.addFromLibrary')} data-testid="library-pick" value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('catalogue.pick')}</option>
            {data.library
              .filter((l) => !draft.materials.some((m) => m.sharedId === l.id))
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
          <button
            type="button"
            data-testid="add-from-library"
            disabled={!library.has(pick)}
            onClick={() => {
              const shared = library.get(pick);
              if (!shared) return;
              const { usedBy: _usedBy, ...entry } = shared;
              const id = draft.materials.some((m) => m.id === entry.id) ? freshMaterialId(draft.materials) : entry.id;
              setDraft({ ...draft, materials: [...draft.materials, drawShared({ ...entry, id, required: true }, entry)] });
              setPick('');
            }}
          >
            {t('catalogue.addFromLibrary')}
          </button>
          <button
            type="button"
            className="link"
            data-testid="add-own-material"
            onClick={() => setDraft({ ...draft, materials: [...draft.materials, { id: freshMaterialId(draft.materials), name: '', originals: 1, copies: 0, form: 'paper', required: true, reviewPoints: [] }] })}
          >
            {t('catalogue.addOwn')}
          </button>
        </div>
      </section>

      <div className="row cat-save">
        <button type="button" className="primary" data-testid="save-catalogue-service" onClick={() => void save()}>
          {t('catalogue.save')}
        </button>
        <FeedbackLine feedback={feedback} testId="catalogue-message" />
      </div>

      {!props.isNew && <VersionHistory key={`${draft.id}-${historyKey}`} session={props.session} serviceId={draft.id} />}
    </div>
  );
}
