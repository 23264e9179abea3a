import type { Service } from '@hall/shared';

/**
 * Cross-references the zod schema cannot express: every step of the decision tree and
 * every material a situation or answer names must exist. A broken tree would strand a
 * citizen half-way through the kiosk, so it is refused at the door.
 */
export function serviceProblems(service: Service): string[] {
  const problems: string[] = [];
  const materialIds = new Set(service.materials.map((m) => m.id));
  const duplicates = service.materials.length - materialIds.size;
  if (duplicates > 0) problems.push('materials: ids must be unique');
  const tree = service.decisionTree;
  if (!tree) return problems;

  const questionIds = new Set(tree.questions.map((q) => q.id));
  const situationIds = new Set(tree.situations.map((s) => s.id));
  if (!questionIds.has(tree.rootQuestionId)) problems.push(`decisionTree.rootQuestionId: no question ${tree.rootQuestionId}`);
  const checkStep = (where: string, step: { type: 'question'; questionId: string } | { type: 'situation'; situationId: string }) => {
    if (step.type === 'question' && !questionIds.has(step.questionId)) problems.push(`${where}: no question ${step.questionId}`);
    if (step.type === 'situation' && !situationIds.has(step.situationId)) problems.push(`${where}: no situation ${step.situationId}`);
  };
  for (const question of tree.questions) {
    const where = `decisionTree.questions.${question.id}`;
    if (question.next) checkStep(`${where}.next`, question.next);
    for (const option of question.options) {
      if (option.next) checkStep(`${where}.options.${option.id}.next`, option.next);
      else if (question.kind === 'single' && !question.next) problems.push(`${where}.options.${option.id}: leads nowhere`);
      for (const id of option.addMaterialIds) {
        if (!materialIds.has(id)) problems.push(`${where}.options.${option.id}.addMaterialIds: no material ${id}`);
      }
    }
    if (question.kind === 'multi' && !question.next) problems.push(`${where}: a multi-choice question needs next`);
  }
  for (const situation of tree.situations) {
    for (const id of situation.materialIds) {
      if (!materialIds.has(id)) problems.push(`decisionTree.situations.${situation.id}.materialIds: no material ${id}`);
    }
  }
  return problems;
}
