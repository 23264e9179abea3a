import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { renderHallSms } from '../../admin/smsTemplates';
import type { ServerContext } from '../../context';
import type { Database } from '../../db/schema';
import { conflict, notFound } from '../../http/errors';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms, smsDb } from '../../sms/outbox';
import { recordAudit, type AuditActor } from '../../store/audit';

const APPOINTMENT_PHONE = { table: 'appointments', column: 'citizen_phone' } as const;

interface SmsBatchTable {
  id: string;
  hall_id: string;
  service_id: string | null;
  date_from: string;
  date_to: string;
  reason: string;
  /** `filling` until every recipient's message is queued; a restart resumes it. */
  status: 'filling' | 'filled';
  recipients: number;
  created_by: string;
  created_at: string;
  filled_at: string | null;
}
const tables = (db: Kysely<Database>) => smsDb(db).withTables<{ sms_batches: SmsBatchTable }>();

type BatchContext = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'>;

/** Whom a batch tells: a null service means the whole hall pauses. */
export interface BatchScope {
  hallId: string;
  serviceId: string | null;
  from: string;
  to: string;
}

export interface BatchRequest extends BatchScope {
  id: string;
  reason: string;
}

/** One message per appointment of the batch: a second press or a resumed run queues nothing new. */
export const batchSmsKey = (batchId: string, appointmentId: string) => `batch:${batchId}:${appointmentId}`;

/**
 * Booked citizens the pause reaches: appointments still to come (not cancelled, not checked
 * in, not already a no-show) that left a phone number, for the service as the main matter
 * or as one of the further matters of a 一号联办 booking.
 */
export async function batchRecipients(db: Kysely<Database>, scope: BatchScope) {
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'service_id', 'more_service_ids_json', 'date', 'slot_from', 'slot_to', 'citizen_masked_name'])
    .where('hall_id', '=', scope.hallId)
    .where('status', '=', 'booked')
    .where('citizen_phone', 'is not', null)
    .where('date', '>=', scope.from)
    .where('date', '<=', scope.to)
    .orderBy('date')
    .orderBy('slot_from')
    .orderBy('id')
    .execute();
  const { serviceId } = scope;
  if (serviceId === null) return rows;
  return rows.filter((r) => r.service_id === serviceId || (r.more_service_ids_json !== null && (JSON.parse(r.more_service_ids_json) as string[]).includes(serviceId)));
}

async function names(db: Kysely<Database>, hallId: string) {
  const hall = await db.selectFrom('halls').select('name_zh').where('id', '=', hallId).executeTakeFirst();
  if (!hall) throw notFound('hall', hallId);
  const services = await db.selectFrom('services').select(['id', 'name_zh']).execute();
  return { hallName: hall.name_zh, serviceName: new Map(services.map((s) => [s.id, s.name_zh])) };
}

const paramsFor = (n: Awaited<ReturnType<typeof names>>, scope: { serviceId: string | null; reason: string }, a: { service_id: string; date: string; slot_from: string; slot_to: string }) => ({
  hallName: n.hallName,
  serviceName: n.serviceName.get(scope.serviceId ?? a.service_id) ?? '',
  date: a.date,
  slot: `${a.slot_from}-${a.slot_to}`,
  reason: scope.reason,
});

/** How many citizens a batch would reach, and the message the first of them would read. */
export async function previewBatch(db: Kysely<Database>, scope: BatchScope & { reason: string }) {
  if (scope.serviceId !== null && !(await db.selectFrom('services').select('id').where('id', '=', scope.serviceId).executeTakeFirst())) throw notFound('service', scope.serviceId);
  const recipients = await batchRecipients(db, scope);
  const n = await names(db, scope.hallId);
  const first = recipients[0];
  const sample = first ?? { service_id: scope.serviceId ?? '', date: scope.from, slot_from: '09:00', slot_to: '09:30' };
  return { recipients: recipients.length, text: await renderHallSms(db, scope.hallId, 'service_paused', paramsFor(n, scope, sample)) };
}

/**
 * Records a batch once. A second request with the same id and scope (the manager pressed
 * twice, or the console retried after a lost answer) returns the batch without a second
 * audit entry; the same id with another scope is refused.
 */
export async function createBatch(ctx: BatchContext, actor: AuditActor, request: BatchRequest): Promise<{ created: boolean }> {
  const now = ctx.clock();
  const created = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await tables(trx)
      .insertInto('sms_batches')
      .values({
        id: request.id,
        hall_id: request.hallId,
        service_id: request.serviceId,
        date_from: request.from,
        date_to: request.to,
        reason: request.reason,
        status: 'filling',
        recipients: 0,
        created_by: actor.id,
        created_at: now.toISOString(),
        filled_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await recordAudit(
      trx,
      { actor, action: 'create', entity: 'sms_batch', entityId: request.id, hallId: request.hallId, detail: { serviceId: request.serviceId, from: request.from, to: request.to } },
      now,
    );
    return true;
  });
  if (!created) {
    const existing = await tables(ctx.db).selectFrom('sms_batches').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
    const same = existing.hall_id === request.hallId && existing.service_id === request.serviceId && existing.date_from === request.from && existing.date_to === request.to && existing.reason === request.reason;
    if (!same) throw conflict(`batch ${request.id} was already sent with another hall, service, dates or reason`);
  }
  return { created };
}

/**
 * Queues the batch's message for each recipient, one outbox row per appointment under its
 * batch key, then marks the batch filled. Safe to run again at any point: a run cut short
 * by a restart is finished by the next, and nobody is told twice.
 */
export async function fillBatch(ctx: BatchContext, batchId: string): Promise<number> {
  const batch = await tables(ctx.db).selectFrom('sms_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw notFound('sms batch', batchId);
  if (batch.status === 'filled') return batch.recipients;
  const scope = { hallId: batch.hall_id, serviceId: batch.service_id, from: batch.date_from, to: batch.date_to, reason: batch.reason };
  const recipients = await batchRecipients(ctx.db, scope);
  const n = await names(ctx.db, batch.hall_id);
  for (const a of recipients) {
    await ctx.db.transaction().execute(async (trx) => {
      const sealed = await trx.selectFrom('appointments').select('citizen_phone').where('id', '=', a.id).executeTakeFirstOrThrow();
      if (sealed.citizen_phone === null) return;
      const phone = ctx.dataKeys.open(sealed.citizen_phone, sealContext(APPOINTMENT_PHONE, a.id));
      await enqueueSms(trx, ctx.dataKeys, { idempotencyKey: batchSmsKey(batchId, a.id), hallId: batch.hall_id, phone, template: 'service_paused', params: paramsFor(n, scope, a) }, ctx.clock());
    });
  }
  const queued = await countQueued(ctx.db, batchId);
  await tables(ctx.db).updateTable('sms_batches').set({ status: 'filled', recipients: queued, filled_at: ctx.clock().toISOString() }).where('id', '=', batchId).where('status', '=', 'filling').execute();
  return queued;
}

const keyPrefix = (batchId: string) => `batch:${batchId}:`;

async function countQueued(db: Kysely<Database>, batchId: string): Promise<number> {
  const row = await smsDb(db).selectFrom('sms_outbox').select((eb) => eb.fn.countAll<string | number>().as('n')).where('idempotency_key', 'like', `${keyPrefix(batchId)}%`).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Finishes every batch a restart interrupted; run when the API starts. */
export async function resumeBatches(ctx: BatchContext, log?: FastifyBaseLogger): Promise<number> {
  const open = await tables(ctx.db).selectFrom('sms_batches').select('id').where('status', '=', 'filling').execute();
  for (const { id } of open) {
    try {
      await fillBatch(ctx, id);
    } catch (error) {
      log?.error({ batch: id, error: (error as Error).message }, 'sms batch not resumed');
    }
  }
  return open.length;
}

export interface BatchView {
  id: string;
  serviceId: string | null;
  from: string;
  to: string;
  reason: string;
  status: 'filling' | 'filled';
  createdAt: string;
  createdBy: string;
  recipients: number;
  progress: { queued: number; sent: number; pending: number; failed: number };
  /** Masked: who was not reached and why, for the hall to phone them instead. */
  failures: { appointmentId: string; maskedName: string; date: string; slot: string; error: string }[];
}

/** A batch with its delivery progress, read from its outbox rows. */
export async function batchView(db: Kysely<Database>, hallId: string, batchId: string): Promise<BatchView> {
  const batch = await tables(db).selectFrom('sms_batches').selectAll().where('id', '=', batchId).where('hall_id', '=', hallId).executeTakeFirst();
  if (!batch) throw notFound('sms batch', batchId);
  const rows = await smsDb(db).selectFrom('sms_outbox').select(['idempotency_key', 'status', 'last_error']).where('idempotency_key', 'like', `${keyPrefix(batchId)}%`).execute();
  const progress = { queued: rows.length, sent: 0, pending: 0, failed: 0 };
  for (const r of rows) {
    if (r.status === 'sent') progress.sent++;
    else if (r.status === 'failed') progress.failed++;
    else progress.pending++;
  }
  const failed = rows.filter((r) => r.status === 'failed').map((r) => ({ appointmentId: r.idempotency_key.slice(keyPrefix(batchId).length), error: r.last_error ?? '' }));
  const appointments =
    failed.length === 0
      ? []
      : await db.selectFrom('appointments').select(['id', 'citizen_masked_name', 'date', 'slot_from', 'slot_to']).where('id', 'in', failed.map((f) => f.appointmentId)).execute();
  const byId = new Map(appointments.map((a) => [a.id, a]));
  return {
    id: batch.id,
    serviceId: batch.service_id,
    from: batch.date_from,
    to: batch.date_to,
    reason: batch.reason,
    status: batch.status,
    createdAt: batch.created_at,
    createdBy: batch.created_by,
    recipients: batch.status === 'filled' ? batch.recipients : rows.length,
    progress,
    failures: failed.map((f) => {
      const a = byId.get(f.appointmentId);
      return { appointmentId: f.appointmentId, maskedName: a?.citizen_masked_name ?? '', date: a?.date ?? '', slot: a ? `${a.slot_from}-${a.slot_to}` : '', error: f.error };
    }),
  };
}

export async function hallBatches(db: Kysely<Database>, hallId: string, limit = 20): Promise<BatchView[]> {
  const ids = await tables(db).selectFrom('sms_batches').select('id').where('hall_id', '=', hallId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return Promise.all(ids.map((r) => batchView(db, hallId, r.id)));
}
