import {
  CASE_MUTATION_TYPES,
  clerkMayServe,
  RecordEvaluationPayloadSchema,
  type Case,
  type Catalogue,
  type Change,
  type Mutation,
} from '@hall/shared';
import type { SyncDb } from './tables';
import type { DataKeyring } from '../secrets/keyring';
import { openFormValues, sealFormValues } from './formValues';

type Rejection = { ok: false; code: string; reason: string };

const CASE_TYPES: ReadonlySet<string> = new Set(CASE_MUTATION_TYPES);

/** A case as the API's cases table holds it (the decision columns from the counter's outcome). */
export function caseRow(c: Case) {
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
  };
}

/** The hall's staff ids, loaded once per batch and only when a mutation names a clerk. */
export class StaffBook {
  private ids: Promise<ReadonlySet<string>> | undefined;
  constructor(
    private readonly trx: SyncDb,
    private readonly hallId: string,
  ) {}

  has(staffId: string): Promise<boolean> {
    this.ids ??= this.trx
      .selectFrom('staff')
      .select('id')
      .where('hall_id', '=', this.hallId)
      .execute()
      .then((rows) => new Set(rows.map((r) => r.id)));
    return this.ids.then((ids) => ids.has(staffId));
  }
}

/**
 * Server-only checks of a counter mutation the shared executor cannot make: the clerk is
 * staff of this hall, the counter is one of its windows and, when the console restricts the
 * clerk to some counters, one of those (queue commands and outcomes alike). Undefined when
 * nothing is wrong (the executor decides the rest); malformed payloads are left to the parser.
 */
export async function checkCounterOutcome(staff: StaffBook, catalogue: Catalogue, m: Mutation): Promise<Rejection | undefined> {
  const { staffId, counterId } = m.payload;
  if (typeof staffId === 'string' && !(await staff.has(staffId))) {
    return { ok: false, code: 'unknown_staff', reason: `staff ${staffId} is not staff of this hall` };
  }
  if (CASE_TYPES.has(m.type) && typeof counterId === 'string' && !catalogue.counters.some((c) => c.id === counterId)) {
    return { ok: false, code: 'unknown_counter', reason: `counter ${counterId} is not in this hall` };
  }
  if (typeof staffId === 'string' && typeof counterId === 'string' && !clerkMayServe(catalogue, staffId, counterId)) {
    const number = catalogue.counters.find((c) => c.id === counterId)?.number ?? counterId;
    return { ok: false, code: 'counter_not_assigned', reason: `staff ${staffId} is not assigned to counter ${number} (${counterId})` };
  }
  return undefined;
}

/** What a batch's counter outcomes write to the API's tables (cases, evaluations, final forms). */
export class CounterOutcomes {
  private readonly cases = new Map<string, Case>();
  private readonly evaluations: { id: string; hall_id: string; ticket_id: string; case_id: string | null; counter_id: string; staff_id: string; rating: string; defaulted: 0 | 1; comment: string | null; at: string }[] = [];
  private readonly forms = new Map<string, { mutationId: string; values: Record<string, unknown>; at: string }>();

  constructor(
    private readonly hallId: string,
    private readonly keyring: DataKeyring,
  ) {}

  /** Called for an applied mutation with the changes the executor decided. */
  record(m: Mutation, changes: readonly Change[]): void {
    if (!CASE_TYPES.has(m.type)) return;
    for (const change of changes) if (change.entity === 'case') this.cases.set(change.id, change.data);
    if (m.type === 'acceptCase') {
      const values = m.payload.values;
      const kase = changes.find((c) => c.entity === 'case');
      if (kase && typeof values === 'object' && values !== null && Object.keys(values).length > 0) {
        this.forms.set(kase.id, { mutationId: m.id, values: values as Record<string, unknown>, at: String(m.payload.at) });
      }
    }
    if (m.type === 'recordEvaluation') {
      const p = RecordEvaluationPayloadSchema.parse(m.payload);
      this.evaluations.push({
        id: p.evaluationId,
        hall_id: this.hallId,
        ticket_id: p.ticketId,
        case_id: p.caseId ?? null,
        counter_id: p.counterId,
        staff_id: p.staffId,
        rating: p.rating,
        defaulted: p.defaulted ? 1 : 0,
        comment: p.comment ?? null,
        at: p.at,
      });
    }
  }

  /** Runs inside the push transaction, after the batch's own rows (a case submitted and accepted in one batch). */
  async flush(trx: SyncDb): Promise<void> {
    for (const c of this.cases.values()) {
      const row = caseRow(c);
      await trx
        .insertInto('cases')
        .values(row)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            status: row.status,
            materials_json: row.materials_json,
            refusal_reason: row.refusal_reason,
            refused_by_staff_id: row.refused_by_staff_id,
            accepted_at: row.accepted_at,
            accepted_by_staff_id: row.accepted_by_staff_id,
            due_at: row.due_at,
            delivery: row.delivery,
          }),
        )
        .execute();
    }
    if (this.evaluations.length > 0) {
      await trx.insertInto('evaluations').values(this.evaluations).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    if (this.forms.size > 0) {
      // The counter's final form: the kiosk's values with the clerk's edits on top.
      const stored = await trx.selectFrom('sync_case_forms').select(['case_id', 'values_json']).where('case_id', 'in', [...this.forms.keys()]).execute();
      const before = new Map(stored.map((r) => [r.case_id, openFormValues(this.keyring, r.case_id, r.values_json) as Record<string, unknown>]));
      for (const [caseId, form] of this.forms) {
        const values_json = sealFormValues(this.keyring, caseId, { ...before.get(caseId), ...form.values });
        await trx
          .insertInto('sync_case_forms')
          .values({ case_id: caseId, hall_id: this.hallId, mutation_id: form.mutationId, values_json, submitted_at: form.at })
          .onConflict((oc) => oc.column('case_id').doUpdateSet({ values_json, mutation_id: form.mutationId }))
          .execute();
      }
    }
  }
}
