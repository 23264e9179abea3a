import { z } from 'zod';
import { IdSchema, LocalizedTextSchema } from './common';

/** 材料: what the citizen brings or the clerk captures. */
export const MaterialSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  originals: z.number().int().min(0),
  copies: z.number().int().min(0),
  form: z.enum(['paper', 'electronic', 'paper_or_electronic']),
  /** False for materials needed only in some cases ("如有"). */
  required: z.boolean(),
  blankFormRef: z.string().optional(),
  sampleFormRef: z.string().optional(),
  /** 审查要点: what the clerk checks. */
  reviewPoints: z.array(z.string()).default([]),
  note: z.string().optional(),
  /**
   * 共享材料: the library entry this material is drawn from. The library owns every field
   * but the id and `required` (a document may be needed in one service and optional in another).
   */
  sharedId: IdSchema.optional(),
});
export type Material = z.infer<typeof MaterialSchema>;

export const NextStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('question'), questionId: IdSchema }),
  z.object({ type: z.literal('situation'), situationId: IdSchema }),
]);
export type NextStep = z.infer<typeof NextStepSchema>;

export const AnswerOptionSchema = z.object({
  id: IdSchema,
  label: LocalizedTextSchema,
  /** Where a single-choice answer leads; falls back to the question's `next`. */
  next: NextStepSchema.optional(),
  /** Extra materials this answer requires on top of the situation's list. */
  addMaterialIds: z.array(IdSchema).default([]),
});
export type AnswerOption = z.infer<typeof AnswerOptionSchema>;

/** 情形问答: one question of a service's decision tree. */
export const SituationQuestionSchema = z.object({
  id: IdSchema,
  text: LocalizedTextSchema,
  kind: z.enum(['single', 'multi']),
  required: z.boolean(),
  options: z.array(AnswerOptionSchema).min(1),
  /** Step after a multi-choice question, or after a skipped optional one. */
  next: NextStepSchema.optional(),
});
export type SituationQuestion = z.infer<typeof SituationQuestionSchema>;

/** 情形: the narrowed case a citizen is in, with its own materials and form. */
export const SituationSchema = z.object({
  id: IdSchema,
  name: LocalizedTextSchema,
  materialIds: z.array(IdSchema),
  formId: IdSchema.optional(),
  note: z.string().optional(),
  /** How citizens say this case in their own words ("外地身份证丢了"), for the ask box. */
  keywords: z.array(z.string()).optional(),
});
export type Situation = z.infer<typeof SituationSchema>;

export const DecisionTreeSchema = z.object({
  rootQuestionId: IdSchema,
  questions: z.array(SituationQuestionSchema).min(1),
  situations: z.array(SituationSchema).min(1),
});
export type DecisionTree = z.infer<typeof DecisionTreeSchema>;

/** 办事指南: everything a citizen must know before coming. */
export const GuideSchema = z.object({
  /** 承办机构: the office that handles it, as printed in the guide (the department owns the service). */
  handlingAuthority: z.string().optional(),
  /** 咨询电话: the office's public enquiry line. */
  enquiryPhone: z.string().optional(),
  conditions: z.array(z.string()).min(1),
  legalBasis: z.array(z.string()).min(1),
  /** 法定时限 and 承诺时限 in working days; 0 means settled on the spot (即办). */
  statutoryDays: z.number().int().min(0),
  promisedDays: z.number().int().min(0),
  fees: z.object({ free: z.boolean(), description: z.string() }),
  place: z.string().min(1),
  processSteps: z.array(z.string()).default([]),
  /** 办理对象: natural persons, legal persons or both. */
  applicants: z.enum(['person', 'organisation', 'both']),
  onlineAvailable: z.boolean().default(false),
});
export type Guide = z.infer<typeof GuideSchema>;

export const ServiceSchema = z.object({
  id: IdSchema,
  /** 事项编码 as published in the provincial catalogue. */
  code: z.string().min(1),
  name: LocalizedTextSchema,
  departmentId: IdSchema,
  /** 主题: life-event grouping used for browsing (户籍, 出入境, 机动车 …). */
  theme: z.string().min(1),
  guide: GuideSchema,
  materials: z.array(MaterialSchema).min(1),
  decisionTree: DecisionTreeSchema.optional(),
  /** Form for services without a tree, or the default when a situation names none. */
  formId: IdSchema.optional(),
  queueId: IdSchema,
  /**
   * 容缺受理: the counter may accept with named required materials still pending; the case
   * cannot complete until they arrive.
   */
  acceptWithPendingMaterials: z.boolean().optional(),
  /** Tickets per day for this service; absent means no cap. */
  dailyCap: z.number().int().positive().optional(),
  /** Search aids: pinyin initials and synonyms, e.g. "hjzm", "开户口证明". */
  keywords: z.array(z.string()).default([]),
  /** 标签: free labels a hall manager filters the catalogue by (高频, 一件事 …); optional so older rows read unchanged. */
  tags: z.array(z.string().min(1).max(32)).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;
