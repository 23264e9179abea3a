import { StationCallError, type A4PrintOutcome, type FormSchema, type MethodParsedParams, type MethodResult } from '@hall/shared';
import type { A4Document } from '@hall/devices';
import { applicationFormDocument } from './applicationForm';
import { autofillValue, maskedDisplay } from './autofill';
import { progressByReceipt, progressOfCitizen } from './rules/caseProgress';
import type { KioskContext } from './context';
import { kioskDecision, refuseUndecided } from './rules/decisions';
import type { KioskIdentification } from './identification';
import type { KioskPrinting } from './printing';

/**
 * Forms and cases (办件) at the kiosk: the form prefilled from the identified citizen, the
 * case submitted offline like any mutation, its application form printed on A4, and the
 * progress of the citizen's cases (办件进度查询) from the cases this station holds.
 */
export class KioskCases {
  /** Values of `history` fields by citizen hash: earlier submissions on this station, memory only. */
  private readonly history = new Map<string, Record<string, string>>();
  /** Filled forms of the current session by case id, for 打印申请表; cleared when the kiosk returns home. */
  private readonly printableForms = new Map<string, A4Document>();

  constructor(
    private readonly context: KioskContext,
    private readonly identification: KioskIdentification,
    private readonly printing: KioskPrinting,
  ) {}

  private form(formId: string): FormSchema {
    const form = this.context.catalogue()?.forms.find((f) => f.id === formId);
    if (!form) throw new StationCallError({ code: 'bad_request', message: `unknown form ${formId}` });
    return form;
  }

  prefill(params: MethodParsedParams<'kiosk.prefill'>): MethodResult<'kiosk.prefill'> {
    const entry = this.identification.citizen(params.citizenHandle);
    if (!entry) return [];
    const history = this.history.get(entry.ref.idHash);
    const out: MethodResult<'kiosk.prefill'> = [];
    for (const field of this.form(params.formId).sections.flatMap((s) => s.fields)) {
      const found = autofillValue(entry.record, field, history);
      if (found) out.push({ fieldId: field.id, display: maskedDisplay(field, found.value), source: found.source });
    }
    return out;
  }

  submit(params: MethodParsedParams<'kiosk.submit'>): MethodResult<'kiosk.submit'> {
    const entry = this.identification.citizen(params.citizenHandle);
    const form = this.form(params.formId);
    const values: Record<string, string | number | string[]> = { ...params.values };
    const fields = form.sections.flatMap((s) => s.fields);
    if (entry) {
      const history = this.history.get(entry.ref.idHash);
      for (const fieldId of params.autofilled) {
        const field = fields.find((f) => f.id === fieldId);
        const found = field ? autofillValue(entry.record, field, history) : undefined;
        if (found) values[fieldId] = found.value;
      }
    }
    for (const field of fields) {
      const value = values[field.id];
      if (field.required && (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))) {
        throw new StationCallError({ code: 'bad_request', message: `field ${field.id} is required` });
      }
    }
    const caseId = this.context.core.submitForm({
      serviceId: params.serviceId,
      ...(params.ticketId ? { ticketId: params.ticketId } : {}),
      ...(params.situationId ? { situationId: params.situationId } : {}),
      answers: params.answers,
      formId: params.formId,
      formVersion: params.formVersion,
      ...(entry ? { citizen: entry.ref } : {}),
      values,
    }).id;
    if (entry) {
      const remembered: Record<string, string> = { ...this.history.get(entry.ref.idHash) };
      for (const field of fields) {
        const value = values[field.id];
        if (field.autofill.includes('history') && typeof value === 'string') remembered[field.id] = value;
      }
      this.history.set(entry.ref.idHash, remembered);
    }
    // Kept (in memory, for this session only) so the citizen can print the form, and print again after a fault.
    const catalogue = this.context.catalogue();
    if (catalogue) {
      this.printableForms.set(
        caseId,
        applicationFormDocument({
          catalogue,
          serviceId: params.serviceId,
          situationId: params.situationId,
          form,
          values,
          caseId,
          now: this.context.now(),
        }),
      );
    }
    return { caseId, pendingSync: !this.context.online() };
  }

  /** case.submit at a kiosk: the case's citizen is the one identified here, never one the screen names. */
  submitFromScreen(params: MethodParsedParams<'case.submit'>): MethodResult<'case.submit'> {
    const { citizenHandle, citizen: sent, ...draft } = params;
    const decided = kioskDecision(this.identification.citizen(citizenHandle), this.context.priorityGroups());
    refuseUndecided({ citizen: sent }, decided);
    return this.context.core.submitForm({ ...draft, ...(decided.citizen ? { citizen: decided.citizen } : {}) });
  }

  /** 打印申请表: the form of a case submitted in this session, on the A4 printer. */
  async printForm(caseId: string): Promise<A4PrintOutcome> {
    const document = this.printableForms.get(caseId);
    if (!document) throw new StationCallError({ code: 'bad_request', message: 'no form of this session to print for that case' });
    return this.printing.printForm(document, caseId);
  }

  /** The session is over: its forms (personal data) go with it. */
  forgetSessionForms(): void {
    this.printableForms.clear();
  }

  /** 办件进度查询: from the hall's cases this station holds (pulled and replicated), so it answers offline. */
  caseProgress(params: MethodParsedParams<'kiosk.caseProgress'>): MethodResult<'kiosk.caseProgress'> {
    const catalogue = this.context.requireCatalogue();
    const cases = this.context.core.store.live.cases;
    if ('receipt' in params) return progressByReceipt(cases, params.receipt, catalogue, this.context.now());
    const entry = this.identification.citizen(params.citizenHandle);
    return entry ? progressOfCitizen(cases, entry.ref.idHash, catalogue, this.context.now()) : { cases: [] };
  }
}
