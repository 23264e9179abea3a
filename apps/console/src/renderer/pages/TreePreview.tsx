import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evaluateDecisionTree, type Service, type TreeAnswers } from '@hall/shared';

/**
 * The citizen's path through a (draft) service's 情形问答, walked with the same shared
 * evaluator the kiosk uses, so what the manager previews is what a citizen will see.
 */
export function TreePreview(props: { service: Service }) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<TreeAnswers>({});
  const [multi, setMulti] = useState<string[]>([]);
  const result = evaluateDecisionTree(props.service, answers);
  const answer = (questionId: string, optionIds: string[]) => {
    setAnswers({ ...answers, [questionId]: optionIds });
    setMulti([]);
  };
  return (
    <div className="preview" data-testid="tree-preview">
      <h3>{t('services.preview')}</h3>
      <ol className="path">
        {result.path.map((step) => (
          <li key={step.question.id}>
            {step.question.text.zh} → <b>{step.question.options.filter((o) => step.optionIds.includes(o.id)).map((o) => o.label.zh).join('、') || '—'}</b>
          </li>
        ))}
      </ol>
      {result.outcome.type === 'question' && (
        <div className="preview-question" data-testid="preview-question">
          <p className="question-text">{result.outcome.question.text.zh}</p>
          {result.outcome.question.kind === 'single' ? (
            result.outcome.question.options.map((o) => (
              <button key={o.id} type="button" className="choice" onClick={() => answer((result.outcome as { question: { id: string } }).question.id, [o.id])}>
                {o.label.zh}
              </button>
            ))
          ) : (
            <>
              {result.outcome.question.options.map((o) => (
                <label key={o.id} className="choice-check">
                  <input
                    type="checkbox"
                    checked={multi.includes(o.id)}
                    onChange={(e) => setMulti(e.target.checked ? [...multi, o.id] : multi.filter((x) => x !== o.id))}
                  />
                  {o.label.zh}
                </label>
              ))}
              <button type="button" className="primary" onClick={() => answer((result.outcome as { question: { id: string } }).question.id, multi)}>
                →
              </button>
            </>
          )}
        </div>
      )}
      {result.outcome.type === 'situation' && (
        <div className="preview-result" data-testid="preview-result">
          <p>
            <b>{t('services.result', { name: result.outcome.situation.name.zh })}</b>
          </p>
          <p>{t('services.materials')}:</p>
          <ul>
            {result.materials.map((m) => (
              <li key={m.id}>
                {m.name}
                {m.originals > 0 ? ` ×${m.originals}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.outcome.type === 'no_tree' && <p className="muted">{t('services.noTree')}</p>}
      {result.outcome.type === 'invalid' && <p className="error">{t('services.invalid', { codes: result.errors.map((e) => e.code).join(', ') })}</p>}
      <button type="button" onClick={() => setAnswers({})} data-testid="preview-restart">
        {t('services.restart')}
      </button>
    </div>
  );
}
