import { z } from 'zod';
import { IdSchema } from '../domain/index';
import { CODE_REFUSAL_MESSAGES, type CodeRefusal } from '../residence-code/verify';

export const CodeRefusalSchema = z.enum(Object.keys(CODE_REFUSAL_MESSAGES) as [CodeRefusal, ...CodeRefusal[]]);

/**
 * What the counter made of a residence code read on its code scanner: checked against the
 * citizen of the ticket the window holds (confirmed / mismatch / the ticket named nobody),
 * refused with the verifier's reason, or not applied because no ticket is held.
 */
export const ResidenceCodeScanSchema = z.object({
  outcome: z.enum(['confirmed', 'mismatch', 'no_reference', 'refused', 'no_ticket']),
  reason: CodeRefusalSchema.optional(),
  ticketId: IdSchema.optional(),
  ticketNumber: z.string().optional(),
  /** Cases whose identity check now holds this result (undecided cases of the held ticket). */
  caseIds: z.array(IdSchema),
  /** Form fields filled from the fields sealed in the code, by case (ids only, never values). */
  filled: z.record(IdSchema, z.array(IdSchema)).optional(),
  at: z.string(),
});
export type ResidenceCodeScan = z.infer<typeof ResidenceCodeScanSchema>;
