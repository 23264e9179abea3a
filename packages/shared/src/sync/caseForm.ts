import { z } from 'zod';
import { CaseSchema, IdSchema, TimestampSchema } from '../domain/index';
import { FormValuesSchema } from './mutation';

/**
 * 回显: the form a citizen filled at the kiosk, as the central API keeps it (sync_case_forms).
 * Only a counter device of the case's own hall may read it; values are personal data, so
 * they travel only on this authenticated call and are never logged.
 */
export const CaseFormSchema = z.object({
  caseId: IdSchema,
  ticketId: IdSchema.optional(),
  serviceId: IdSchema,
  situationId: IdSchema.optional(),
  formId: IdSchema.optional(),
  formVersion: z.number().int().positive().optional(),
  answers: CaseSchema.shape.answers,
  values: FormValuesSchema,
  submittedAt: TimestampSchema,
});
export type CaseForm = z.infer<typeof CaseFormSchema>;

/** Ask by case, or by ticket for every case of the ticket that has a stored form. */
export const CaseFormQuerySchema = z.union([
  z.object({ caseId: IdSchema }).strict(),
  z.object({ ticketId: IdSchema }).strict(),
]);
export type CaseFormQuery = z.infer<typeof CaseFormQuerySchema>;

export const CaseFormsResponseSchema = z.object({ forms: z.array(CaseFormSchema) });
export type CaseFormsResponse = z.infer<typeof CaseFormsResponseSchema>;
