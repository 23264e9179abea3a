import type { NextStep, Service } from '../domain/catalogue';
import { possibleNextSteps } from './decisionTree';

export type TreeDefect =
  | { code: 'duplicate_id'; id: string }
  | { code: 'missing_root'; questionId: string }
  | { code: 'unknown_step'; fromQuestionId: string; step: NextStep }
  | { code: 'unknown_material'; where: string; materialId: string }
  | { code: 'dead_end'; questionId: string; optionId?: string }
  | { code: 'cycle'; questionIds: string[] }
  | { code: 'unreachable_question'; questionId: string }
  | { code: 'unreachable_situation'; situationId: string }
  | { code: 'single_option_next_ignored'; questionId: string; optionId: string };

/**
 * Static check of a service's decision tree, for seed data and the admin editor: every
 * reference resolves, every path ends in a situation, nothing loops, nothing is unreachable.
 */
export function validateDecisionTree(service: Service): TreeDefect[] {
  const tree = service.decisionTree;
  if (tree === undefined) return [];
  const defects: TreeDefect[] = [];
  const seen = new Set<string>();
  for (const id of [...tree.questions.map((q) => q.id), ...tree.situations.map((s) => s.id)]) {
    if (seen.has(id)) defects.push({ code: 'duplicate_id', id });
    seen.add(id);
  }
  for (const question of tree.questions) {
    const optionIds = new Set<string>();
    for (const option of question.options) {
      if (optionIds.has(option.id)) defects.push({ code: 'duplicate_id', id: `${question.id}/${option.id}` });
      optionIds.add(option.id);
    }
  }

  const questions = new Map(tree.questions.map((q) => [q.id, q]));
  const situations = new Map(tree.situations.map((s) => [s.id, s]));
  const materialIds = new Set(service.materials.map((m) => m.id));
  if (!questions.has(tree.rootQuestionId)) defects.push({ code: 'missing_root', questionId: tree.rootQuestionId });

  for (const situation of tree.situations) {
    for (const materialId of situation.materialIds) {
      if (!materialIds.has(materialId)) defects.push({ code: 'unknown_material', where: situation.id, materialId });
    }
  }
  for (const question of tree.questions) {
    for (const option of question.options) {
      for (const materialId of option.addMaterialIds) {
        if (!materialIds.has(materialId)) {
          defects.push({ code: 'unknown_material', where: `${question.id}/${option.id}`, materialId });
        }
      }
      if (question.kind === 'single' && option.next === undefined && question.next === undefined) {
        defects.push({ code: 'dead_end', questionId: question.id, optionId: option.id });
      }
      if (question.kind === 'multi' && option.next !== undefined) {
        defects.push({ code: 'single_option_next_ignored', questionId: question.id, optionId: option.id });
      }
    }
    // A multi-choice question, and an optional one the citizen may skip, go on via `next`.
    if (question.next === undefined && (question.kind === 'multi' || !question.required)) {
      defects.push({ code: 'dead_end', questionId: question.id });
    }
    for (const step of possibleNextSteps(question)) {
      const exists = step.type === 'question' ? questions.has(step.questionId) : situations.has(step.situationId);
      if (!exists) defects.push({ code: 'unknown_step', fromQuestionId: question.id, step });
    }
  }

  // Depth-first walk from the root: grey nodes on the stack reveal cycles.
  const reachedQuestions = new Set<string>();
  const reachedSituations = new Set<string>();
  const onStack: string[] = [];
  const done = new Set<string>();
  const visit = (questionId: string): void => {
    const question = questions.get(questionId);
    if (question === undefined || done.has(questionId)) return;
    const stackIndex = onStack.indexOf(questionId);
    if (stackIndex >= 0) {
      defects.push({ code: 'cycle', questionIds: [...onStack.slice(stackIndex), questionId] });
      return;
    }
    reachedQuestions.add(questionId);
    onStack.push(questionId);
    for (const step of possibleNextSteps(question)) {
      if (step.type === 'question') visit(step.questionId);
      else reachedSituations.add(step.situationId);
    }
    onStack.pop();
    done.add(questionId);
  };
  visit(tree.rootQuestionId);

  for (const question of tree.questions) {
    if (!reachedQuestions.has(question.id)) defects.push({ code: 'unreachable_question', questionId: question.id });
  }
  for (const situation of tree.situations) {
    if (!reachedSituations.has(situation.id)) defects.push({ code: 'unreachable_situation', situationId: situation.id });
  }
  return defects;
}

/** One line per defect, for seed-loading errors and test failure messages. */
export function describeTreeDefect(defect: TreeDefect): string {
  switch (defect.code) {
    case 'duplicate_id':
      return `id ${defect.id} is used twice`;
    case 'missing_root':
      return `root question ${defect.questionId} does not exist`;
    case 'unknown_step':
      return `question ${defect.fromQuestionId} leads to unknown ${defect.step.type} ${
        defect.step.type === 'question' ? defect.step.questionId : defect.step.situationId
      }`;
    case 'unknown_material':
      return `${defect.where} names unknown material ${defect.materialId}`;
    case 'dead_end':
      return `question ${defect.questionId}${defect.optionId === undefined ? '' : ` option ${defect.optionId}`} leads nowhere`;
    case 'cycle':
      return `questions loop: ${defect.questionIds.join(' → ')}`;
    case 'unreachable_question':
      return `question ${defect.questionId} cannot be reached from the root`;
    case 'unreachable_situation':
      return `situation ${defect.situationId} cannot be reached from the root`;
    case 'single_option_next_ignored':
      return `multi-choice question ${defect.questionId} option ${defect.optionId} has a next step that is never followed`;
  }
}
