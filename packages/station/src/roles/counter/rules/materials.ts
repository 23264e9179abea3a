import { evaluateDecisionTree, type Case, type Material, type Service } from '@hall/shared';

/** The case's material list and what is missing: the same rules the sync executor applies. */
export { caseMaterials, missingRequired } from '@hall/shared';

export function situationName(service: Service, kase: Pick<Case, 'answers' | 'situationId'>): string | undefined {
  const tree = service.decisionTree;
  if (!tree) return undefined;
  const id = kase.situationId ?? (() => {
    const outcome = evaluateDecisionTree(service, kase.answers, { mode: 'final' }).outcome;
    return outcome.type === 'situation' ? outcome.situation.id : undefined;
  })();
  return tree.situations.find((s) => s.id === id)?.name.zh;
}

export function answerLabels(service: Service, answers: Case['answers']): { question: string; options: string[] }[] {
  const tree = service.decisionTree;
  if (!tree) return [];
  return Object.entries(answers).flatMap(([questionId, optionIds]) => {
    const question = tree.questions.find((q) => q.id === questionId);
    if (!question) return [];
    return [{ question: question.text.zh, options: optionIds.map((id) => question.options.find((o) => o.id === id)?.label.zh ?? id) }];
  });
}

export function materialLine(m: Material): string {
  const counts = [m.originals > 0 ? `原件${m.originals}份` : '', m.copies > 0 ? `复印件${m.copies}份` : ''].filter(Boolean).join('，');
  return counts ? `${m.name}（${counts}）` : m.name;
}
