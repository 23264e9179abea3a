import type { Case, CaseRules, Hall, Service } from '../domain/index';
import { decideHandoff, isHandoffType, type HandoffIntent } from './handoff';
import { decideLifecycle, isLifecycleType, type LifecycleIntent } from './caseLifecycle';
import { caseMaterials, missingRequired, promisedDueAt, type HallCalendarDays } from './caseRules';
import type { AcceptCasePayload, CaseIntent, RefuseCasePayload } from './mutation';
import type { HallState } from './state';

/** What deciding a counter outcome needs beyond the queue setup: the services and the hall's calendar. */
export interface CaseCatalogue {
  hall: Pick<Hall, 'timeZone' | 'openingHours'>;
  services: readonly Service[];
  /** Holidays and 调休 days (CatalogueSchema.calendar); without it only opening weekdays count. */
  calendar?: HallCalendarDays | undefined;
  /** The hall's case time limits (CatalogueSchema.caseRules); defaults without them. */
  caseRules?: CaseRules | undefined;
}

type Rejection = { ok: false; code: string; reason: string };
type CaseVerdict = { ok: true; changes: ({ entity: 'case'; id: string; data: Case } | { entity: 'ticket'; id: string; data: HallState['queue']['tickets'][string] })[] } | Rejection;

const reject = (code: string, reason: string): Rejection => ({ ok: false, code, reason });

/** A case as first submitted (kiosk form, or a counter deciding a case nobody submitted). */
export function newCase(
  p: Pick<Case, 'serviceId' | 'ticketId' | 'situationId' | 'formId' | 'formVersion' | 'citizen'> & { caseId: string; at: string; answers?: Case['answers'] },
  hallId: string,
): Case {
  return {
    id: p.caseId,
    hallId,
    serviceId: p.serviceId,
    answers: p.answers ?? {},
    status: 'submitted',
    materials: [],
    submittedAt: p.at,
    pendingMaterialIds: [],
    supplements: [],
    specialProcedures: [],
    timeline: [{ at: p.at, kind: 'submitted' }],
    ...(p.ticketId === undefined ? {} : { ticketId: p.ticketId }),
    ...(p.situationId === undefined ? {} : { situationId: p.situationId }),
    ...(p.formId === undefined ? {} : { formId: p.formId }),
    ...(p.formVersion === undefined ? {} : { formVersion: p.formVersion }),
    ...(p.citizen === undefined ? {} : { citizen: p.citizen }),
  };
}

/**
 * The case a decision is about: the existing one, still undecided and matching what the
 * counter says it is, or a new one for the ticket when the id is unknown and the payload
 * names the service.
 */
function openCase(state: HallState, p: (AcceptCasePayload & { type: 'accept' }) | (RefuseCasePayload & { type: 'refuse' }), catalogue: CaseCatalogue, hallId: string): { ok: true; kase: Case; service: Service } | Rejection {
  const existing = state.cases[p.caseId];
  if (existing) {
    if (existing.status !== 'submitted') return reject('case_decided', `case ${p.caseId} is already ${existing.status}`);
    if (existing.consult?.status === 'pending') return reject('consult_pending', `case ${p.caseId} waits for the department's answer to the clerk's question`);
    if (existing.consult?.status === 'refused' && p.type === 'accept') return reject('consult_refused', `the department advised against accepting case ${p.caseId}`);
    if (p.serviceId !== undefined && p.serviceId !== existing.serviceId) return reject('case_mismatch', `case ${p.caseId} is for service ${existing.serviceId}, not ${p.serviceId}`);
    if (p.ticketId !== undefined && p.ticketId !== existing.ticketId) return reject('case_mismatch', `case ${p.caseId} belongs to another ticket`);
    const service = catalogue.services.find((s) => s.id === existing.serviceId);
    if (!service) return reject('unknown_service', `service ${existing.serviceId} does not exist`);
    return { ok: true, kase: existing, service };
  }
  if (p.serviceId === undefined) return reject('unknown_case', `case ${p.caseId} does not exist and the decision names no service to open it for`);
  const service = catalogue.services.find((s) => s.id === p.serviceId);
  if (!service) return reject('unknown_service', `service ${p.serviceId} does not exist`);
  if (p.ticketId !== undefined && state.queue.tickets[p.ticketId] === undefined) return reject('unknown_ticket', `ticket ${p.ticketId} does not exist`);
  const kase = newCase({ ...p, serviceId: service.id }, hallId);
  return { ok: true, kase, service };
}

function accept(state: HallState, p: AcceptCasePayload, catalogue: CaseCatalogue, hallId: string): CaseVerdict {
  const opened = openCase(state, { ...p, type: 'accept' }, catalogue, hallId);
  if (!opened.ok) return opened;
  const { kase, service } = opened;
  const materials = caseMaterials(service, kase);
  const pages = new Map(p.received.map((r) => [r.materialId, r.pageCount]));
  const unknown = [...pages.keys()].filter((id) => !materials.some((m) => m.id === id));
  if (unknown.length > 0) return reject('unknown_material', `not on this case's list: ${unknown.join(', ')}`);
  // The hall's rule (issue 6): a case is accepted only with every required material received,
  // unless the service allows 容缺受理 and the clerk named the missing ones as pending.
  const pending = new Set(p.pendingMaterialIds ?? []);
  if (pending.size > 0 && !service.acceptWithPendingMaterials) return reject('pending_not_allowed', `service ${service.id} does not accept cases with materials pending (容缺受理)`);
  const missing = missingRequired(materials, new Set(pages.keys()));
  const unexcused = missing.filter((m) => !pending.has(m.id));
  if (unexcused.length > 0) return reject('materials_missing', `required materials not received: ${unexcused.map((m) => m.id).join(', ')}`);
  const notOwed = [...pending].filter((id) => !missing.some((m) => m.id === id));
  if (notOwed.length > 0) return reject('unknown_material', `pending materials must be required ones not received: ${notOwed.join(', ')}`);
  const data: Case = {
    ...kase,
    status: 'accepted',
    departmentId: service.departmentId,
    pendingMaterialIds: [...pending],
    ...(p.caseNumber === undefined ? {} : { number: p.caseNumber }),
    ...(p.receiptToken === undefined ? {} : { receiptToken: p.receiptToken }),
    timeline: [...kase.timeline, { at: p.at, kind: 'accepted', staffId: p.staffId, counterId: p.counterId, ...(pending.size > 0 ? { note: `容缺受理，待补：${[...pending].join('、')}` } : {}) }],
    materials: materials.map((m) => ({ materialId: m.id, received: pages.has(m.id), pageCount: pages.get(m.id) ?? 0 })),
    acceptedAt: p.at,
    acceptedByStaffId: p.staffId,
    dueAt: promisedDueAt(p.at, service.guide.promisedDays, catalogue.hall, catalogue.calendar),
    ...(p.delivery === undefined ? {} : { delivery: p.delivery }),
  };
  return { ok: true, changes: [{ entity: 'case', id: data.id, data }] };
}

function refuse(state: HallState, p: RefuseCasePayload, catalogue: CaseCatalogue, hallId: string): CaseVerdict {
  const opened = openCase(state, { ...p, type: 'refuse' }, catalogue, hallId);
  if (!opened.ok) return opened;
  const { kase, service } = opened;
  const materials = caseMaterials(service, kase);
  const missing = new Set(p.missingMaterialIds);
  const unknown = [...missing].filter((id) => !materials.some((m) => m.id === id));
  if (unknown.length > 0) return reject('unknown_material', `not on this case's list: ${unknown.join(', ')}`);
  const data: Case = {
    ...kase,
    status: 'refused',
    refusalReason: p.reason,
    refusedByStaffId: p.staffId,
    materials: materials.map((m) => ({ materialId: m.id, received: !missing.has(m.id), pageCount: 0 })),
    timeline: [...kase.timeline, { at: p.at, kind: 'refused', staffId: p.staffId, counterId: p.counterId, note: p.reason }],
  };
  return { ok: true, changes: [{ entity: 'case', id: data.id, data }] };
}

/** Decides a case outcome or lifecycle step (accept, refuse, delivery, rating, approval …) on the hall state without modifying it. */
export function decideCaseIntent(state: HallState, intent: CaseIntent, catalogue: CaseCatalogue | undefined, hallId: string): CaseVerdict {
  if (!catalogue) return reject('no_catalogue', 'deciding a case needs the hall catalogue');
  if (isHandoffType(intent.type)) {
    const verdict = decideHandoff(state, intent as HandoffIntent, hallId);
    return verdict.ok ? { ok: true, changes: verdict.cases.map((data) => ({ entity: 'case' as const, id: data.id, data })) } : verdict;
  }
  if (isLifecycleType(intent.type)) {
    const step = intent as LifecycleIntent;
    const verdict = decideLifecycle(state.cases[step.payload.caseId], step, catalogue);
    return verdict.ok ? { ok: true, changes: [{ entity: 'case', id: verdict.kase.id, data: verdict.kase }] } : verdict;
  }
  switch (intent.type) {
    case 'acceptCase':
      return accept(state, intent.payload, catalogue, hallId);
    case 'refuseCase':
      return refuse(state, intent.payload, catalogue, hallId);
    case 'chooseDelivery': {
      const p = intent.payload;
      const kase = state.cases[p.caseId];
      if (!kase) return reject('unknown_case', `case ${p.caseId} does not exist`);
      if (!['accepted', 'supplement_requested', 'approved', 'completed'].includes(kase.status)) {
        return reject('case_not_accepted', `delivery is chosen for an accepted case; case ${p.caseId} is ${kase.status}`);
      }
      if (kase.delivery === p.delivery) return { ok: true, changes: [] };
      // A change of an already chosen way is a registered change (受理变更登记): who, when, why.
      const timeline = kase.delivery === undefined ? kase.timeline : [...kase.timeline, { at: p.at, kind: 'changed' as const, staffId: p.staffId, ...(p.counterId === undefined ? {} : { counterId: p.counterId }), note: `送达方式 ${kase.delivery} → ${p.delivery}${p.reason ? `：${p.reason}` : ''}` }];
      return { ok: true, changes: [{ entity: 'case', id: kase.id, data: { ...kase, delivery: p.delivery, timeline } }] };
    }
    case 'recordEvaluation': {
      const p = intent.payload;
      const ticket = state.queue.tickets[p.ticketId];
      if (!ticket) return reject('unknown_ticket', `ticket ${p.ticketId} does not exist`);
      if (ticket.evaluatedAt !== undefined) return reject('duplicate_evaluation', `ticket ${ticket.number} was already rated at ${ticket.evaluatedAt}`);
      if (ticket.status !== 'finished') return reject('ticket_not_finished', `ticket ${ticket.number} is ${ticket.status}; a rating follows a finished service`);
      if (p.caseId !== undefined && state.cases[p.caseId]?.ticketId !== ticket.id) return reject('unknown_case', `case ${p.caseId} is not a case of ticket ${ticket.number}`);
      return { ok: true, changes: [{ entity: 'ticket', id: ticket.id, data: { ...ticket, evaluatedAt: p.at } }] };
    }
  }
}
