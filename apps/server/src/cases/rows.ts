import { caseStage, DEFAULT_CASE_RULES, type Case, type Catalogue } from '@hall/shared';
import type { SyncDb } from '../sync/tables';

/** What a case row's stage columns are computed from: the hall's limits and calendar. */
export type StageCatalogue = Pick<Catalogue, 'hall' | 'calendar' | 'caseRules' | 'services'>;

/** A case as the API's cases table holds it: the filter columns, and the whole case in data_json. */
export function caseRow(c: Case, catalogue: StageCatalogue) {
  const stage = caseStage(c, catalogue.caseRules ?? DEFAULT_CASE_RULES, catalogue.hall, catalogue.calendar);
  const closedAt = ['refused', 'withdrawn', 'closed', 'returned'].includes(c.status) ? (c.timeline.at(-1)?.at ?? null) : null;
  return {
    id: c.id,
    hall_id: c.hallId,
    service_id: c.serviceId,
    ticket_id: c.ticketId ?? null,
    situation_id: c.situationId ?? null,
    answers_json: JSON.stringify(c.answers),
    form_id: c.formId ?? null,
    form_version: c.formVersion ?? null,
    citizen_masked_name: c.citizen?.maskedName ?? null,
    citizen_id_hash: c.citizen?.idHash ?? null,
    status: c.status,
    materials_json: JSON.stringify(c.materials),
    refusal_reason: c.refusalReason ?? null,
    refused_by_staff_id: c.refusedByStaffId ?? null,
    submitted_at: c.submittedAt,
    accepted_at: c.acceptedAt ?? null,
    accepted_by_staff_id: c.acceptedByStaffId ?? null,
    due_at: c.dueAt ?? null,
    completed_at: c.completedAt ?? null,
    delivery: c.delivery ?? null,
    number: c.number ?? null,
    // A case not yet accepted is already its service's department's (a clerk's question goes there).
    department_id: c.departmentId ?? catalogue.services.find((s) => s.id === c.serviceId)?.departmentId ?? null,
    assigned_staff_id: c.assignedStaffId ?? null,
    stage: stage.stage,
    stage_due_at: stage.dueAt ?? null,
    approved_at: c.approvedAt ?? null,
    delivered_at: c.deliveredAt ?? null,
    closed_at: closedAt,
    data_json: JSON.stringify(c),
    handoff_id: c.handoff?.id ?? null,
    handoff_number: c.handoff?.number ?? null,
    handoff_step: c.handoff?.step ?? null,
    handoff_since: c.handoff?.since ?? null,
    handoff_hall_id: c.handoff?.hallId ?? null,
  };
}

/** Writes cases (new or changed) with every lifecycle column; the case id is the key. */
export async function upsertCases(trx: SyncDb, cases: Iterable<Case>, catalogue: StageCatalogue): Promise<void> {
  for (const c of cases) {
    const row = caseRow(c, catalogue);
    const { id: _id, hall_id: _hall, service_id: _service, submitted_at: _submitted, ...changed } = row;
    await trx.insertInto('cases').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changed)).execute();
  }
}
