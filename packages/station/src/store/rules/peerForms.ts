import { SubmitFormPayloadSchema, type CaseForm } from '@hall/shared';

/** The forms in hall peers' submitForm payloads, skipping any whose values were scrubbed already. */
export function caseFormsOf(payloads: readonly unknown[]): CaseForm[] {
  const forms: CaseForm[] = [];
  for (const payload of payloads) {
    const parsed = SubmitFormPayloadSchema.safeParse(payload);
    if (!parsed.success || Object.keys(parsed.data.values).length === 0) continue;
    const { caseId, ticketId, serviceId, situationId, formId, formVersion, answers, values, at } = parsed.data;
    forms.push({
      caseId,
      serviceId,
      answers,
      values,
      submittedAt: at,
      ...(ticketId === undefined ? {} : { ticketId }),
      ...(situationId === undefined ? {} : { situationId }),
      ...(formId === undefined ? {} : { formId }),
      ...(formVersion === undefined ? {} : { formVersion }),
    });
  }
  return forms;
}
