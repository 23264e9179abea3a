import { z } from 'zod';
import { DeliveryMethodSchema, HandoffStepSchema, IdSchema, LocalizedTextSchema } from '../domain/index';

/**
 * 办件进度查询 at the kiosk: one case as the citizen is shown it. Plain steps, dates and
 * where the result is, the masked name at most: nothing the receipt itself does not say.
 */
export const CaseProgressStepSchema = z.enum([
  /** Submitted at the kiosk, not yet accepted at a counter. */
  'submitted',
  /** 已受理，审批中. */
  'review',
  /** 审批通过, the result is being made. */
  'approved',
  /** 待补正: `missing` lists what to bring, `dueAt` by when. */
  'supplement',
  /** 已办结待领取: `where` says where. */
  'collect',
  /** 已领取 / 已邮寄 / 已送达 (`where`, post with courier and tracking number). */
  'delivered',
  'refused',
  'withdrawn',
  /** 已终止: the supplement deadline passed. */
  'closed',
  /** 已退回: the result was not collected in time. */
  'returned',
]);
export type CaseProgressStep = z.infer<typeof CaseProgressStepSchema>;

export const CaseProgressSchema = z.object({
  caseId: IdSchema,
  /** 办件编号 as on the receipt. */
  number: z.string().max(60).optional(),
  serviceId: IdSchema,
  /** Accepted at (submitted at, before acceptance): ISO instant. */
  since: z.string(),
  maskedName: z.string().max(40).optional(),
  step: CaseProgressStepSchema,
  /** The current step's time limit (ISO instant): promised completion, supplement deadline, collection by. */
  dueAt: z.string().optional(),
  /** Past the current step's limit. */
  overdue: z.boolean(),
  missing: z.array(z.string().max(200)).max(50).optional(),
  where: DeliveryMethodSchema.optional(),
  courier: z.string().max(40).optional(),
  trackingNumber: z.string().max(40).optional(),
  /** Why it was refused (不予受理 / 不予许可), as the citizen was told. */
  refusalReason: z.string().max(200).optional(),
  /** 物料流转: the desk the case's paper is at (issue 17), and since when (ISO instant). */
  papersAt: HandoffStepSchema.optional(),
  papersSince: z.string().optional(),
  /** 跨厅流转: the other hall the paper is in (absent while it is in the case's own hall). */
  papersHall: LocalizedTextSchema.optional(),
});
export type CaseProgress = z.infer<typeof CaseProgressSchema>;

/** By the receipt's QR (one case) or by the identified citizen (all of theirs in the hall, newest first). */
export const CaseProgressQuerySchema = z.union([
  z.object({ receipt: z.string().min(1).max(200) }).strict(),
  z.object({ citizenHandle: z.string().max(64) }).strict(),
]);

export const CaseProgressResultSchema = z.object({ cases: z.array(CaseProgressSchema).max(50) });
export type CaseProgressResult = z.infer<typeof CaseProgressResultSchema>;

/**
 * A receipt the kiosk refuses (as a LocalRejection with this code): `receipt_unreadable`, not a
 * receipt QR; `receipt_not_found`, no case of this hall opens with it (forged, another hall's).
 */
export const CASE_PROGRESS_PROBLEMS = ['receipt_unreadable', 'receipt_not_found'] as const;
export type CaseProgressProblem = (typeof CASE_PROGRESS_PROBLEMS)[number];

export function isCaseProgressProblem(code: string | undefined): code is CaseProgressProblem {
  return (CASE_PROGRESS_PROBLEMS as readonly (string | undefined)[]).includes(code);
}
