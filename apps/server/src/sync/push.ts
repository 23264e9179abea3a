import {
  applyChange,
  checkOrigin,
  checkOriginRole,
  executeContext,
  executeIntent,
  intentAt,
  isQueueIntent,
  parseIntent,
  RequestPositionSmsPayloadSchema,
  payloadWithoutProofs,
  SEQ_REUSED,
  SYNC_LIMITS,
  type Case,
  type Catalogue,
  type Change,
  type HallState,
  type DeviceWatermark,
  type Mutation,
  type MutationResult,
  type PushResponse,
  type UnprovenRelay,
  type ReleaseClaim,
  type Ticket,
  localDay,
} from '@hall/shared';
import { sql, type Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';
import type { DevicePrincipal } from '../http/principal';
import { DeviceRoleSchema } from '../store/devices';
import { loadCatalogue } from './catalogue';
import { checkMutationTime, loadDeviceClocks, onlineQueueStamp, type DeviceClock } from './clockSkew';
import { checkCheckIn, recordCheckIns, storedAppointment } from './checkIn';
import { ClerkKeyBook } from './clerkKeys';
import { DeviceKeyBook } from './deviceKeys';
import { checkCounterOutcome, CounterOutcomes, StaffBook } from './counterOutcomes';
import { caseRow, type StageCatalogue } from '../cases/rows';
import { setHallHead, withHallLock } from './hallLock';
import { serverIdentity } from './identity';
import { hallStateAt, hallStateCommitted, hallStateDiscard } from './state';
import { sealFormValues } from './formValues';
import { ReleaseBook } from '../release/check';
import { POSITION_SMS_TOPIC, recordPositionSmsRequest } from '../phone/positionSms/requests';
import { num, type SyncCaseFormTable, type SyncDb, type SyncEntityTable, type SyncLogTable, type SyncMutationTable } from './tables';

const CHUNK = 100;

interface Pending {
  mutations: SyncMutationTable[];
  log: SyncLogTable[];
  entities: Map<string, SyncEntityTable>;
  tickets: Map<string, Ticket>;
  counterStates: Map<string, string>;
  /** Transfers per ticket in this batch, for the statistics column tickets.transfer_count. */
  transfers: Map<string, number>;
  caseForms: SyncCaseFormTable[];
  cases: Case[];
  /** Appointments checked in by this batch's checkIn mutations. */
  checkIns: { appointmentId: string; ticketId: string }[];
  /** Cases decided, evaluations and final forms from the counters' outcome mutations. */
  outcomes: CounterOutcomes;
  /** 放号密码 of the hall and their uses, with this batch's released tickets. */
  releases: ReleaseBook;
}

/** The device's leased blocks, loaded once per batch: one query instead of one per ticket. */
class LeaseBook {
  private readonly blocks = new Map<string, { start: number; end: number }[]>();
  private constructor() {}

  static async load(trx: SyncDb, hallId: string, deviceId: string): Promise<LeaseBook> {
    const book = new LeaseBook();
    const rows = await trx
      .selectFrom('sync_leases')
      .select(['queue_id', 'day', 'start_seq', 'end_seq'])
      .where('hall_id', '=', hallId)
      .where('device_id', '=', deviceId)
      .execute();
    for (const row of rows) {
      const key = `${row.queue_id}|${row.day}`;
      book.blocks.set(key, [...(book.blocks.get(key) ?? []), { start: Number(row.start_seq), end: Number(row.end_seq) }]);
    }
    return book;
  }

  covers(queueId: string, day: string, sequence: number): boolean {
    return (this.blocks.get(`${queueId}|${day}`) ?? []).some((b) => b.start <= sequence && sequence <= b.end);
  }
}

type Verdict = { ok: true; changes: Change[]; events: { type: string; ticketId?: string }[] } | { ok: false; code: string; reason: string };

/**
 * Server-only checks around the shared executor: who may send it (the origin device's role
 * and counter, never the pusher's), the clerk, leases, clock, size.
 */
async function decide(
  leases: () => Promise<LeaseBook>,
  releases: ReleaseBook,
  trx: SyncDb,
  device: DevicePrincipal,
  staff: StaffBook,
  clerks: ClerkKeyBook,
  catalogue: Catalogue,
  state: HallState,
  mutation: Mutation,
  nowMs: number,
  clock: DeviceClock | undefined,
): Promise<Verdict> {
  const byRole = checkOriginRole(device, mutation.type);
  if (byRole) return byRole;
  if (JSON.stringify(mutation.payload).length > SYNC_LIMITS.maxPayloadBytes) {
    return { ok: false, code: 'payload_too_large', reason: `payload exceeds ${SYNC_LIMITS.maxPayloadBytes} bytes` };
  }
  const parsed = parseIntent(mutation.type, mutation.payload);
  if (!parsed.ok) return { ok: false, code: 'invalid_mutation', reason: parsed.error };
  const intent = parsed.intent;
  const byCounter = checkOrigin(device, intent, state);
  if (byCounter) return byCounter;
  // 跨厅流转: a station signs paper in for its own hall only; another hall's desk signs through its back office (handoff/routes.ts).
  if (intent.type === 'signHandoff' && intent.payload.hallId !== device.hallId) {
    return { ok: false, code: 'other_hall', reason: `device ${device.id} is a desk of hall ${device.hallId}, not of ${intent.payload.hallId}` };
  }
  const clerk = await checkCounterOutcome(staff, catalogue, mutation);
  if (clerk) return clerk;
  const at = intentAt(intent);
  const badTime = checkMutationTime(at, nowMs, clock);
  if (badTime) return badTime;
  const byClerk = await clerks.check(device, mutation, at);
  if (byClerk) return byClerk;
  if (isQueueIntent(intent) && intent.command.type === 'issueTicket') {
    const command = { ...intent.command, deviceId: device.id };
    if (command.sequence === undefined) {
      return { ok: false, code: 'number_not_leased', reason: 'a station-issued ticket must carry a leased sequence' };
    }
    const day = localDay(at, catalogue.hall.timeZone);
    if (!(await leases()).covers(command.queueId, day, command.sequence)) {
      return { ok: false, code: 'number_not_leased', reason: `sequence ${command.sequence} of queue ${command.queueId} on ${day} is not leased to this device` };
    }
    const byRelease = await releases.check(catalogue, command, day);
    if (byRelease) return byRelease;
    const verdict = executeIntent(state, { ...intent, command }, executeContext(catalogue));
    return verdict.ok ? stampQueueTime(verdict, command.ticketId, onlineQueueStamp(at, nowMs, clock)) : verdict;
  }
  if (intent.type === 'checkIn' && intent.command.type === 'checkIn') {
    const checked = await checkCheckIn(
      {
        hallId: device.hallId,
        deviceId: device.id,
        catalogue,
        at,
        appointment: (id) => storedAppointment(trx, id),
        leased: async (queueId, day, sequence) => (await leases()).covers(queueId, day, sequence),
      },
      intent.command,
    );
    if (!checked.ok) return checked;
    return executeIntent(state, { ...intent, command: checked.command }, executeContext(catalogue));
  }
  return executeIntent(state, intent, executeContext(catalogue));
}

/**
 * A ticket pushed online queues by the server's clock (clockSkew.ts), not the kiosk's: the
 * log carries the stamped ticket, so every station adopts it when it pulls.
 */
function stampQueueTime(verdict: Extract<Verdict, { ok: true }>, ticketId: string, queuedAt: string | undefined): Verdict {
  if (queuedAt === undefined) return verdict;
  const changes = verdict.changes.map((change): Change => (change.entity === 'ticket' && change.id === ticketId ? { ...change, data: { ...change.data, queuedAt } } : change));
  return { ...verdict, changes };
}

/** The release on an applied issueTicket (already validated by decide). */
function releaseClaimOf(m: Mutation): ReleaseClaim | undefined {
  const parsed = parseIntent(m.type, m.payload);
  return parsed.ok && isQueueIntent(parsed.intent) && parsed.intent.command.type === 'issueTicket' ? parsed.intent.command.release : undefined;
}

function ticketRow(hallId: string, t: Ticket) {
  return {
    id: t.id,
    hall_id: hallId,
    queue_id: t.queueId,
    day: t.day,
    number: t.number,
    kind: t.kind,
    service_ids_json: JSON.stringify(t.serviceIds),
    priority_group_id: t.priorityGroupId ?? null,
    appointment_id: t.appointmentId ?? null,
    citizen_masked_name: t.citizen?.maskedName ?? null,
    citizen_id_hash: t.citizen?.idHash ?? null,
    issued_at: t.issuedAt,
    queued_at: t.queuedAt,
    status: t.status,
    counter_id: t.counterId ?? null,
    target_counter_id: t.targetCounterId ?? null,
    called_at: t.calledAt ?? null,
    call_count: t.callCount,
    missed_at: t.missedAt ?? null,
    serving_started_at: t.servingStartedAt ?? null,
    finished_at: t.finishedAt ?? null,
    issued_by_device_id: t.issuedByDeviceId ?? null,
    staff_id: t.staffId ?? null,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Writes a batch's rows with multi-row statements: one round trip per hundred rows, not per row. */
async function flush(trx: SyncDb, hallId: string, pending: Pending, at: string, catalogue: StageCatalogue): Promise<void> {
  for (const rows of chunks(pending.mutations)) await trx.insertInto('sync_mutations').values(rows).execute();
  for (const rows of chunks(pending.log)) await trx.insertInto('sync_log').values(rows).execute();
  for (const rows of chunks([...pending.entities.values()])) {
    await trx
      .insertInto('sync_entities')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['hall_id', 'entity', 'id']).doUpdateSet((eb) => ({
          data_json: eb.ref('excluded.data_json'),
          log_seq: eb.ref('excluded.log_seq'),
        })),
      )
      .execute();
  }
  // Projection into the API's own tables, so its routes and reports see synced tickets.
  for (const rows of chunks([...pending.tickets.values()].map((t) => ticketRow(hallId, t)))) {
    await trx
      .insertInto('tickets')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          queue_id: eb.ref('excluded.queue_id'),
          service_ids_json: eb.ref('excluded.service_ids_json'),
          status: eb.ref('excluded.status'),
          counter_id: eb.ref('excluded.counter_id'),
          target_counter_id: eb.ref('excluded.target_counter_id'),
          called_at: eb.ref('excluded.called_at'),
          call_count: eb.ref('excluded.call_count'),
          missed_at: eb.ref('excluded.missed_at'),
          serving_started_at: eb.ref('excluded.serving_started_at'),
          finished_at: eb.ref('excluded.finished_at'),
          staff_id: eb.ref('excluded.staff_id'),
        })),
      )
      .execute();
  }
  for (const rows of chunks(pending.caseForms)) await trx.insertInto('sync_case_forms').values(rows).execute();
  await recordCheckIns(trx, pending.checkIns, new Date(at));
  for (const rows of chunks(pending.cases.map((c) => caseRow(c, catalogue)))) {
    await trx.insertInto('cases').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  for (const [ticketId, count] of pending.transfers) {
    // Column added by the statistics migration; not in the shared Kysely schema.
    await sql`update tickets set transfer_count = transfer_count + ${count} where id = ${ticketId}`.execute(trx);
  }
  for (const [counterId, stateJson] of pending.counterStates) {
    await trx.updateTable('counters').set({ state_json: stateJson, updated_at: at }).where('id', '=', counterId).execute();
  }
  await pending.outcomes.flush(trx);
  await pending.releases.flush(trx);
}

/** The devices whose mutations a batch carries: the pusher, and hall peers it relays for. */
async function loadOrigins(trx: SyncDb, pusher: DevicePrincipal, mutations: readonly Mutation[]): Promise<Map<string, DevicePrincipal>> {
  const origins = new Map<string, DevicePrincipal>([[pusher.id, pusher]]);
  const others = [...new Set(mutations.map((m) => m.deviceId).filter((id) => id !== pusher.id))];
  if (others.length === 0) return origins;
  const rows = await trx
    .selectFrom('devices')
    .select(['id', 'hall_id', 'role', 'counter_id'])
    .where('id', 'in', others)
    .where('hall_id', '=', pusher.hallId)
    .where('enrolled_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .execute();
  for (const row of rows) {
    const role = DeviceRoleSchema.safeParse(row.role);
    if (role.success) origins.set(row.id, { kind: 'device', id: row.id, hallId: row.hall_id, role: role.data, ...(row.counter_id ? { counterId: row.counter_id } : {}) });
  }
  return origins;
}

const pairKey = (deviceId: string, epoch: string) => `${deviceId}|${epoch}`;

/** Each (device, epoch) of the batch: the last seq the server decided, and its answers to the batch's seqs at or below it. */
async function loadProgress(trx: SyncDb, mutations: readonly Mutation[]) {
  const pairs = new Map<string, { deviceId: string; epoch: string; seqs: number[] }>();
  for (const m of mutations) {
    const key = pairKey(m.deviceId, m.epoch);
    const pair = pairs.get(key) ?? { deviceId: m.deviceId, epoch: m.epoch, seqs: [] };
    pair.seqs.push(m.seq);
    pairs.set(key, pair);
  }
  const last = new Map<string, number>();
  const known = new Map<string, SyncMutationTable>();
  for (const [key, pair] of pairs) {
    const progress = await trx
      .selectFrom('sync_device_progress')
      .select('last_seq')
      .where('device_id', '=', pair.deviceId)
      .where('epoch', '=', pair.epoch)
      .executeTakeFirst();
    const lastSeq = num(progress?.last_seq);
    last.set(key, lastSeq);
    const seen = pair.seqs.filter((seq) => seq <= lastSeq);
    if (seen.length === 0) continue;
    const rows = await trx
      .selectFrom('sync_mutations')
      .selectAll()
      .where('device_id', '=', pair.deviceId)
      .where('epoch', '=', pair.epoch)
      .where('seq', 'in', seen)
      .execute();
    for (const row of rows) known.set(`${key}|${num(row.seq)}`, row);
  }
  // Mutation ids are unique: one pushed again under another epoch or seq (a station that
  // renumbered its unconfirmed work) is answered from its record, never applied twice.
  const byId = new Map<string, SyncMutationTable>();
  for (const ids of chunks([...new Set(mutations.map((m) => m.id))])) {
    const rows = await trx.selectFrom('sync_mutations').selectAll().where('id', 'in', ids).execute();
    for (const row of rows) byId.set(row.id, row);
  }
  return { last, known, byId };
}

/** The recorded answer to a mutation decided earlier. */
function recordedResult(m: Mutation, row: SyncMutationTable, who: object): MutationResult {
  if (row.status === 'applied') return { id: m.id, seq: m.seq, status: 'applied', logSeq: num(row.log_seq), ...who };
  return { id: m.id, seq: m.seq, status: 'rejected', code: row.code ?? 'unknown', reason: row.reason ?? 'already decided', ...who };
}


/**
 * Applies a batch in one transaction under the hall lock: each new mutation is re-decided
 * with the shared executor on the authoritative state; its rows go to the log; each
 * device's last applied seq moves in the same transaction, so a retried batch is answered
 * from the record instead of being applied twice.
 *
 * A batch may carry hall peers' mutations (the hall mesh: a station pushes, in the hall's
 * HLC order, what its peers did while the central API was away, so a kiosk that died
 * still gets its tickets here). Each is decided as its own device's, in the order given,
 * and once, by device, epoch and seq, however many stations push it. A relayed device's
 * skipped seq stops the batch there (`blocked`): applying later mutations first would
 * change the order the hall acted on. A relayed mutation without its origin's device proof
 * (deviceKeys.ts) is not decided: it gets no result, is listed in `unproven` and told to `onUnproven`.
 */
export async function processPush(
  ctx: ServerContext,
  device: DevicePrincipal,
  epoch: string,
  mutations: readonly Mutation[],
  onUnproven?: (relays: readonly UnprovenRelay[]) => void,
): Promise<PushResponse> {
  const catalogue = await loadCatalogue(ctx.db, device.hallId);
  const now = ctx.clock();
  const nowIso = now.toISOString();
  let pokedHead = -1;
  // 已阅 receipts travel to other counters in the catalogue (readBy), so it is re-sent after commit.
  let announcementsRead = false;
  let stateRef: HallState | undefined;
  let positionRequested = false;
  try {
    const response = await withHallLock(ctx, device.hallId, async (trx, hall) => {
      const startHead = hall.head;
      const origins = await loadOrigins(trx, device, mutations);
      const { last, known, byId } = await loadProgress(trx, mutations);
      const clocks = await loadDeviceClocks(trx, [...origins.keys()]);
      const results: MutationResult[] = [];
      let resendFrom: number | undefined;
      let blocked: DeviceWatermark | undefined;
      let head = startHead;
      let state: HallState | undefined;
      const books = new Map<string, Promise<LeaseBook>>();
      const leasesOf = (origin: DevicePrincipal) => () => {
        let book = books.get(origin.id);
        if (!book) books.set(origin.id, (book = LeaseBook.load(trx, origin.hallId, origin.id)));
        return book;
      };
      const pending: Pending = { mutations: [], log: [], entities: new Map(), tickets: new Map(), counterStates: new Map(), transfers: new Map(), caseForms: [], cases: [], checkIns: [], outcomes: new CounterOutcomes(device.hallId, ctx.dataKeys, catalogue), releases: new ReleaseBook(trx, device.hallId) };
      const changedPairs = new Set<string>();
      const staff = new StaffBook(trx, device.hallId);
      const clerks = new ClerkKeyBook(trx, ctx.dataKeys);
      const deviceKeys = new DeviceKeyBook(trx, ctx.dataKeys);
      const unproven: UnprovenRelay[] = [];
      for (const m of mutations) {
        // A relayed origin whose proof failed earlier in the batch: its later seqs wait with it.
        if (unproven.some((u) => u.deviceId === m.deviceId)) continue;
        // A relayed mutation's answer names its origin; the pusher's own keep the short form.
        const who = m.deviceId === device.id ? {} : { deviceId: m.deviceId, epoch: m.epoch };
        const origin = origins.get(m.deviceId);
        if (!origin) {
          results.push({ id: m.id, seq: m.seq, status: 'rejected', code: 'unknown_device', reason: `device ${m.deviceId} is not an enrolled device of this hall`, ...who });
          continue;
        }
        const key = pairKey(m.deviceId, m.epoch);
        const lastSeq = last.get(key) ?? 0;
        if (m.seq <= lastSeq) {
          const row = known.get(`${key}|${m.seq}`);
          const recorded = row === undefined ? byId.get(m.id) : row.id === m.id ? row : undefined;
          if (recorded) {
            results.push(recordedResult(m, recorded, who));
            continue;
          }
          // The seq was decided for another mutation (or for none this server knows of): a
          // station restored from a backup reuses seqs for new work. Answering with the old
          // mutation's result would lose the new one; the station opens a new epoch instead.
          if (origin.id === device.id) {
            throw new ApiError(409, SEQ_REUSED, `seq ${m.seq} of epoch ${m.epoch} was decided for another mutation than ${m.id}; open a new epoch and push again`, { seq: m.seq, epoch: m.epoch });
          }
          results.push({ id: m.id, seq: m.seq, status: 'rejected', code: SEQ_REUSED, reason: `seq ${m.seq} of device ${m.deviceId} was decided for another mutation`, ...who });
          continue;
        }
        if (m.seq !== lastSeq + 1) {
          if (origin.id === device.id) resendFrom = lastSeq + 1;
          else blocked = { deviceId: m.deviceId, epoch: m.epoch, seq: lastSeq + 1 };
          break;
        }
        if (origin.id !== device.id) {
          // Not decided at all (no answer, its seq not taken): its origin, or a peer relaying
          // it with its proof, still brings the genuine mutation of that seq.
          const unprovenBecause = await deviceKeys.check(m);
          if (unprovenBecause !== undefined) {
            unproven.push({ deviceId: m.deviceId, epoch: m.epoch, seq: m.seq, reason: unprovenBecause });
            continue;
          }
        }
        const earlier = byId.get(m.id);
        if (earlier) {
          // Decided already under another epoch or seq: this seq is taken by it, once. An id
          // decided for another device is not this device's to claim.
          results.push(
            earlier.device_id === m.deviceId
              ? recordedResult(m, earlier, who)
              : { id: m.id, seq: m.seq, status: 'rejected', code: 'mutation_id_taken', reason: `mutation ${m.id} was decided for another device`, ...who },
          );
          last.set(key, m.seq);
          changedPairs.add(key);
          continue;
        }
        state ??= await hallStateAt(ctx, trx, device.hallId, startHead);
        stateRef = state;
        // Decided as its origin's: a relayed mutation gets the role and counter of the device that made it.
        const verdict = await decide(leasesOf(origin), pending.releases, trx, origin, staff, clerks, catalogue, state, m, now.getTime(), clocks.get(origin.id));
        let logSeq: number | null = null;
        if (verdict.ok) {
          for (const change of verdict.changes) {
            head += 1;
            logSeq = head;
            applyAndRecord(origin, m.epoch, m, change, head, nowIso, pending);
            applyChange(state, change);
          }
          if (m.type === 'submitForm') {
            const values = (m.payload as { values?: unknown }).values ?? {};
            for (const change of verdict.changes) {
              if (change.entity !== 'case') continue;
              pending.cases.push(change.data);
              pending.caseForms.push({ case_id: change.id, hall_id: device.hallId, mutation_id: m.id, values_json: sealFormValues(ctx.dataKeys, change.id, values), submitted_at: change.data.submittedAt });
            }
          }
          if (m.type === 'requestPositionSms') {
            const payload = RequestPositionSmsPayloadSchema.parse(payloadWithoutProofs(m.payload));
            await recordPositionSmsRequest(trx as unknown as Kysely<Database>, ctx.dataKeys, device.hallId, state.queue.tickets[payload.ticketId]!.day, payload);
            positionRequested = true;
          }
          for (const change of verdict.changes) {
            if (m.type === 'checkIn' && change.entity === 'ticket' && change.data.appointmentId) pending.checkIns.push({ appointmentId: change.data.appointmentId, ticketId: change.id });
            const release = m.type === 'issueTicket' ? releaseClaimOf(m) : undefined;
            if (release && change.entity === 'ticket' && change.data.releasePasswordId === release.passwordId) pending.releases.record(change.data, release, origin.id);
          }
          pending.outcomes.record(m, verdict.changes);
          for (const event of verdict.events) {
            if (event.type === 'ticketTransferred' && event.ticketId) pending.transfers.set(event.ticketId, (pending.transfers.get(event.ticketId) ?? 0) + 1);
          }
          results.push({ id: m.id, seq: m.seq, status: 'applied', logSeq: logSeq ?? 0, ...who });
        } else {
          results.push({ id: m.id, seq: m.seq, status: 'rejected', code: verdict.code, reason: verdict.reason, ...who });
        }
        pending.mutations.push({
          id: m.id,
          hall_id: device.hallId,
          device_id: origin.id,
          epoch: m.epoch,
          seq: m.seq,
          type: m.type,
          status: verdict.ok ? 'applied' : 'rejected',
          code: verdict.ok ? null : verdict.code,
          reason: verdict.ok ? null : verdict.reason,
          log_seq: logSeq,
          hlc: m.hlc,
          received_at: nowIso,
        });
        last.set(key, m.seq);
        changedPairs.add(key);
      }
      if (changedPairs.size > 0) {
        if (pending.mutations.length > 0) await flush(trx, device.hallId, pending, nowIso, catalogue);
        announcementsRead = pending.outcomes.announcementReads > 0;
        for (const key of changedPairs) {
          const [deviceId = '', pairEpoch = ''] = key.split('|');
          const lastSeq = last.get(key) ?? 0;
          await trx
            .insertInto('sync_device_progress')
            .values({ device_id: deviceId, epoch: pairEpoch, last_seq: lastSeq, updated_at: nowIso })
            .onConflict((oc) => oc.columns(['device_id', 'epoch']).doUpdateSet({ last_seq: lastSeq, updated_at: nowIso }))
            .execute();
        }
        if (head !== startHead) await setHallHead(trx, device.hallId, head);
      }
      if (state) pokedHead = head;
      const lastSeq = last.get(pairKey(device.id, epoch)) ?? (await ownProgress(trx, device.id, epoch));
      const server = await serverIdentity(ctx, hall);
      return { results, lastSeq, ...(resendFrom === undefined ? {} : { resendFrom }), ...(blocked === undefined ? {} : { blocked }), server, head, startHead, unproven };
    });
    if (stateRef) hallStateCommitted(ctx, device.hallId, stateRef, pokedHead);
    if (response.head !== response.startHead) ctx.hub.poke(device.hallId, 'sync', now);
    // The request changes no row of the log, so no sync poke: its notifier is told apart (a ticket may already be near the front).
    if (positionRequested) ctx.hub.poke(device.hallId, POSITION_SMS_TOPIC, now);
    if (announcementsRead) ctx.hub.poke(device.hallId, 'catalogue', now);
    const { head: _h, startHead: _s, unproven, ...body } = response;
    if (unproven.length === 0) return body;
    onUnproven?.(unproven);
    return { ...body, unproven };
  } catch (error) {
    hallStateDiscard(ctx, device.hallId);
    throw error;
  }
}

async function ownProgress(trx: SyncDb, deviceId: string, epoch: string): Promise<number> {
  const row = await trx.selectFrom('sync_device_progress').select('last_seq').where('device_id', '=', deviceId).where('epoch', '=', epoch).executeTakeFirst();
  return num(row?.last_seq);
}

function applyAndRecord(device: DevicePrincipal, epoch: string, m: Mutation, change: Change, seq: number, at: string, pending: Pending): void {
  const dataJson = JSON.stringify(change.data);
  pending.log.push({
    hall_id: device.hallId,
    seq,
    entity: change.entity,
    entity_id: change.id,
    data_json: dataJson,
    mutation_id: m.id,
    device_id: device.id,
    epoch,
    mutation_seq: m.seq,
    at,
  });
  pending.entities.set(`${change.entity}:${change.id}`, { hall_id: device.hallId, entity: change.entity, id: change.id, data_json: dataJson, log_seq: seq });
  if (change.entity === 'ticket') pending.tickets.set(change.id, change.data);
  if (change.entity === 'counter') pending.counterStates.set(change.id, JSON.stringify(change.data.state));
}
