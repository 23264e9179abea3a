import type { Material, NextStep, Service, Situation, SituationQuestion } from '../domain/catalogue';

/** Decision-tree answers as a case stores them: question id → chosen option ids. */
export type TreeAnswers = Readonly<Record<string, readonly string[]>>;

export type TreeAnswerError =
  | { code: 'required_unanswered'; questionId: string }
  | { code: 'too_many_answers'; questionId: string }
  | { code: 'unknown_option'; questionId: string; optionId: string }
  | { code: 'answer_off_path'; questionId: string }
  | { code: 'cycle'; questionId: string }
  | { code: 'dead_end'; questionId: string }
  | { code: 'unknown_step'; questionId: string; step: NextStep }
  | { code: 'unknown_material'; materialId: string };

export interface TreePathStep {
  question: SituationQuestion;
  /** Empty when an optional question was skipped. */
  optionIds: string[];
}

export type TreeOutcome =
  | { type: 'question'; question: SituationQuestion }
  | { type: 'situation'; situation: Situation }
  /** The service has no decision tree: every material applies. */
  | { type: 'no_tree' }
  /** The answers (or the tree) stop the walk; see `errors`. */
  | { type: 'invalid' };

export interface TreeEvaluation {
  outcome: TreeOutcome;
  path: TreePathStep[];
  errors: TreeAnswerError[];
  /** Materials for the situation reached (or all of a tree-less service), in service order. */
  materials: Material[];
  formId?: string;
  progress: { answered: number; remainingAtMost: number };
}

export interface EvaluateOptions {
  /**
   * `progress` (kiosk walking the tree): a question with no entry is the next one to ask.
   * `final` (submitting a case): a missing optional answer counts as skipped and a missing
   * required one is an error.
   */
  mode?: 'progress' | 'final';
}

/** Where the citizen stands in a service's 情形问答 given the answers so far. */
export function evaluateDecisionTree(
  service: Service,
  answers: TreeAnswers,
  options: EvaluateOptions = {},
): TreeEvaluation {
  const tree = service.decisionTree;
  if (tree === undefined) {
    const errors: TreeAnswerError[] = Object.keys(answers).map((questionId) => ({ code: 'answer_off_path', questionId }));
    return {
      outcome: { type: 'no_tree' },
      path: [],
      errors,
      materials: service.materials,
      ...(service.formId === undefined ? {} : { formId: service.formId }),
      progress: { answered: 0, remainingAtMost: 0 },
    };
  }
  const mode = options.mode ?? 'progress';
  const questions = new Map(tree.questions.map((q) => [q.id, q]));
  const situations = new Map(tree.situations.map((s) => [s.id, s]));
  const path: TreePathStep[] = [];
  const errors: TreeAnswerError[] = [];
  const visited = new Set<string>();
  let outcome: TreeOutcome = { type: 'invalid' };
  let step: NextStep = { type: 'question', questionId: tree.rootQuestionId };

  for (;;) {
    if (step.type === 'situation') {
      const situation = situations.get(step.situationId);
      if (situation === undefined) {
        errors.push({ code: 'unknown_step', questionId: path.at(-1)?.question.id ?? tree.rootQuestionId, step });
      } else {
        outcome = { type: 'situation', situation };
      }
      break;
    }
    const question = questions.get(step.questionId);
    if (question === undefined) {
      errors.push({ code: 'unknown_step', questionId: path.at(-1)?.question.id ?? step.questionId, step });
      break;
    }
    if (visited.has(question.id)) {
      errors.push({ code: 'cycle', questionId: question.id });
      break;
    }
    visited.add(question.id);
    const given = answers[question.id];
    if (given === undefined && mode === 'progress') {
      outcome = { type: 'question', question };
      break;
    }
    const optionIds = [...new Set(given ?? [])];
    const answerErrors = checkAnswer(question, optionIds);
    if (answerErrors.length > 0) {
      errors.push(...answerErrors);
      break;
    }
    path.push({ question, optionIds });
    const next = nextStepAfter(question, optionIds);
    if (next === undefined) {
      errors.push({ code: 'dead_end', questionId: question.id });
      break;
    }
    step = next;
  }

  for (const questionId of Object.keys(answers)) {
    if (!visited.has(questionId)) errors.push({ code: 'answer_off_path', questionId });
  }

  let materials: Material[] = [];
  let formId = service.formId;
  if (outcome.type === 'situation') {
    const wanted = new Set(outcome.situation.materialIds);
    for (const { question, optionIds } of path) {
      for (const option of question.options) {
        if (optionIds.includes(option.id)) option.addMaterialIds.forEach((id) => wanted.add(id));
      }
    }
    materials = service.materials.filter((m) => wanted.delete(m.id));
    for (const materialId of wanted) errors.push({ code: 'unknown_material', materialId });
    formId = outcome.situation.formId ?? service.formId;
  }

  const remainingAtMost =
    outcome.type === 'question' ? longestRemaining(outcome.question.id, questions, new Map(), new Set()) : 0;
  return {
    outcome,
    path,
    errors,
    materials,
    ...(formId === undefined ? {} : { formId }),
    progress: { answered: path.length, remainingAtMost },
  };
}

function checkAnswer(question: SituationQuestion, optionIds: string[]): TreeAnswerError[] {
  if (optionIds.length === 0) return question.required ? [{ code: 'required_unanswered', questionId: question.id }] : [];
  const errors: TreeAnswerError[] = [];
  const known = new Set(question.options.map((o) => o.id));
  for (const optionId of optionIds) {
    if (!known.has(optionId)) errors.push({ code: 'unknown_option', questionId: question.id, optionId });
  }
  if (question.kind === 'single' && optionIds.length > 1) errors.push({ code: 'too_many_answers', questionId: question.id });
  return errors;
}

/** A single choice follows its option's `next`, falling back to the question's; multi and skips use the question's. */
export function nextStepAfter(question: SituationQuestion, optionIds: readonly string[]): NextStep | undefined {
  if (question.kind === 'single' && optionIds.length === 1) {
    const option = question.options.find((o) => o.id === optionIds[0]);
    return option?.next ?? question.next;
  }
  return question.next;
}

/** Every step a question can lead to, whatever the answer. */
export function possibleNextSteps(question: SituationQuestion): NextStep[] {
  const steps: NextStep[] = [];
  if (question.kind === 'single') {
    for (const option of question.options) {
      const next = option.next ?? question.next;
      if (next !== undefined) steps.push(next);
    }
  }
  if (question.next !== undefined && (question.kind === 'multi' || !question.required)) steps.push(question.next);
  return steps;
}

/** Most questions still to answer from `questionId` on (inclusive): what a progress bar needs. */
function longestRemaining(
  questionId: string,
  questions: ReadonlyMap<string, SituationQuestion>,
  memo: Map<string, number>,
  onStack: Set<string>,
): number {
  const cached = memo.get(questionId);
  if (cached !== undefined) return cached;
  const question = questions.get(questionId);
  if (question === undefined || onStack.has(questionId)) return 0;
  onStack.add(questionId);
  let deepest = 0;
  for (const step of possibleNextSteps(question)) {
    if (step.type === 'question') deepest = Math.max(deepest, longestRemaining(step.questionId, questions, memo, onStack));
  }
  onStack.delete(questionId);
  memo.set(questionId, deepest + 1);
  return deepest + 1;
}

/**
 * Keeps only the answers on the current path, e.g. after the citizen goes back and
 * changes an earlier answer so later ones no longer apply.
 */
export function pruneAnswers(service: Service, answers: TreeAnswers): Record<string, string[]> {
  const { path } = evaluateDecisionTree(service, answers);
  const kept: Record<string, string[]> = {};
  for (const { question } of path) {
    const given = answers[question.id];
    if (given !== undefined) kept[question.id] = [...given];
  }
  return kept;
}
