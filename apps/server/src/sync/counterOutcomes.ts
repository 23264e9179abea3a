import {
  CASE_MUTATION_TYPES,
  clerkMayServe,
  ReadStaffAnnouncementPayloadSchema,
  RecordEvaluationPayloadSchema,
  type ReadStaffAnnouncementPayload,
  type Case,
  type Catalogue,
  type Change,
  type Mutation,
} from '@hall/shared';
import type { SyncDb } from './tables';
import type { DataKeyring } from '../secrets/keyring';
import { openFormValues, sealFormValues } from './formValues';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { notifyCaseStep } from '../cases/notify';
import { upsertCases } from '../cases/rows';
import { CounterActivityBook } from '../stats/counters/activity';
import { enqueueRatings } from '../ratings/outbox';
import { recordAnnouncementReads } from '../staffAnnouncements/store';

type Rejection = { ok: false; code: string; reason: string };

const CASE_TYPES: ReadonlySet<string> = new Set(CASE_MUTATION_TYPES);

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
  /** Lifecycle steps made at a counter whose citizen or officers hear of them (notify.ts). */
  private readonly steps: { type: string; kase: Case }[] = [];
  /** Opens, pauses, resumes and closes, for the pause and hours statistics (issue 20). */
  private readonly activity: CounterActivityBook;

  constructor(
    private readonly hallId: string,
    private readonly keyring: DataKeyring,
    private readonly catalogue: Catalogue,
  ) {
    this.activity = new CounterActivityBook(hallId, catalogue.hall.timeZone);
  }

  /** 已阅 receipts of staff announcements in this batch (staffAnnouncements/store.ts). */
  private readonly reads: ReadStaffAnnouncementPayload[] = [];

  get announcementReads(): number {
    return this.reads.length;
  }

  /** Called for an applied mutation with the changes the executor decided. */
  record(m: Mutation, changes: readonly Change[]): void {
    this.activity.record(m);
    if (m.type === 'readStaffAnnouncement') this.reads.push(ReadStaffAnnouncementPayloadSchema.parse(m.payload));
    if (!CASE_TYPES.has(m.type)) return;
    for (const change of changes) {
      if (change.entity !== 'case') continue;
      this.cases.set(change.id, change.data);
      this.steps.push({ type: m.type, kase: change.data });
    }
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
    await this.activity.flush(trx as unknown as Kysely<Database>);
    await recordAnnouncementReads(trx as unknown as Kysely<Database>, this.hallId, this.reads);
    await upsertCases(trx, this.cases.values(), this.catalogue);
    for (const step of this.steps) await notifyCaseStep({ dataKeys: this.keyring }, trx as unknown as Kysely<Database>, this.catalogue, step.kase, step.type, new Date(step.kase.timeline.at(-1)?.at ?? Date.now()));
    if (this.evaluations.length > 0) {
      await trx.insertInto('evaluations').values(this.evaluations).onConflict((oc) => oc.column('id').doNothing()).execute();
      // Each rating goes on to the city's 好差评 platform, queued in this same transaction.
      await enqueueRatings(trx as unknown as Kysely<Database>, this.evaluations);
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
