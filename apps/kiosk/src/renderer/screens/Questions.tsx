import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evaluateDecisionTree, pruneAnswers } from '@hall/shared';
import { BigButton, localized } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useSession } from '../state/session';
import { Frame } from './Frame';

/** 情形问答: one question at a time, with progress, required marks, skip and back. */
export function Questions() {
  const { t, i18n } = useTranslation();
  const serviceId = useSession((s) => s.serviceId);
  const answers = useSession((s) => s.answers);
  const service = useHall((s) => s.catalogue?.services.find((x) => x.id === serviceId));
  const [picked, setPicked] = useState<string[]>([]);
  const evaluation = service ? evaluateDecisionTree(service, answers) : undefined;
  const outcome = evaluation?.outcome;

  useEffect(() => {
    if (outcome && outcome.type !== 'question') useSession.getState().go('materials');
  }, [outcome]);
  const questionId = outcome?.type === 'question' ? outcome.question.id : undefined;
  useEffect(() => setPicked([]), [questionId]);

  if (!service || !evaluation || outcome?.type !== 'question') return null;
  const question = outcome.question;
  const answer = (optionIds: string[]) => {
    useSession.getState().setAnswers(pruneAnswers(service, { ...answers, [question.id]: optionIds }));
  };
  const stepBack = () => {
    const last = evaluation.path.at(-1);
    if (!last) {
      useSession.getState().back();
      return;
    }
    const { [last.question.id]: _dropped, ...rest } = answers;
    useSession.getState().setAnswers(rest);
  };
  const current = evaluation.progress.answered + 1;
  const total = evaluation.progress.answered + Math.max(1, evaluation.progress.remainingAtMost);
  return (
    <Frame
      title={`${t('questions.title')} · ${localized(service.name, i18n.language)}`}
      testId="questions"
      onBack={stepBack}
      footer={
        question.kind === 'multi' ? (
          <BigButton variant="primary" disabled={question.required && picked.length === 0} onClick={() => answer(picked)} data-testid="question-confirm">
            {t('questions.confirm')}
          </BigButton>
        ) : !question.required ? (
          <BigButton onClick={() => answer([])} data-testid="question-skip">
            {t('questions.skip')}
          </BigButton>
        ) : undefined
      }
    >
      <div className="progress" data-testid="question-progress" aria-label={t('questions.progress', { current })}>
        <div className="progress-bar" style={{ width: `${Math.round(((current - 1) / total) * 100)}%` }} />
        <span>{t('questions.progress', { current })}</span>
      </div>
      <h2 className="question-text" data-testid="question-text">
        {localized(question.text, i18n.language)}
        <span className={question.required ? 'mark-required' : 'mark-optional'}>{question.required ? t('questions.required') : t('questions.optional')}</span>
      </h2>
      {question.kind === 'multi' && <p className="muted">{t('questions.multiHint')}</p>}
      <div className="choice-grid">
        {question.options.map((option) => {
          const on = picked.includes(option.id);
          return (
            <BigButton
              key={option.id}
              size="large"
              variant={on ? 'primary' : 'secondary'}
              aria-pressed={question.kind === 'multi' ? on : undefined}
              data-testid={`option-${option.id}`}
              onClick={() => {
                if (question.kind === 'single') answer([option.id]);
                else setPicked((p) => (on ? p.filter((x) => x !== option.id) : [...p, option.id]));
              }}
            >
              {localized(option.label, i18n.language)}
            </BigButton>
          );
        })}
      </div>
    </Frame>
  );
}
