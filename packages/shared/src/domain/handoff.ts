import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * 物料流转 (issue 17): the paper of a case travels from desk to desk with a slip, and each
 * receiving desk signs it in by scanning the slip's code. The hand-off rides on the case (each
 * case of a package carries the package's id, number and token), so it syncs, replicates and
 * is decided exactly like the case's own steps, offline included.
 *
 * Desks in the order the paper goes: acceptance (the counter that took it) → review → approval
 * → production (证照制作) → delivery (the delivery counter) → out of the hall's hands to the
 * citizen, a locker or the post.
 */
export const HANDOFF_STEPS = ['acceptance', 'review', 'approval', 'production', 'delivery', 'citizen', 'locker', 'post'] as const;
export const HandoffStepSchema = z.enum(HANDOFF_STEPS);
export type HandoffStep = z.infer<typeof HandoffStepSchema>;

/** Steps where the paper has left the hall: nothing signs after them. */
export const FINAL_HANDOFF_STEPS: readonly HandoffStep[] = ['citizen', 'locker', 'post'];

/** One paper on the slip: a material of the case's checklist, or one the clerk added. */
export const HandoffItemSchema = z.object({
  /** The material's id, or `extra-<n>` for a paper the clerk added by hand. */
  id: IdSchema,
  name: z.string().trim().min(1).max(80),
  copies: z.number().int().min(1).max(99).default(1),
});
export type HandoffItem = z.infer<typeof HandoffItemSchema>;

/** One sign-in (签收): who took the paper, where, and what was missing or extra. */
export const HandoffMoveSchema = z.object({
  at: TimestampSchema,
  from: HandoffStepSchema,
  to: HandoffStepSchema,
  /** The hall of the receiving desk (跨厅流转: another hall's desk for a department not in this hall). */
  hallId: IdSchema,
  staffId: IdSchema.optional(),
  counterId: IdSchema.optional(),
  /** Item ids of the slip the desk did not find. */
  missing: z.array(IdSchema).max(100).default([]),
  /** Papers the desk found that the slip does not list. */
  extra: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
  /**
   * `duplicate`: a second sign-in at the same step (two desks offline, or one desk twice). The
   * first in the hall's agreed order holds the paper; the second stays in the history, refused.
   */
  result: z.enum(['signed', 'duplicate']).default('signed'),
  note: z.string().max(200).optional(),
});
export type HandoffMove = z.infer<typeof HandoffMoveSchema>;

/** The hand-off a case's paper is in: one slip, alone or in a package (物料流转包) with other cases. */
export const CaseHandoffSchema = z.object({
  /** Shared by every case of the package; the slip's code names it. */
  id: IdSchema,
  /** 流转编号 printed on the slip. */
  number: z.string().min(1).max(60),
  /** The slip code's secret (random, base64url): a code whose token does not match is forged or void. */
  token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  items: z.array(HandoffItemSchema).min(1).max(100),
  /** Where the paper is now, and since when. */
  step: HandoffStepSchema,
  hallId: IdSchema,
  since: TimestampSchema,
  startedAt: TimestampSchema,
  startedByStaffId: IdSchema,
  counterId: IdSchema.optional(),
  /**
   * 跨厅流转: the hall whose desk takes the paper next, for a department not stationed in the
   * case's own hall. That hall's desks may sign this slip in; the case still lives in its own hall.
   */
  toHallId: IdSchema.optional(),
  /** Every sign-in, oldest first (a rebundled case keeps its history). */
  moves: z.array(HandoffMoveSchema).default([]),
});
export type CaseHandoff = z.infer<typeof CaseHandoffSchema>;
