import type Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  LocalRejection,
  applyChange,
  changeKey,
  copyHallState,
  emptyHallState,
  formatHlc,
  intentPayload,
  parseHlc,
  parseIntent,
  receiveHlc,
  SubmitFormPayloadSchema,
  SYNC_LIMITS,
  tickHlc,
  uuidV7,
  type AnyIntent,
  type CaseForm,
  type Catalogue,
  type ExecuteResult,
  type Change,
  type DeviceWatermark,
  type HallState,
  type Hlc,
  type LogEntry,
  type Mutation,
  type MutationResult,
  type NumberBlock,
  type ServerIdentity,
  type SnapshotResponse,
} from '@hall/shared';
import type { MeshDecision, MeshSeqRange, MeshStore, MeshVectorEntry } from '../mesh/types';
import { openStationDb } from './open';
import { PeerMutations, toMutation, type UnreflectedRow } from './peers';
import { forgetPastDays, type RetentionPolicy, type RetentionResult } from './retention';

/** Executes an intent against a state without touching it; the rules live in the engine behind it. */
export type IntentExecutor = (
  state: HallState,
  intent: AnyIntent,
  catalogue: Catalogue | undefined,
) => ExecuteResult;

export interface OutboxRow {
  seq: number;
  id: string;
  epoch: string;
  type: string;
  payload: unknown;
  hlc: string;
  createdAt: string;
  status: 'pending' | 'applied' | 'rejected';
  code: string | null;
  reason: string | null;
  logSeq: number | null;
}

/** Structural equality of JSON values, ignoring key order (schemas may reorder keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// The one refusal type of the station API (see @hall/shared station-api/failure.ts); re-exported
// here because the store is where most refusals are decided and where the roles import it from.
export { LocalRejection };

interface RawOutbox {
  seq: number;
  id: string;
  epoch: string;
  type: string;
  payload: string;
  hlc: string;
  created_at: string;
  status: OutboxRow['status'];
  code: string | null;
  reason: string | null;
  log_seq: number | null;
}

const ENTITY_TABLE = { ticket: 'tickets', counter: 'counters', case: 'cases' } as const;
type Layer = 'base' | 'live';

function toOutboxRow(raw: RawOutbox): OutboxRow {
  return {
    seq: raw.seq,
    id: raw.id,
    epoch: raw.epoch,
    type: raw.type,
    payload: JSON.parse(raw.payload) as unknown,
    hlc: raw.hlc,
    createdAt: raw.created_at,
    status: raw.status,
    code: raw.code,
    reason: raw.reason,
    logSeq: raw.log_seq,
  };
}

/** Live entities that changed, each with its value before the change (undefined if new). */
export type LiveChangeListener = (changes: readonly { change: Change; previous: unknown }[]) => void;

export interface CommitResult {
  mutation: Mutation;
  changes: Change[];
}

/**
 * One of this station's own mutations that the hall's order has overtaken: it succeeded
 * when made, but a peer's earlier mutation (heard later, over the LAN) now wins, so
 * replaying it fails. The station tells the person who made it.
 */
export interface Superseded {
  mutation: Mutation;
  code: string;
  reason: string;
}

/** How long a peer's mutation may stay unconfirmed before this station pushes it on the peer's behalf. */
export const RELAY_AFTER_MS = 3000;

/**
 * The station's durable state. Every write is one SQLite transaction; the in-memory
 * copies (base, live, catalogue) change only after that transaction committed, so a
 * failed write never leaves memory ahead of disk.
 */
export class StationStore implements MeshStore {
  readonly db: Database.Database;
  readonly deviceId: string;
  private epochValue: string;
  private nextSeqValue: number;
  /** Own rows kept under earlier epochs (counted once, when an epoch is left). */
  private retiredRows: number;
  private cursorValue: number;
  private hlc: Hlc;
  private catalogueValue: Catalogue | undefined;
  private baseState: HallState;
  private liveState: HallState;
  private readonly executor: IntentExecutor;
  /**
   * Checked before this station's own commits (never on pulled or relayed mutations): what
   * its role may send, for the counter it serves. StationCore sets it from its identity.
   */
  originGuard: ((intent: AnyIntent, state: HallState) => { code: string; reason: string } | undefined) | undefined;
  /**
   * Extra evidence a mutation carries, computed from the mutation as made (the counter's clerk
   * proof): returns a payload field to add, or undefined; throws LocalRejection to refuse.
   */
  evidence: ((mutation: Pick<Mutation, 'id' | 'deviceId' | 'type' | 'hlc' | 'payload'>) => Record<string, unknown> | undefined) | undefined;
  private readonly now: () => number;
  private readonly stmts;
  private readonly liveListeners = new Set<LiveChangeListener>();
  private readonly committedListeners = new Set<(mutation: Mutation) => void>();
  private readonly supersededListeners = new Set<(superseded: Superseded) => void>();
  private readonly peers: PeerMutations;
  /**
   * HLC of the last undecided mutation the live state replays: a peer's mutation stamped
   * later is applied on top, without a rebase ('' when none: any new one goes on top).
   */
  private liveTip = '';
  /** Grows whenever this station hears the server decide something; peers ask for news when it moves. */
  private decisionsHeard = 0;
  /** Own mutations whose replay failed at the last rebase, so a newly failing one is told once. */
  private failingOwn = new Set<string>();
  /** Filled inside a transaction, told to listeners once it has committed. */
  private readonly pendingSuperseded: Superseded[] = [];

  private constructor(db: Database.Database, deviceId: string, executor: IntentExecutor, now: () => number) {
    this.db = db;
    this.deviceId = deviceId;
    this.executor = executor;
    this.now = now;
    this.peers = new PeerMutations(db, deviceId);
    this.stmts = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      insertOutbox: db.prepare(
        `INSERT INTO outbox (seq, id, epoch, type, payload, hlc, created_at) VALUES (@seq, @id, @epoch, @type, @payload, @hlc, @createdAt)`,
      ),
      upsert: {
        tickets: db.prepare<[string, string, string]>(
          'INSERT INTO tickets (layer, id, data) VALUES (?, ?, ?) ON CONFLICT (layer, id) DO UPDATE SET data = excluded.data',
        ),
        counters: db.prepare<[string, string, string]>(
          'INSERT INTO counters (layer, id, data) VALUES (?, ?, ?) ON CONFLICT (layer, id) DO UPDATE SET data = excluded.data',
        ),
        cases: db.prepare<[string, string, string]>(
          'INSERT INTO cases (layer, id, data) VALUES (?, ?, ?) ON CONFLICT (layer, id) DO UPDATE SET data = excluded.data',
        ),
      },
      remove: {
        tickets: db.prepare<[string, string]>('DELETE FROM tickets WHERE layer = ? AND id = ?'),
        counters: db.prepare<[string, string]>('DELETE FROM counters WHERE layer = ? AND id = ?'),
        cases: db.prepare<[string, string]>('DELETE FROM cases WHERE layer = ? AND id = ?'),
      },
      pending: db.prepare<[string, number, number], RawOutbox>(
        `SELECT * FROM outbox WHERE status = 'pending' AND epoch = ? AND seq >= ? ORDER BY seq LIMIT ?`,
      ),
      // Another station may have pushed this one's mutation: its effects in a pull page settle it.
      reflectOwn: db.prepare<[number, string, string]>(
        `UPDATE outbox SET status = 'applied', log_seq = MAX(COALESCE(log_seq, 0), ?), acked_at = COALESCE(acked_at, ?)
          WHERE id = ? AND status IN ('pending', 'applied')`,
      ),
      ownAfter: db.prepare<[string, number, number], RawOutbox>(`SELECT * FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?`),
      // Form values are personal data: a rejected form is never sent again, so its values go at once.
      scrubForm: db.prepare<[string, number]>(
        `UPDATE outbox SET payload = json_set(payload, '$.values', json('{}')) WHERE epoch = ? AND seq = ? AND type IN ('submitForm', 'acceptCase')`,
      ),
      // An applied form keeps its values for the restore horizon, so a central database restored
      // from a backup can be given them again (resendLost), then only the case fields remain.
      scrubAcknowledged: db.prepare<[string]>(
        `UPDATE outbox SET payload = json_set(payload, '$.values', json('{}'))
          WHERE type IN ('submitForm', 'acceptCase') AND acked_at < ? AND status <> 'pending' AND json_extract(payload, '$.values') <> '{}'`,
      ),
      // The phone left for 到号前短信提醒 is needed only until the central API has decided the
      // request (it keeps the phone itself, sealed), so it goes at once, restore horizon or not.
      scrubPhones: db.prepare(
        `UPDATE outbox SET payload = json_set(payload, '$.phone', '')
          WHERE type = 'requestPositionSms' AND status <> 'pending' AND json_extract(payload, '$.phone') <> ''`,
      ),
      pendingCount: db.prepare<[], { n: number; oldest: string | null }>(
        `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'`,
      ),
      rejectedCount: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'rejected'`),
      markApplied: db.prepare<[number, string, string, number]>(
        `UPDATE outbox SET status = 'applied', log_seq = ?, acked_at = ? WHERE epoch = ? AND seq = ? AND status = 'pending'`,
      ),
      markRejected: db.prepare<[string, string, string, string, number]>(
        `UPDATE outbox SET status = 'rejected', code = ?, reason = ?, acked_at = ? WHERE epoch = ? AND seq = ? AND status = 'pending'`,
      ),
      rowAt: db.prepare<[string, number], RawOutbox>('SELECT * FROM outbox WHERE epoch = ? AND seq = ?'),
      takeNumber: db.prepare<[string, string], { start: number; next: number; end: number }>(
        `SELECT start, next, end FROM number_blocks WHERE queue_id = ? AND day = ? AND next <= end ORDER BY start LIMIT 1`,
      ),
      bumpNumber: db.prepare<[string, string, number]>(
        'UPDATE number_blocks SET next = next + 1 WHERE queue_id = ? AND day = ? AND start = ?',
      ),
      insertBlock: db.prepare(
        'INSERT OR IGNORE INTO number_blocks (queue_id, day, start, end, next) VALUES (@queueId, @day, @start, @end, @start)',
      ),
      remaining: db.prepare<[string, string], { n: number | null }>(
        'SELECT SUM(end - next + 1) AS n FROM number_blocks WHERE queue_id = ? AND day = ?',
      ),
    };
    this.baseState = this.loadLayer('base');
    this.liveState = this.loadLayer('live');
    this.catalogueValue = this.loadCatalogue();
    const epoch = this.meta('epoch');
    if (epoch === undefined) {
      // A database without an epoch is new (or was wiped): its seqs restart at 1 under a
      // new epoch, so the server never confuses them with the old database's seqs.
      this.epochValue = randomUUID();
      this.nextSeqValue = 1;
      this.retiredRows = 0;
      this.cursorValue = 0;
      this.hlc = { wallMs: 0, counter: 0, node: deviceId };
      db.transaction(() => {
        this.setMeta('deviceId', deviceId);
        this.setMeta('epoch', this.epochValue);
        this.setMeta('nextSeq', '1');
        this.setMeta('cursor', '0');
        this.setMeta('createdAt', new Date(now()).toISOString());
      })();
    } else {
      const storedDevice = this.meta('deviceId');
      if (storedDevice !== deviceId) {
        throw new Error(
          `station database belongs to device "${storedDevice ?? '?'}", not "${deviceId}"; use another data dir or wipe it`,
        );
      }
      this.epochValue = epoch;
      this.nextSeqValue = Number(this.meta('nextSeq') ?? '1');
      this.retiredRows = Number(this.meta('outboxRetired') ?? '0');
      this.cursorValue = Number(this.meta('cursor') ?? '0');
      this.hlc = parseHlc(this.meta('hlc') ?? '') ?? { wallMs: 0, counter: 0, node: deviceId };
    }
    this.liveTip = replayTip(this.peers.unreflected(this.cursorValue));
  }

  static open(file: string, deviceId: string, executor: IntentExecutor, now: () => number = Date.now): StationStore {
    const { db } = openStationDb(file);
    return new StationStore(db, deviceId, executor, now);
  }

  close(): void {
    this.db.close();
  }

  get epoch(): string {
    return this.epochValue;
  }
  get nextSeq(): number {
    return this.nextSeqValue;
  }
  get cursor(): number {
    return this.cursorValue;
  }
  get catalogue(): Catalogue | undefined {
    return this.catalogueValue;
  }
  /** What screens show: the server's state plus this station's unconfirmed mutations. */
  get live(): HallState {
    return this.liveState;
  }
  /** The server's state as of the cursor. */
  get base(): HallState {
    return this.baseState;
  }

  onLiveChange(listener: LiveChangeListener): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  private notify(changes: { change: Change; previous: unknown }[]): void {
    const superseded = this.pendingSuperseded.splice(0);
    for (const item of superseded) for (const listener of this.supersededListeners) listener(item);
    if (changes.length === 0) return;
    for (const listener of this.liveListeners) listener(changes);
  }

  private liveValue(change: Pick<Change, 'entity' | 'id'>): unknown {
    const state = this.liveState;
    if (change.entity === 'ticket') return state.queue.tickets[change.id];
    if (change.entity === 'counter') return state.queue.counters[change.id];
    return state.cases[change.id];
  }

  meta(key: string): string | undefined {
    return this.stmts.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  /**
   * Applies an intent to the live state and appends it to the outbox in one transaction.
   * A locally impossible intent (no ticket waiting, counter paused …) throws LocalRejection
   * and leaves nothing behind.
   */
  commit(intent: AnyIntent): CommitResult {
    return this.commitBuilt(() => intent);
  }

  /**
   * Like commit, but takes the next ticket sequence from a leased number block in the
   * same transaction, so a number is never used twice even across a crash.
   */
  commitWithNumber(queueId: string, day: string, build: (sequence: number) => AnyIntent): CommitResult {
    return this.commitBuilt(() => {
      const block = this.stmts.takeNumber.get(queueId, day);
      if (!block) {
        throw new LocalRejection('no_numbers', `no leased ticket numbers left for queue ${queueId} on ${day}`);
      }
      this.stmts.bumpNumber.run(queueId, day, block.start);
      return build(block.next);
    });
  }

  private commitBuilt(build: () => AnyIntent): CommitResult {
    const nowMs = this.now();
    const hlc = tickHlc(this.hlc, nowMs);
    const seq = this.nextSeqValue;
    const committed = this.db.transaction(() => {
      const intent = build();
      const refused = this.originGuard?.(intent, this.liveState);
      if (refused) throw new LocalRejection(refused.code, refused.reason);
      const id = uuidV7(nowMs, randomBytes(10));
      const made = { id, deviceId: this.deviceId, type: intent.type, hlc: formatHlc(hlc), payload: intentPayload(intent) };
      const payload = { ...made.payload, ...this.evidence?.(made) };
      // The central API refuses larger payloads: such a mutation would sit in the outbox for
      // ever (or block it behind a request too large to send), so it is refused here, now.
      const bytes = Buffer.byteLength(JSON.stringify(payload));
      if (bytes > SYNC_LIMITS.maxPayloadBytes) {
        throw new LocalRejection('payload_too_large', `this ${intent.type} is ${bytes} bytes; the central API takes at most ${SYNC_LIMITS.maxPayloadBytes} bytes per mutation`);
      }
      const result = this.executor(this.liveState, intent, this.catalogueValue);
      if (!result.ok) throw new LocalRejection(result.code, result.reason);
      const mutation: Mutation = { ...made, payload, epoch: this.epochValue, seq };
      this.writeChanges('live', result.changes);
      this.stmts.insertOutbox.run({
        seq,
        id: mutation.id,
        epoch: mutation.epoch,
        type: mutation.type,
        payload: JSON.stringify(mutation.payload),
        hlc: mutation.hlc,
        createdAt: new Date(nowMs).toISOString(),
      });
      this.setMeta('nextSeq', String(seq + 1));
      this.setMeta('hlc', mutation.hlc);
      return { mutation, changes: result.changes };
    }).immediate();
    this.nextSeqValue = seq + 1;
    this.hlc = hlc;
    this.liveTip = committed.mutation.hlc;
    const notes = committed.changes.map((change) => ({ change, previous: this.liveValue(change) }));
    for (const change of committed.changes) applyChange(this.liveState, change);
    this.notify(notes);
    for (const listener of this.committedListeners) listener(committed.mutation);
    return committed;
  }

  /* ---- The hall mesh (MeshStore) ---- */

  onCommitted(listener: (mutation: Mutation) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Own mutations the hall's order overtook (a peer's earlier call of the same ticket, …). */
  onSuperseded(listener: (superseded: Superseded) => void): () => void {
    this.supersededListeners.add(listener);
    return () => this.supersededListeners.delete(listener);
  }

  meshVector(): MeshVectorEntry[] {
    return [{ deviceId: this.deviceId, epoch: this.epochValue, seq: this.nextSeqValue - 1 }, ...this.peers.vector()];
  }

  meshMutationsAfter(deviceId: string, epoch: string, after: number, limit: number): Mutation[] {
    if (deviceId !== this.deviceId) return this.peers.after(deviceId, epoch, after, limit);
    return this.toMutations(this.stmts.ownAfter.all(epoch, after, limit));
  }

  /**
   * Takes hall peers' mutations heard over the LAN, in one transaction. The clock moves
   * past their stamps, so whatever this station does next sorts after them. Mutations
   * stamped after everything the live state replays are applied on top of it; an earlier
   * one (a peer cut off for a while) rebuilds the live state in HLC order.
   */
  receivePeerMutations(mutations: readonly Mutation[]): number {
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    let hlc = this.hlc;
    const outcome = this.db.transaction(() => {
      const fresh: Mutation[] = [];
      for (const mutation of mutations) {
        if (mutation.deviceId === this.deviceId || !this.peers.insert(mutation, at)) continue;
        fresh.push(mutation);
        const remote = parseHlc(mutation.hlc);
        if (remote) hlc = receiveHlc(hlc, remote, nowMs);
      }
      if (fresh.length === 0) return undefined;
      this.setMeta('hlc', formatHlc(hlc));
      fresh.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
      if ((fresh[0]?.hlc ?? '') > this.liveTip) return { count: fresh.length, ...this.applyOnTop(fresh) };
      return { count: fresh.length, ...this.rebaseInTransaction(this.baseState, this.cursorValue) };
    }).immediate();
    if (!outcome) return 0;
    this.hlc = hlc;
    this.liveState = outcome.live;
    this.notify(outcome.notes);
    return outcome.count;
  }

  /** Applies mutations stamped after the live tip to a copy of the live state. Caller holds a transaction. */
  private applyOnTop(mutations: readonly Mutation[]): { live: HallState; notes: { change: Change; previous: unknown }[] } {
    const live = copyHallState(this.liveState);
    for (const mutation of mutations) {
      const parsed = parseIntent(mutation.type, mutation.payload);
      if (!parsed.ok) continue;
      const result = this.executor(live, parsed.intent, this.catalogueValue);
      if (result.ok) for (const change of result.changes) applyChange(live, change);
    }
    this.liveTip = mutations.at(-1)?.hlc ?? this.liveTip;
    return { live, notes: this.writeDiff(this.liveState, live) };
  }

  /**
   * What to push next: the hall's undecided mutations as an HLC-ordered prefix, ending
   * with this station's last own mutation or the last peer mutation left unconfirmed for
   * `relayAfterMs` (its station may be gone). A peer device whose next seq this station
   * lacks is left out, since the server takes a device's seqs only in order. `relay` false
   * (this station only just reached the central API) leaves every peer's mutation to its
   * own station for now.
   */
  pushCandidates(limit: number, relayAfterMs = RELAY_AFTER_MS, relay = true): Mutation[] {
    // The head of the hall's order is enough: rows are taken in order and the batch is a
    // prefix of what a full read would choose (skipped peer rows only make it shorter).
    const rows = this.peers.pending(Math.max(limit, 1) * 4 + 64);
    const relayBefore = new Date(this.now() - relayAfterMs).toISOString();
    const mayPush = (row: UnreflectedRow) => row.own === 1 || (relay && row.received_at <= relayBefore);
    const next = new Map<string, number>();
    const blocked = new Set<string>();
    const chosen: UnreflectedRow[] = [];
    let cut = 0;
    for (const row of rows) {
      if (row.own === 0) {
        const key = `${row.device_id}|${row.epoch}`;
        if (blocked.has(key)) continue;
        const expected = next.get(key);
        const inOrder = expected === undefined ? row.seq === 1 || this.peers.isDecided(row.device_id, row.epoch, row.seq - 1) : row.seq === expected;
        if (!inOrder) {
          blocked.add(key);
          continue;
        }
        next.set(key, row.seq + 1);
      }
      chosen.push(row);
      if (mayPush(row)) cut = chosen.length;
    }
    // The hall's next mutation is a peer's that its own station will push: wait for it, so
    // that after an outage one station pushes the hall's order instead of every station
    // pushing all of it (each station takes its turn as its own mutations come first).
    const head = chosen[0];
    if (head && !mayPush(head)) return [];
    return chosen.slice(0, Math.min(cut, limit)).map(toMutation);
  }

  /** The server waits for a peer's seq this station does not hold: everything below it is decided. */
  recordBlocked(watermark: DeviceWatermark): void {
    const settled = watermark.seq - 1;
    if (settled < 1) return;
    this.decisionsHeard++;
    const { live, notes } = this.db.transaction(() => {
      if (this.peers.settle({ ...watermark, seq: settled }) === 0) return { live: this.liveState, notes: [] };
      return this.rebaseInTransaction(this.baseState, this.cursorValue);
    }).immediate();
    this.liveState = live;
    this.notify(notes);
  }

  meshDecisionsHeard(): number {
    return this.decisionsHeard;
  }

  meshUndecidedRanges(limit: number, minAgeMs = 0): MeshSeqRange[] {
    return this.peers.undecidedRanges(limit, new Date(this.now() - minAgeMs).toISOString());
  }

  meshDecisions(ranges: readonly MeshSeqRange[], limit: number): MeshDecision[] {
    return this.peers.decisionsIn(ranges, limit);
  }

  /**
   * Takes what a hall peer heard the server decide of mutations this station holds undecided
   * (it reached the central API last, or got the answer to a push): the live state is rebuilt
   * in the order the server already chose, so the hall shows what the server will confirm
   * rather than what the HLC order alone would make of it. Advisory only: this station's own
   * pull or push answer still settles each row.
   */
  receiveHeardDecisions(decisions: readonly MeshDecision[]): number {
    if (decisions.length === 0) return 0;
    const outcome = this.db.transaction(() => {
      const changed = this.peers.hear(decisions);
      if (changed === 0) return undefined;
      return { changed, ...this.rebaseInTransaction(this.baseState, this.cursorValue) };
    }).immediate();
    if (!outcome) return 0;
    this.liveState = outcome.live;
    this.notify(outcome.notes);
    return outcome.changed;
  }

  /** Peers' mutations held here that the server has not decided. */
  peerPendingCount(): number {
    return this.peers.pendingCount();
  }

  /**
   * 回显 over the LAN: the forms hall peers (kiosks) submitted for a case or a ticket, as
   * their submitForm mutations carry them, while the central API has not confirmed them
   * (after which the values are scrubbed here and the API serves them).
   */
  peerCaseForms(query: { caseId: string } | { ticketId: string }): CaseForm[] {
    const forms: CaseForm[] = [];
    for (const payload of this.peers.submittedForms(query)) {
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

  /** Forgets decided peer mutations older than `maxAgeMs` (the server's log has them). */
  prunePeerMutations(maxAgeMs: number): number {
    return this.peers.prune(new Date(this.now() - maxAgeMs).toISOString());
  }

  /** Skips the next leased number (it is taken already). */
  burnNumber(queueId: string, day: string): void {
    const block = this.stmts.takeNumber.get(queueId, day);
    if (block) this.stmts.bumpNumber.run(queueId, day, block.start);
  }

  addNumberBlock(block: NumberBlock): void {
    this.stmts.insertBlock.run(block);
  }

  remainingNumbers(queueId: string, day: string): number {
    return this.stmts.remaining.get(queueId, day)?.n ?? 0;
  }

  pendingMutations(limit: number, fromSeq = 1): Mutation[] {
    return this.toMutations(this.stmts.pending.all(this.epochValue, fromSeq, limit));
  }

  /** Outbox rows of the current epoch from `seq` on whatever their status: for a server that lost acknowledged seqs. */
  mutationsFrom(seq: number, limit: number): Mutation[] {
    return this.toMutations(
      this.db
        .prepare<[string, number, number], RawOutbox>('SELECT * FROM outbox WHERE epoch = ? AND seq >= ? ORDER BY seq LIMIT ?')
        .all(this.epochValue, seq, limit),
    );
  }

  /**
   * Opens a new epoch: every unconfirmed own mutation is renumbered under it from seq 1, in
   * the order it was made, keeping its id (the server answers an id it has decided from its
   * record, so nothing is applied twice). Called when the server says a seq of this epoch
   * was decided for another mutation (this database was restored from a backup) or when
   * the central database lost acknowledged work. Decided rows stay under their old epoch.
   */
  openNewEpoch(): string {
    const epoch = randomUUID();
    const { next, retired } = this.db.transaction(() => this.renumberPending(epoch)).immediate();
    this.epochValue = epoch;
    this.nextSeqValue = next;
    this.retiredRows = retired;
    return epoch;
  }

  /** Caller holds a transaction and sets the in-memory epoch, next seq and retired count after it committed. */
  private renumberPending(epoch: string): { next: number; retired: number } {
    const rows = this.db.prepare<[], { id: string }>(`SELECT id FROM outbox WHERE status = 'pending' ORDER BY hlc, epoch, seq`).all();
    const move = this.db.prepare<[string, number, string]>('UPDATE outbox SET epoch = ?, seq = ? WHERE id = ?');
    rows.forEach((row, i) => move.run(epoch, i + 1, row.id));
    const left = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE epoch <> ?').get(epoch)?.n ?? 0;
    this.setMeta('epoch', epoch);
    this.setMeta('nextSeq', String(rows.length + 1));
    this.setMeta('outboxRetired', String(left));
    return { next: rows.length + 1, retired: left };
  }

  /**
   * Checks the central database a sync answer came from against the one this station last
   * talked to. 'restored' when it lacks what this station saw or had applied (ServerIdentitySchema):
   * in one transaction, own mutations applied past the new epoch's start (or any, for
   * another database) are unconfirmed again with the form values they still hold, every
   * unconfirmed mutation is renumbered under a new epoch (the restored database may hold
   * some of their ids: it answers those from its record), and a snapshot is due
   * (`snapshotDue`). A plain restart of the central API, or a first answer, only records it.
   */
  checkServer(server: ServerIdentity | undefined): 'same' | 'restored' {
    if (!server) return 'same';
    const knownDatabase = this.meta('server.databaseId');
    const knownEpoch = this.meta('server.logEpoch');
    if (knownDatabase === server.databaseId && knownEpoch === server.logEpoch) return 'same';
    const record = () => {
      this.setMeta('server.databaseId', server.databaseId);
      this.setMeta('server.logEpoch', server.logEpoch);
    };
    if (knownDatabase === undefined) {
      this.db.transaction(record)();
      return 'same';
    }
    const horizon = knownDatabase === server.databaseId ? server.epochStart : 0;
    const lost = this.db
      .prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'applied' AND log_seq > ?`)
      .get(horizon)?.n ?? 0;
    if (lost === 0 && this.cursorValue <= horizon) {
      this.db.transaction(record)();
      return 'same';
    }
    const epoch = randomUUID();
    const { next, retired } = this.db.transaction(() => {
      this.db.prepare<[number]>(`UPDATE outbox SET status = 'pending', log_seq = NULL, acked_at = NULL WHERE status = 'applied' AND log_seq > ?`).run(horizon);
      const moved = this.renumberPending(epoch);
      record();
      this.setMeta('snapshotDue', '1');
      return moved;
    }).immediate();
    this.epochValue = epoch;
    this.nextSeqValue = next;
    this.retiredRows = retired;
    return 'restored';
  }

  /** True after checkServer found a restored central database, until a snapshot is applied. */
  get snapshotDue(): boolean {
    return this.meta('snapshotDue') === '1';
  }

  /**
   * Forgets the form values of mutations the server acknowledged before `before` (ISO
   * time): past the restore horizon, a central database restored from a backup is not
   * expected to lack them. Returns how many rows were scrubbed.
   */
  scrubAcknowledgedForms(before: string): number {
    return this.stmts.scrubAcknowledged.run(before).changes + this.stmts.scrubPhones.run().changes;
  }

  /**
   * Drops past hall-days (retention.ts) and reloads both layers from what is left, so a
   * year-old station replays and copies one day's state, not a year's. Nothing live
   * changes: what a pending mutation, an open case or the live day needs stays.
   */
  forgetPastDays(policy: RetentionPolicy): RetentionResult {
    const result = this.db
      .transaction(() => forgetPastDays(this.db, policy, this.cursorValue, this.replayedPayloads()))
      .immediate();
    if (result.tickets > 0 || result.cases > 0) {
      this.baseState = this.loadLayer('base');
      this.liveState = this.loadLayer('live');
    }
    for (const listener of this.retentionListeners) listener(policy);
    return result;
  }

  /** Payloads (JSON) of the mutations, own or a peer's, the live state still replays: pending or not yet reflected. */
  replayedPayloads(): string[] {
    return this.peers.unreflected(this.cursorValue).map((row) => row.payload);
  }

  private readonly retentionListeners = new Set<(policy: RetentionPolicy) => void>();

  /** A role's own database (counter.db …) forgets its past days right after the store did; returns the unsubscribe. */
  onRetention(listener: (policy: RetentionPolicy) => void): () => void {
    this.retentionListeners.add(listener);
    return () => this.retentionListeners.delete(listener);
  }

  private toMutations(rows: RawOutbox[]): Mutation[] {
    return rows.map((raw) => toMutation({ ...raw, device_id: this.deviceId }));
  }

  /** Every own mutation kept, in the order it was made (across epochs). */
  outbox(): OutboxRow[] {
    return this.db.prepare<[], RawOutbox>('SELECT * FROM outbox ORDER BY hlc, epoch, seq').all().map(toOutboxRow);
  }

  /** Cheap enough to call on every commit: pending and rejected rows are read through the status index. */
  outboxCounts(): { pending: number; applied: number; rejected: number; oldestPendingAt: string | undefined } {
    const pending = this.stmts.pendingCount.get() ?? { n: 0, oldest: null };
    const rejected = this.stmts.rejectedCount.get()?.n ?? 0;
    const total = this.retiredRows + this.nextSeqValue - 1;
    return {
      pending: pending.n,
      rejected,
      applied: total - pending.n - rejected,
      oldestPendingAt: pending.oldest ?? undefined,
    };
  }

  /**
   * Records the server's answers. A rejection removes the mutation's effect from the live
   * state (rebase) but keeps the outbox row with its reason, so nothing vanishes silently.
   * Returns the rows that were newly rejected.
   */
  recordResults(results: readonly MutationResult[]): OutboxRow[] {
    if (results.length > 0) this.decisionsHeard++;
    const at = new Date(this.now()).toISOString();
    const rejected: OutboxRow[] = [];
    let peersChanged = false;
    const apply = this.db.transaction(() => {
      for (const result of results) {
        if (!this.isOwnResult(result)) {
          peersChanged = this.peers.recordResult(result) || peersChanged;
          continue;
        }
        const epoch = this.epochValue;
        if (result.status === 'applied') {
          this.stmts.markApplied.run(result.logSeq, at, epoch, result.seq);
        } else {
          const info = this.stmts.markRejected.run(result.code, result.reason, at, epoch, result.seq);
          this.stmts.scrubForm.run(epoch, result.seq);
          if (info.changes > 0) {
            const raw = this.stmts.rowAt.get(epoch, result.seq);
            if (raw) rejected.push(toOutboxRow(raw));
          }
        }
      }
      this.peers.scrubDecided();
      // An acknowledgement alone changes nothing visible: an applied mutation stays in the
      // replay set until the cursor passes its log position. Only a rejection removes an effect.
      if (rejected.length === 0 && !peersChanged) return { live: this.liveState, notes: [] };
      return this.rebaseInTransaction(this.baseState, this.cursorValue);
    });
    const { live, notes } = apply();
    this.liveState = live;
    this.notify(notes);
    return rejected;
  }

  private isOwnResult(result: MutationResult): boolean {
    return result.deviceId === undefined || (result.deviceId === this.deviceId && (result.epoch === undefined || result.epoch === this.epochValue));
  }

  /**
   * Applies one pull page together with its cursor, then rebases the live state. Entries
   * name the mutation they came from: that mutation, this station's or a peer's, is now
   * reflected by the base and leaves the replay set exactly as its effects arrive (even
   * when another station pushed it). `settled` (last page only) covers peer mutations the
   * server rejected, which leave no entries.
   */
  applyPage(entries: readonly LogEntry[], cursor: number, settled: readonly DeviceWatermark[] = []): void {
    const base = copyHallState(this.baseState);
    const oldCursor = this.cursorValue;
    const at = new Date(this.now()).toISOString();
    const { live, notes } = this.db.transaction(() => {
      const changes = entries.map((entry) => entry.change);
      this.writeChanges('base', changes);
      for (const change of changes) applyChange(base, change);
      for (const entry of entries) {
        const origin = entry.origin;
        if (!origin) continue;
        if (origin.deviceId === this.deviceId && origin.epoch === this.epochValue) this.stmts.reflectOwn.run(entry.seq, at, origin.mutationId);
        else this.peers.markApplied(origin.mutationId, entry.seq);
      }
      let settledRows = 0;
      for (const watermark of settled) settledRows += this.peers.settle(watermark);
      if (entries.length > 0 || settledRows > 0) this.decisionsHeard++;
      this.peers.scrubDecided();
      this.setMeta('cursor', String(cursor));
      if (settledRows === 0 && entries.length === 0 && cursor === oldCursor) return { live: this.liveState, notes: [] };
      if (settledRows === 0 && this.confirmsLiveAsIs(entries, cursor, oldCursor)) return { live: this.liveState, notes: [] };
      return this.rebaseInTransaction(base, cursor);
    }).immediate();
    this.baseState = base;
    this.cursorValue = cursor;
    this.liveState = live;
    this.notify(notes);
  }

  /**
   * True when a page only confirms the hall's oldest unreflected mutations (this
   * station's or its peers'), in the order the live state replays them, each now fully
   * covered by the cursor, and the server's rows are exactly what replaying those
   * mutations locally on the old base gives. Then new base + the rest = old base + all of
   * it = the live state already shown, and the replay of the rest is skipped: catching up
   * after a long offline spell stays linear.
   */
  private confirmsLiveAsIs(entries: readonly LogEntry[], cursor: number, oldCursor: number): boolean {
    if (entries.length === 0 || !this.catalogueValue) return false;
    const ids: string[] = [];
    const last = new Map<string, Change>();
    for (const entry of entries) {
      const origin = entry.origin;
      if (!origin) return false;
      last.set(changeKey(entry.change), entry.change);
      if (ids.at(-1) !== origin.mutationId) ids.push(origin.mutationId);
    }
    const rows = this.peers.unreflected(oldCursor, ids.length);
    if (rows.length !== ids.length) return false;
    if (!rows.every((r, i) => r.id === ids[i] && r.status === 'applied' && r.log_seq !== null && r.log_seq <= cursor)) return false;
    const scratch = copyHallState(this.baseState);
    const replayed = new Map<string, Change>();
    for (const row of rows) {
      const parsed = parseIntent(row.type, JSON.parse(row.payload));
      if (!parsed.ok) return false;
      const result = this.executor(scratch, parsed.intent, this.catalogueValue);
      if (!result.ok) return false;
      for (const change of result.changes) {
        applyChange(scratch, change);
        replayed.set(changeKey(change), change);
      }
    }
    if (replayed.size !== last.size) return false;
    for (const [key, change] of last) {
      const mine = replayed.get(key);
      if (!mine || !sameJson(mine.data, change.data)) return false;
    }
    return true;
  }

  /** Replaces the base with a server snapshot (station behind the compaction horizon or wiped). */
  applySnapshot(snapshot: SnapshotResponse): void {
    this.decisionsHeard++;
    const base = emptyHallState();
    for (const ticket of snapshot.tickets) applyChange(base, { entity: 'ticket', id: ticket.id, data: ticket });
    for (const { id, runtime } of snapshot.counters) applyChange(base, { entity: 'counter', id, data: runtime });
    for (const item of snapshot.cases) applyChange(base, { entity: 'case', id: item.id, data: item });
    const { live, notes } = this.db.transaction(() => {
      for (const table of Object.values(ENTITY_TABLE)) {
        this.db.prepare(`DELETE FROM ${table} WHERE layer = 'base'`).run();
      }
      this.writeState('base', base);
      this.setMeta('cursor', String(snapshot.cursor));
      this.setMeta('snapshotDue', '0');
      // Peers' mutations the snapshot already reflects (or the server rejected) are not replayed on it.
      for (const watermark of snapshot.settled ?? []) this.peers.settle(watermark);
      return this.rebaseInTransaction(base, snapshot.cursor);
    }).immediate();
    this.baseState = base;
    this.cursorValue = snapshot.cursor;
    this.liveState = live;
    this.notify(notes);
  }

  replaceCatalogue(catalogue: Catalogue): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalogue_items').run();
      const insert = this.db.prepare<[string, string, string]>('INSERT INTO catalogue_items (kind, id, data) VALUES (?, ?, ?)');
      insert.run('hall', catalogue.hall.id, JSON.stringify(catalogue.hall));
      for (const item of catalogue.services) insert.run('service', item.id, JSON.stringify(item));
      for (const item of catalogue.forms) insert.run('form', `${item.id}@${item.version}`, JSON.stringify(item));
      for (const item of catalogue.queues) insert.run('queue', item.id, JSON.stringify(item));
      for (const item of catalogue.counters) insert.run('counter', item.id, JSON.stringify(item));
      // Notices live in meta: catalogue_items admits only the kinds its CHECK lists.
      this.setMeta('catalogueNotices', JSON.stringify(catalogue.notices ?? []));
      // A kiosk restarted during an outage still checks release passwords (放号密码).
      this.setMeta('catalogueReleases', JSON.stringify(catalogue.releases ?? []));
      insert.run('callingRules', catalogue.hall.id, JSON.stringify(catalogue.callingRules));
      this.setMeta('catalogueVersion', catalogue.version);
    })();
    this.catalogueValue = catalogue;
  }

  /**
   * Rebuilds live = base + every mutation of the hall the base does not reflect yet, own
   * and peers', in the server's order (see UNREFLECTED_SQL): the same order on every station
   * that heard the same decisions, and on the server. Caller
   * holds a transaction; the superseded notices go out once it has committed.
   */
  private rebaseInTransaction(base: HallState, cursor: number): { live: HallState; notes: { change: Change; previous: unknown }[] } {
    const live = copyHallState(base);
    const rows = this.peers.unreflected(cursor);
    const failing = new Set<string>();
    const superseded: Superseded[] = [];
    for (const raw of rows) {
      if (raw.heard_rejected === 1 && raw.log_seq === null) continue;
      const parsed = parseIntent(raw.type, JSON.parse(raw.payload));
      if (!parsed.ok) continue;
      const result = this.executor(live, parsed.intent, this.catalogueValue);
      // Replay failing here means the server's state, or an earlier mutation of the hall,
      // overtook the intent; the server's answer for it will settle it.
      if (result.ok) for (const change of result.changes) applyChange(live, change);
      else if (raw.own === 1 && raw.status === 'pending') {
        failing.add(raw.id);
        if (!this.failingOwn.has(raw.id)) superseded.push({ mutation: toMutation(raw), code: result.code, reason: result.reason });
      }
    }
    this.failingOwn = failing;
    this.liveTip = replayTip(rows);
    this.pendingSuperseded.push(...superseded);
    const notes = this.writeDiff(this.liveState, live);
    return { live, notes };
  }

  private writeDiff(before: HallState, after: HallState): { change: Change; previous: unknown }[] {
    const pairs = [
      ['ticket', 'tickets', before.queue.tickets, after.queue.tickets],
      ['counter', 'counters', before.queue.counters, after.queue.counters],
      ['case', 'cases', before.cases, after.cases],
    ] as const;
    const notes: { change: Change; previous: unknown }[] = [];
    for (const [entity, table, old, next] of pairs) {
      for (const [id, value] of Object.entries(next)) {
        const previous = (old as Record<string, unknown>)[id];
        if (previous === value || (previous !== undefined && sameJson(previous, value))) continue;
        this.stmts.upsert[table].run('live', id, JSON.stringify(value));
        notes.push({ change: { entity, id, data: value } as Change, previous });
      }
      // Entities only leave the live layer when a rejected mutation had created them.
      for (const id of Object.keys(old)) if (!(id in next)) this.stmts.remove[table].run('live', id);
    }
    return notes;
  }

  private writeChanges(layer: Layer, changes: readonly Change[]): void {
    for (const change of changes) {
      this.stmts.upsert[ENTITY_TABLE[change.entity]].run(layer, change.id, JSON.stringify(change.data));
    }
  }

  private writeState(layer: Layer, state: HallState): void {
    for (const [id, t] of Object.entries(state.queue.tickets)) this.stmts.upsert.tickets.run(layer, id, JSON.stringify(t));
    for (const [id, c] of Object.entries(state.queue.counters)) this.stmts.upsert.counters.run(layer, id, JSON.stringify(c));
    for (const [id, c] of Object.entries(state.cases)) this.stmts.upsert.cases.run(layer, id, JSON.stringify(c));
  }

  private loadLayer(layer: Layer): HallState {
    const state = emptyHallState();
    const rows = (table: string) =>
      this.db.prepare<[string], { id: string; data: string }>(`SELECT id, data FROM ${table} WHERE layer = ?`).all(layer);
    for (const row of rows('tickets')) applyChange(state, { entity: 'ticket', id: row.id, data: JSON.parse(row.data) });
    for (const row of rows('counters')) applyChange(state, { entity: 'counter', id: row.id, data: JSON.parse(row.data) });
    for (const row of rows('cases')) applyChange(state, { entity: 'case', id: row.id, data: JSON.parse(row.data) });
    return state;
  }

  private loadCatalogue(): Catalogue | undefined {
    const rows = this.db.prepare<[], { kind: string; data: string }>('SELECT kind, data FROM catalogue_items').all();
    const version = this.meta('catalogueVersion');
    const hallRow = rows.find((r) => r.kind === 'hall');
    const rulesRow = rows.find((r) => r.kind === 'callingRules');
    if (!hallRow || !rulesRow || version === undefined) return undefined;
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data));
    return {
      hall: JSON.parse(hallRow.data),
      callingRules: JSON.parse(rulesRow.data),
      services: of('service'),
      forms: of('form'),
      queues: of('queue'),
      counters: of('counter'),
      notices: JSON.parse(this.meta('catalogueNotices') ?? '[]'),
      releases: JSON.parse(this.meta('catalogueReleases') ?? '[]'),
      version,
    };
  }
}

/** The HLC after which a new undecided mutation replays last (see liveTip). */
function replayTip(rows: readonly UnreflectedRow[]): string {
  const last = rows.at(-1);
  return last && last.known_at === null ? last.hlc : '';
}
