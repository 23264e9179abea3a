import type { Kysely } from 'kysely';
import { applyChange, executeContext, executeIntent, FINAL_HANDOFF_STEPS, parseIntent, type Case, type HallState } from '@hall/shared';
import type { Database } from '../db/schema';
import type { ServerContext } from '../context';
import { ApiError } from '../http/errors';
import { lockerDb } from '../lockers/tables';
import { recordAudit, type AuditActor } from '../store/audit';
import { loadCatalogue } from '../sync/catalogue';
import { setHallHead, withHallLock } from '../sync/hallLock';
import { hallStateAt, hallStateCommitted, hallStateDiscard } from '../sync/state';
import type { SyncDb } from '../sync/tables';
import { notifyCaseStep } from './notify';
import { upsertCases } from './rows';
import { caseOfRow } from './store';

export type CentralStep = { ok: true; kase: Case } | { ok: false; code: string; reason: string };

/**
 * Decides a step the central API makes (the back office, a hall manager, the system) with
 * the same executor stations use, on the hall's authoritative state, under the hall lock.
 * The new case goes to the hall's log like a pushed mutation's rows (with no origin device),
 * so every station of the hall pulls it; the audit entry and the citizen's SMS are written
 * in the same transaction.
 */
export async function applyCentralStep(ctx: ServerContext, hallId: string, type: string, payload: Record<string, unknown>, actor: AuditActor): Promise<CentralStep> {
  const parsed = parseIntent(type, payload);
  if (!parsed.ok) throw new ApiError(400, 'invalid_request', parsed.error);
  const intent = parsed.intent;
  const catalogue = await loadCatalogue(ctx.db, hallId);
  const now = ctx.clock();
  let committed: { state: HallState; head: number } | undefined;
  try {
    const outcome = await withHallLock(ctx, hallId, async (trx, hall) => {
      const state = await hallStateAt(ctx, trx, hallId, hall.head);
      const before = state.cases[String(payload.caseId)];
      const verdict = executeIntent(state, intent, executeContext(catalogue));
      if (!verdict.ok) {
        committed = { state, head: hall.head };
        return verdict;
      }
      let head = hall.head;
      // Most steps change one case; a hand-off sign-in changes every case of its package.
      const changed: Case[] = [];
      for (const change of verdict.changes) {
        if (change.entity !== 'case') continue;
        head += 1;
        await appendChange(trx, hallId, head, change.data, now.toISOString());
        applyChange(state, change);
        changed.push(change.data);
      }
      const kase = changed.at(-1);
      if (!kase) return { ok: false as const, code: 'nothing_changed', reason: 'the step changed nothing' };
      await upsertCases(trx, changed, catalogue);
      await setHallHead(trx, hallId, head);
      const db = trx as unknown as Kysely<Database>;
      await recordAudit(db, { actor, action: type, entity: 'case', entityId: kase.id, hallId, detail: { from: before?.status ?? null, to: kase.status } }, now);
      await notifyCaseStep(ctx, db, catalogue, kase, type, now);
      committed = { state, head };
      return { ok: true as const, kase };
    });
    if (committed) hallStateCommitted(ctx, hallId, committed.state, committed.head);
    if (outcome.ok) ctx.hub.poke(hallId, 'sync', now);
    return outcome;
  } catch (error) {
    hallStateDiscard(ctx, hallId);
    throw error;
  }
}

async function appendChange(trx: SyncDb, hallId: string, seq: number, kase: Case, at: string): Promise<void> {
  const dataJson = JSON.stringify(kase);
  await trx
    .insertInto('sync_log')
    .values({ hall_id: hallId, seq, entity: 'case', entity_id: kase.id, data_json: dataJson, mutation_id: null, device_id: null, epoch: null, mutation_seq: null, at })
    .execute();
  await trx
    .insertInto('sync_entities')
    .values({ hall_id: hallId, entity: 'case', id: kase.id, data_json: dataJson, log_seq: seq })
    .onConflict((oc) => oc.columns(['hall_id', 'entity', 'id']).doUpdateSet({ data_json: dataJson, log_seq: seq }))
    .execute();
}

/**
 * The locker moves its case on: a result deposited for an approved (or 即办) case completes it (the
 * result exists; the locker's own SMS carries the pickup code), and a pickup delivers it. The
 * case's papers follow the result: their hand-off is signed in at the locker step (物料流转's
 * final desk), recorded in the history like any desk's sign-in.
 * Runs after the locker event committed; a case already moved on is left as it is.
 */
export async function followLockerEvent(ctx: ServerContext, hallId: string, parcelId: string, type: 'deposited' | 'picked_up', at: string): Promise<void> {
  const parcel = await lockerDb(ctx.db).selectFrom('locker_parcels').select('case_number').where('id', '=', parcelId).executeTakeFirst();
  const number = parcel?.case_number;
  if (!number) return;
  const row = await ctx.db.selectFrom('cases').select(['id', 'status', 'data_json']).where('hall_id', '=', hallId).where('number', '=', number).executeTakeFirst();
  if (!row) return;
  const system = { kind: 'system', id: 'locker' } as const;
  let kase = caseOfRow(row);
  // Approved, or accepted for a 即办 service (the decider refuses an accepted case that still needs approval).
  if (row.status === 'approved' || row.status === 'accepted') {
    const completed = await applyCentralStep(ctx, hallId, 'completeCase', { caseId: row.id, staffId: 'system', note: '结果存入智能文件柜', at }, system);
    if (completed.ok) kase = completed.kase;
  }
  // A pickup signs the papers in too when the deposit's sign-in did not happen (a case completed elsewhere first).
  if (kase) await signPapersIntoLocker(ctx, hallId, kase, parcelId, at);
  if (type === 'picked_up') await applyCentralStep(ctx, hallId, 'handOverResult', { caseId: row.id, handover: { method: 'locker', parcelId }, at }, system);
}

/** Only this case's paper moves (a package's other cases go their own way); a paper already out of the hall stays. */
async function signPapersIntoLocker(ctx: ServerContext, hallId: string, kase: Case, parcelId: string, at: string): Promise<void> {
  const handoff = kase.handoff;
  if (!handoff || FINAL_HANDOFF_STEPS.includes(handoff.step)) return;
  const payload = { handoffId: handoff.id, token: handoff.token, step: 'locker', hallId, caseIds: [kase.id], note: `结果存入智能文件柜（${parcelId}）`.slice(0, 200), at };
  // A refusal (a case not completed, so its result cannot be in the locker yet) records nothing and must not stop the pickup.
  await applyCentralStep(ctx, hallId, 'signHandoff', payload, { kind: 'system', id: 'locker' });
}
