import {
  maskIdNumber,
  maskName,
  matterCitizen,
  normaliseIdNumber,
  parseIdNumber,
  type Case,
  type Catalogue,
  type CaseWork,
  type ChecklistItem,
  type IdentityCheck,
  type ResidenceFields,
} from '@hall/shared';
import { LocalRejection } from '../../store/store';
import type { CounterIdentities } from './identity';
import type { CounterContext } from './context';
import { answerLabels, caseMaterials, situationName } from './rules/materials';
import type { CounterRoleOptions } from './options';
import type { CounterSignIn } from './signIn';
import type { CaseWorkData } from './rules/workData';

/** Personal fields leave the station only masked: the screen faces the counter, not only the clerk. */
export function maskedValues(catalogue: Catalogue, formId: string | undefined, values: CaseWorkData['values']): CaseWorkData['values'] {
  const form = catalogue.forms.find((f) => f.id === formId);
  const fields = new Map(form?.sections.flatMap((s) => s.fields).map((f) => [f.id, f]) ?? []);
  const out: CaseWorkData['values'] = {};
  for (const [key, value] of Object.entries(values)) {
    const field = fields.get(key);
    if (field?.personal && typeof value === 'string') {
      out[key] = field.kind === 'id_number' ? maskIdNumber(value) : field.kind === 'phone' ? value.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2') : maskName(value);
    } else out[key] = value;
  }
  return out;
}

/**
 * The cases of the ticket being served, before the decision: opening one per matter, the
 * form's values, the materials checklist, the identity check, and the view the screen shows.
 */
export class CounterCaseWork {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly identities: CounterIdentities,
    private readonly standing: CounterRoleOptions['standing'],
  ) {}

  /** Keeps the counter's working data of a case, stamped now. */
  save(kase: Case, work: CaseWorkData): void {
    this.context.repository.saveWork(kase, work, this.context.at());
  }

  /** A case the clerk may still change: signed in, and not decided here yet. */
  editable(caseId: string): { kase: Case; work: CaseWorkData } {
    this.signIn.require();
    const kase = this.context.kase(caseId);
    const work = this.context.repository.work(caseId);
    if (work.status) throw new LocalRejection('case_decided', `case is already ${work.status}`);
    return { kase, work };
  }

  view(caseId: string): CaseWork {
    const kase = this.context.kase(caseId);
    const service = this.context.service(kase.serviceId);
    const work = this.context.repository.work(caseId);
    const received = new Set(work.received);
    const pages = this.context.repository.pages(caseId);
    const checklist: ChecklistItem[] = caseMaterials(service, kase).map((m) => ({
      materialId: m.id,
      name: m.name,
      required: m.required,
      originals: m.originals,
      copies: m.copies,
      received: received.has(m.id),
      pages: pages
        .filter((p) => p.materialId === m.id)
        .map((p) => ({ id: p.id, position: p.position, width: p.width, height: p.height, source: p.source })),
    }));
    const situation = situationName(service, kase);
    return {
      caseId: kase.id,
      ...(kase.ticketId ? { ticketId: kase.ticketId } : {}),
      serviceId: service.id,
      serviceName: service.name.zh,
      ...(situation ? { situationName: situation } : {}),
      answers: answerLabels(service, kase.answers),
      status: work.status ?? kase.status,
      ...(kase.citizen ? { citizen: kase.citizen } : {}),
      ...(kase.formId ? { formId: kase.formId } : service.formId ? { formId: service.formId } : {}),
      values: maskedValues(this.context.catalogue(), kase.formId ?? service.formId, work.values),
      ...(work.fromResidenceCode?.length ? { fromResidenceCode: work.fromResidenceCode } : {}),
      checklist,
      ...(work.identity ? { identity: work.identity } : {}),
      ...(work.delivery ? { delivery: work.delivery } : {}),
      ...(work.depositCode ? { depositCode: work.depositCode } : {}),
      ...(work.depositCodeExpiresAt ? { depositCodeExpiresAt: work.depositCodeExpiresAt } : {}),
      ...(work.caseNumber ? { caseNumber: work.caseNumber } : {}),
      ...(work.refusalReason ? { refusalReason: work.refusalReason } : {}),
      ...(work.centralRejection ? { centralRejection: work.centralRejection } : {}),
      ...(kase.consult ? { consult: kase.consult } : {}),
      ...(service.acceptWithPendingMaterials ? { acceptWithPendingMaterials: true } : {}),
      ...(kase.pendingMaterialIds.length > 0 ? { pendingMaterialIds: kase.pendingMaterialIds } : {}),
    };
  }

  casesForTicket(ticketId: string): CaseWork[] {
    this.signIn.require();
    const ticket = this.context.ticket(ticketId);
    return Object.values(this.context.core.store.live.cases)
      .filter((c) => c.ticketId === ticket.id)
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
      .map((c) => this.view(c.id));
  }

  openCase(ticketId: string, serviceId: string): CaseWork {
    this.signIn.require();
    const ticket = this.context.ticket(ticketId);
    this.context.service(serviceId);
    const citizen = matterCitizen(ticket, serviceId);
    const kase = this.context.core.submitForm({
      serviceId,
      ticketId: ticket.id,
      answers: {},
      values: {},
      // 一号联办 for a family: the case belongs to the member the matter is for.
      ...(citizen ? { citizen } : {}),
    });
    return this.view(kase.id);
  }

  updateForm(caseId: string, values: Record<string, string | number | string[]>): CaseWork {
    const { kase, work } = this.editable(caseId);
    // A field the clerk typed over is the clerk's, no longer "read from the residence code".
    const fromResidenceCode = work.fromResidenceCode?.filter((id) => !(id in values));
    this.save(kase, { ...work, values: { ...work.values, ...values }, ...(fromResidenceCode ? { fromResidenceCode } : {}) });
    return this.view(caseId);
  }

  checkMaterial(caseId: string, materialId: string, received: boolean): CaseWork {
    const { kase, work } = this.editable(caseId);
    if (!caseMaterials(this.context.service(kase.serviceId), kase).some((m) => m.id === materialId)) {
      throw new LocalRejection('unknown_material', `material ${materialId} is not on this case's list`);
    }
    const set = new Set(work.received);
    if (received) set.add(materialId);
    else set.delete(materialId);
    this.save(kase, { ...work, received: [...set] });
    return this.view(caseId);
  }

  async checkIdentity(caseId: string, method: IdentityCheck['method'], typed?: { idNumber?: string; name?: string }): Promise<CaseWork> {
    const { kase, work } = this.editable(caseId);
    const read = method === 'id_card' ? await this.identities.readIdCard() : undefined;
    const idNumber = read?.idNumber ?? typed?.idNumber;
    const name = read ? read.name : typed?.name;
    if (!idNumber) throw new LocalRejection('bad_request', 'an ID number is needed');
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) throw new LocalRejection('invalid_id_number', 'the ID number is not valid (check digit or date)');
    const normalised = normaliseIdNumber(idNumber);
    const hash = this.identities.idHash(normalised);
    const ticketCitizen = kase.citizen ?? (kase.ticketId ? this.context.core.store.live.queue.tickets[kase.ticketId]?.citizen : undefined);
    const standing = await this.standing?.(hash).catch(() => undefined);
    const identity: IdentityCheck = {
      method,
      maskedName: name ? maskName(name) : '—',
      maskedIdNumber: maskIdNumber(normalised),
      matchesTicket: ticketCitizen ? ticketCitizen.idHash === hash : null,
      at: this.context.at(),
      ...(standing ? { standing } : {}),
    };
    // Only the masked forms and the verdict are stored; the raw values stay in memory for this visit.
    this.identities.remember(caseId, { idNumber: normalised, ...(name ? { name } : {}) });
    this.save(kase, { ...work, identity });
    return this.view(caseId);
  }

  /**
   * 码上受理: the citizen's fields opened from a verified residence code fill the case's form
   * where the form asks for them (its residenceCode.* autofill sources) and nothing is entered
   * yet: what the citizen typed at the kiosk or the clerk typed here is never overwritten.
   * Answers the field ids filled; the values stay in this station's working data until the
   * decision, as typed values do.
   */
  fillFromResidenceCode(caseId: string, fields: ResidenceFields): string[] {
    const kase = this.context.kase(caseId);
    const work = this.context.repository.work(caseId);
    if (work.status) return [];
    const catalogue = this.context.catalogue();
    const formId = kase.formId ?? catalogue.services.find((s) => s.id === kase.serviceId)?.formId;
    const form = catalogue.forms.find((f) => f.id === formId);
    const values = { ...work.values };
    const filled: string[] = [];
    for (const field of form?.sections.flatMap((s) => s.fields) ?? []) {
      const current = values[field.id];
      if (current !== undefined && current !== '') continue;
      const value = field.autofill
        .map((source) => (source.startsWith('residenceCode.') ? fields[source.slice('residenceCode.'.length) as keyof ResidenceFields] : undefined))
        .find((v) => v);
      if (value) {
        values[field.id] = value;
        filled.push(field.id);
      }
    }
    if (filled.length > 0) this.save(kase, { ...work, values, fromResidenceCode: [...new Set([...(work.fromResidenceCode ?? []), ...filled])] });
    return filled;
  }

  /** An identity check decided elsewhere (a residence code from the scanner): kept like any other, on an undecided case only. */
  recordIdentity(caseId: string, identity: IdentityCheck): boolean {
    const kase = this.context.kase(caseId);
    const work = this.context.repository.work(caseId);
    if (work.status) return false;
    this.save(kase, { ...work, identity });
    return true;
  }
}
