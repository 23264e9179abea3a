import type {
  AnswerOption,
  DecisionTree,
  Guide,
  LocalizedText,
  Material,
  NextStep,
  Service,
  SituationQuestion,
} from '@hall/shared';

/**
 * Authoring helpers for the demo catalogue.
 *
 * Services are written with short local keys ("idcard", "type") and checked by the
 * compiler (a situation can only list a material key the service declares); the
 * builder turns them into ids prefixed with the service id, so every material,
 * question, option and situation id is unique across the whole hall and a case
 * record's `materialId` never needs its service to be understood.
 */

export type MaterialSpec = Omit<Material, 'id' | 'reviewPoints'> & { reviewPoints?: string[] };

/** Where an answer leads: a question or a situation, by local key. */
export type StepSpec<Q extends string, S extends string> = { question: Q } | { situation: S };

export interface OptionSpec<M extends string, Q extends string, S extends string> {
  label: LocalizedText;
  next?: StepSpec<Q, S>;
  /** Materials this answer adds on top of the situation's own list. */
  add?: M[];
}

export interface QuestionSpec<M extends string, Q extends string, S extends string> {
  text: LocalizedText;
  kind: 'single' | 'multi';
  required: boolean;
  options: Record<string, OptionSpec<M, Q, S>>;
  next?: StepSpec<Q, S>;
}

export interface SituationSpec<M extends string> {
  name: LocalizedText;
  materials: M[];
  formId?: string;
  note?: string;
  /** Citizens' own words for this case, for the kiosk's ask box. */
  keywords?: string[];
}

export interface TreeSpec<M extends string, Q extends string, S extends string> {
  root: NoInfer<Q>;
  questions: Record<Q, QuestionSpec<NoInfer<M>, NoInfer<Q>, NoInfer<S>>>;
  situations: Record<S, SituationSpec<NoInfer<M>>>;
}

/** A guide whose `onlineAvailable` may be left out (most matters need a visit). */
export type GuideSpec = Omit<Guide, 'processSteps' | 'onlineAvailable'> & {
  processSteps: string[];
  onlineAvailable?: boolean;
};

export interface ServiceSpec<M extends string, Q extends string, S extends string> {
  id: string;
  code: string;
  name: LocalizedText;
  departmentId: string;
  theme: string;
  guide: GuideSpec;
  materials: Record<M, MaterialSpec>;
  tree?: TreeSpec<M, Q, S>;
  formId?: string;
  queueId: string;
  dailyCap?: number;
  keywords: string[];
}

export const materialId = (serviceId: string, key: string): string => `${serviceId}.m.${key}`;
export const questionId = (serviceId: string, key: string): string => `${serviceId}.q.${key}`;
export const optionId = (serviceId: string, questionKey: string, key: string): string =>
  `${serviceId}.q.${questionKey}.${key}`;
export const situationId = (serviceId: string, key: string): string => `${serviceId}.s.${key}`;

function step(serviceId: string, spec: StepSpec<string, string>): NextStep {
  return 'question' in spec
    ? { type: 'question', questionId: questionId(serviceId, spec.question) }
    : { type: 'situation', situationId: situationId(serviceId, spec.situation) };
}

function buildQuestion(
  serviceId: string,
  key: string,
  spec: QuestionSpec<string, string, string>,
): SituationQuestion {
  const options = Object.entries(spec.options).map(([optionKey, o]): AnswerOption => ({
    id: optionId(serviceId, key, optionKey),
    label: o.label,
    ...(o.next ? { next: step(serviceId, o.next) } : {}),
    addMaterialIds: (o.add ?? []).map((m) => materialId(serviceId, m)),
  }));
  return {
    id: questionId(serviceId, key),
    text: spec.text,
    kind: spec.kind,
    required: spec.required,
    options,
    ...(spec.next ? { next: step(serviceId, spec.next) } : {}),
  };
}

function buildTree(serviceId: string, spec: TreeSpec<string, string, string>): DecisionTree {
  return {
    rootQuestionId: questionId(serviceId, spec.root),
    questions: Object.entries(spec.questions).map(([key, q]) => buildQuestion(serviceId, key, q)),
    situations: Object.entries(spec.situations).map(([key, s]) => ({
      id: situationId(serviceId, key),
      name: s.name,
      materialIds: s.materials.map((m) => materialId(serviceId, m)),
      ...(s.formId ? { formId: s.formId } : {}),
      ...(s.note ? { note: s.note } : {}),
      ...(s.keywords ? { keywords: s.keywords } : {}),
    })),
  };
}

export function defineService<M extends string, Q extends string = never, S extends string = never>(
  spec: ServiceSpec<M, Q, S>,
): Service {
  const materials = (Object.entries(spec.materials) as [string, MaterialSpec][]).map(
    ([key, m]): Material => ({ ...m, id: materialId(spec.id, key), reviewPoints: m.reviewPoints ?? [] }),
  );
  return {
    id: spec.id,
    code: spec.code,
    name: spec.name,
    departmentId: spec.departmentId,
    theme: spec.theme,
    guide: { ...spec.guide, onlineAvailable: spec.guide.onlineAvailable ?? false },
    materials,
    ...(spec.tree ? { decisionTree: buildTree(spec.id, spec.tree as TreeSpec<string, string, string>) } : {}),
    ...(spec.formId ? { formId: spec.formId } : {}),
    queueId: spec.queueId,
    ...(spec.dailyCap !== undefined ? { dailyCap: spec.dailyCap } : {}),
    keywords: spec.keywords,
  };
}

/** A single-choice question; required unless said otherwise. */
export function single<const M extends string = never, const Q extends string = never, const S extends string = never>(
  text: LocalizedText,
  options: Record<string, OptionSpec<M, Q, S>>,
  extra: { required?: boolean; next?: StepSpec<Q, S> } = {},
): QuestionSpec<M, Q, S> {
  return { text, kind: 'single', required: extra.required ?? true, options, ...(extra.next ? { next: extra.next } : {}) };
}
