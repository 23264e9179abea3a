import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeTreeDefect, validateDecisionTree, type DecisionTree, type NextStep, type Service } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';
import { TreePreview } from './TreePreview';

const stepValue = (step: NextStep | undefined) => (!step ? '' : step.type === 'question' ? `q:${step.questionId}` : `s:${step.situationId}`);
const stepOf = (value: string): NextStep | undefined =>
  value.startsWith('q:') ? { type: 'question', questionId: value.slice(2) } : value.startsWith('s:') ? { type: 'situation', situationId: value.slice(2) } : undefined;

function freshId(prefix: string, taken: readonly string[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

export function ServicesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const list = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const [selected, setSelected] = useState<string>();
  const [draft, setDraft] = useState<Service>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const services = list.data?.services ?? [];
  useEffect(() => {
    const first = services.find((s) => s.id === selected) ?? services.find((s) => s.decisionTree) ?? services[0];
    if (first && first.id !== draft?.id) {
      setSelected(first.id);
      setDraft(structuredClone(first));
      setMessage(undefined);
    }
  }, [list.data, selected]);

  const save = async () => {
    if (!draft) return;
    try {
      await request(session, 'PUT', `/services/${draft.id}`, draft);
      const v = await request<{ version: number }>(session, 'GET', `/admin/halls/${hallId}/config-version`);
      setMessage({ ok: true, text: t('services.saved', { version: v.version }) });
      onConfigChanged();
      list.reload();
    } catch (e) {
      setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
    }
  };

  const tree = draft?.decisionTree;
  const setTree = (next: DecisionTree) => draft && setDraft({ ...draft, decisionTree: next });
  const defects = draft ? validateDecisionTree(draft).map(describeTreeDefect) : [];
  const stepChoices = tree
    ? [
        ...tree.questions.map((q) => ({ value: `q:${q.id}`, label: `${t('services.question')}: ${q.text.zh || q.id}` })),
        ...tree.situations.map((s) => ({ value: `s:${s.id}`, label: `${t('services.situation')}: ${s.name.zh || s.id}` })),
      ]
    : [];
  const allIds = tree ? [...tree.questions.map((q) => q.id), ...tree.situations.map((s) => s.id)] : [];

  return (
    <div className="services" data-testid="services">
      <aside className="card service-list">
        <h2>{t('services.list')}</h2>
        {services.map((s) => (
          <button key={s.id} type="button" className={s.id === selected ? 'active' : ''} onClick={() => setSelected(s.id)} data-testid={`service-${s.id}`}>
            {s.name.zh}
          </button>
        ))}
      </aside>
      {draft && (
        <section className="card tree-editor" data-testid="tree-editor">
          <h2>
            {draft.name.zh} · {t('services.tree')}
          </h2>
          {!tree ? (
            <p className="muted">{t('services.noTree')}</p>
          ) : (
            <>
              <label>
                {t('services.root')}{' '}
                <select value={tree.rootQuestionId} onChange={(e) => setTree({ ...tree, rootQuestionId: e.target.value })}>
                  {tree.questions.map((q) => (
                    <option key={q.id} value={q.id}>
                      {q.text.zh}
                    </option>
                  ))}
                </select>
              </label>
              <h3>{t('services.questions')}</h3>
              {tree.questions.map((q, qi) => {
                const setQ = (nq: typeof q) => setTree({ ...tree, questions: tree.questions.map((x, i) => (i === qi ? nq : x)) });
                return (
                  <div key={q.id} className="tree-question" data-testid={`question-${q.id}`}>
                    <div className="row">
                      <span className="muted">{q.id}</span>
                      <input aria-label={t('services.question')} value={q.text.zh} onChange={(e) => setQ({ ...q, text: { ...q.text, zh: e.target.value } })} />
                      <select value={q.kind} onChange={(e) => setQ({ ...q, kind: e.target.value as 'single' | 'multi' })}>
                        <option value="single">{t('services.single')}</option>
                        <option value="multi">{t('services.multi')}</option>
                      </select>
                      <label>
                        <input type="checkbox" checked={q.required} onChange={(e) => setQ({ ...q, required: e.target.checked })} /> {t('services.required')}
                      </label>
                      {q.kind === 'multi' && (
                        <select value={stepValue(q.next)} onChange={(e) => setQ({ ...q, ...(stepOf(e.target.value) ? { next: stepOf(e.target.value) } : { next: undefined }) })}>
                          <option value="">—</option>
                          {stepChoices.map((c) => (
                            <option key={c.value} value={c.value}>
                              {c.label}
                            </option>
                          ))}
                        </select>
                      )}
                    </div>
                    {q.options.map((o, oi) => {
                      const setO = (no: typeof o) => setQ({ ...q, options: q.options.map((x, i) => (i === oi ? no : x)) });
                      return (
                        <div key={o.id} className="row option-row">
                          <span className="muted">{o.id}</span>
                          <input aria-label={t('services.option')} value={o.label.zh} onChange={(e) => setO({ ...o, label: { ...o.label, zh: e.target.value } })} />
                          <span>{t('services.leadsTo')}</span>
                          <select
                            aria-label={`${q.id}/${o.id} ${t('services.leadsTo')}`}
                            data-testid={`next-${q.id}-${o.id}`}
                            value={stepValue(o.next)}
                            onChange={(e) => {
                              const { next: _old, ...rest } = o;
                              const next = stepOf(e.target.value);
                              setO(next ? { ...rest, next } : rest);
                            }}
                          >
                            <option value="">—</option>
                            {stepChoices.map((c) => (
                              <option key={c.value} value={c.value}>
                                {c.label}
                              </option>
                            ))}
                          </select>
                          <button type="button" className="link" onClick={() => setQ({ ...q, options: q.options.filter((_, i) => i !== oi) })}>
                            {t('services.remove')}
                          </button>
                        </div>
                      );
                    })}
                    <button
                      type="button"
                      className="link"
                      onClick={() => setQ({ ...q, options: [...q.options, { id: freshId('o', q.options.map((o) => o.id)), label: { zh: '' }, addMaterialIds: [] }] })}
                    >
                      + {t('services.addOption')}
                    </button>
                  </div>
                );
              })}
              <button
                type="button"
                data-testid="add-question"
                onClick={() => {
                  const id = freshId('q-', allIds);
                  setTree({ ...tree, questions: [...tree.questions, { id, text: { zh: '' }, kind: 'single', required: true, options: [{ id: 'o1', label: { zh: '' }, addMaterialIds: [] }] }] });
                }}
              >
                + {t('services.addQuestion')}
              </button>
              <h3>{t('services.situations')}</h3>
              {tree.situations.map((s, si) => {
                const setS = (ns: typeof s) => setTree({ ...tree, situations: tree.situations.map((x, i) => (i === si ? ns : x)) });
                return (
                  <div key={s.id} className="tree-situation" data-testid={`situation-${s.id}`}>
                    <div className="row">
                      <span className="muted">{s.id}</span>
                      <input aria-label={t('services.situation')} value={s.name.zh} onChange={(e) => setS({ ...s, name: { ...s.name, zh: e.target.value } })} />
                    </div>
                    <div className="materials">
                      {draft.materials.map((m) => (
                        <label key={m.id}>
                          <input
                            type="checkbox"
                            checked={s.materialIds.includes(m.id)}
                            onChange={(e) => setS({ ...s, materialIds: e.target.checked ? [...s.materialIds, m.id] : s.materialIds.filter((x) => x !== m.id) })}
                          />
                          {m.name}
                        </label>
                      ))}
                    </div>
                  </div>
                );
              })}
              <button
                type="button"
                onClick={() => setTree({ ...tree, situations: [...tree.situations, { id: freshId('s-', allIds), name: { zh: '' }, materialIds: [] }] })}
              >
                + {t('services.addSituation')}
              </button>
            </>
          )}
          {defects.length > 0 && (
            <ul className="defects" data-testid="defects">
              {defects.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <button type="button" className="primary" onClick={() => void save()} data-testid="save-service">
              {t('services.save')}
            </button>
            {message && (
              <span className={message.ok ? 'ok' : 'error'} data-testid="save-message">
                {message.text}
              </span>
            )}
          </div>
        </section>
      )}
      {draft && (
        <section className="card">
          <TreePreview key={JSON.stringify(draft.decisionTree)} service={draft} />
        </section>
      )}
    </div>
  );
}
