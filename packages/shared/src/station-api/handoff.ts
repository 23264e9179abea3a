import { z } from 'zod';
import { HandoffItemSchema, HandoffMoveSchema, HandoffStepSchema, IdSchema } from '../domain/index';
import { HandoffMarkSchema } from '../sync/handoff';

/** A slip as the counter shows it (物料流转, issue 17): applicants masked, papers and history per case. */
export const HandoffViewSchema = z.object({
  id: IdSchema,
  number: z.string(),
  /** The code printed as the slip's QR. */
  code: z.string(),
  cases: z.array(
    z.object({
      caseId: IdSchema,
      number: z.string(),
      serviceName: z.string(),
      applicant: z.string(),
      step: HandoffStepSchema,
      items: z.array(HandoffItemSchema),
      moves: z.array(HandoffMoveSchema),
    }),
  ),
});
export type HandoffView = z.infer<typeof HandoffViewSchema>;

export const HandoffStartParamsSchema = z
  .object({
    /** One case, or several bundled into a package; items absent: the papers the counter received. */
    cases: z.array(z.object({ caseId: IdSchema, items: z.array(HandoffItemSchema).max(100).optional() }).strict()).min(1).max(30),
    /** 跨厅流转: another hall of the city (the catalogue's cityHalls) whose desk takes the paper. */
    toHallId: IdSchema.optional(),
  })
  .strict();

export const HandoffScanParamsSchema = z
  .object({
    code: z.string().trim().min(1).max(300),
    step: z.enum(['delivery', 'citizen', 'post']).optional(),
    marks: z.array(HandoffMarkSchema).max(30).optional(),
  })
  .strict();

/** A slip looked up before its sign-in: the clerk checks the papers and marks what is missing or extra. */
export const HandoffPreviewParamsSchema = HandoffScanParamsSchema.pick({ code: true, step: true });

/**
 * A slip read on the counter's code scanner: shown for the check before 签收 (`check`, with the
 * scanned code to sign it with), or refused with the reason. `signed` is kept for older stations.
 */
export const HandoffScannedSchema = z.object({
  outcome: z.enum(['signed', 'refused', 'check']),
  handoff: HandoffViewSchema.optional(),
  /** The scanned slip code (outcome `check`). */
  slipCode: z.string().max(300).optional(),
  /** The refusal's code (outcome `refused`). */
  code: z.string().optional(),
  message: z.string().optional(),
  at: z.string(),
});
export type HandoffScanned = z.infer<typeof HandoffScannedSchema>;

/** An accepted case whose paper is still at this counter: a candidate for a slip or a package. */
export const HandoffCandidateSchema = z.object({
  caseId: IdSchema,
  number: z.string(),
  serviceName: z.string(),
  applicant: z.string(),
  acceptedAt: z.string(),
  /** The slip it is already on (a new package replaces it). */
  handoffNumber: z.string().optional(),
  items: z.array(HandoffItemSchema),
});
export type HandoffCandidate = z.infer<typeof HandoffCandidateSchema>;
