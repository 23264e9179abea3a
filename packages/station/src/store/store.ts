import type Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  LocalRejection,
  applyChange,
  copyHallState,
  emptyHallState,
  formatHlc,
  intentPayload,
  parseHlc,
  receiveHlc,
  SYNC_LIMITS,
  tickHlc,
  uuidV7,
  type AnyIntent,
  type CaseForm,
  type Catalogue,
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
import type { MeshDecision, MeshSeqRange, MeshStore } from '../mesh/types';
import type { MeshVectorEntry } from '../mesh/rules/vector';
import { CatalogueCache } from './catalogueCache';
import { HallTables, type ChangeNote } from './hallTables';
import { Meta } from './meta';
import { STATION_MIGRATIONS } from './migrations';
import { NumberBlocks } from './numberBlocks';
import { openStationDb } from './open';
import { Outbox, type OutboxRow } from './outbox';
import { caseFormsOf } from './rules/peerForms';
import { PeerMutations } from './peers';
import type { UnreflectedRow } from './rules/unreflected';
import { choosePushBatch, hasDeviceProof } from './rules/pushOrder';
import { applyOnTop, confirmsByDerivation, confirmsLiveAsIs, replayTip, replayUnreflected, type Derivation, type IntentExecutor, type Replayer, type Superseded } from './rules/replay';
import { forgetPastDays, type RetentionPolicy, type RetentionResult } from './retention';

export type { OutboxRow } from './outbox';
export type { IntentExecutor, Superseded } from './rules/replay';
export { sameJson } from './rules/sameJson';

// The one refusal type of the station API (see @hall/shared station-api/failure.ts); re-exported
// here because the store is where most refusals are decided and where the roles import it from.
export { LocalRejection };

/** A new live state, what changed on screen, and how it was built (replay.ts Derivation). */
interface LiveOutcome {
  live: HallState;
  notes: ChangeNote[];
  derivation: Derivation | undefined;
}

/** Live entities that changed, each with its value before the change (undefined if new). */
export type LiveChangeListener = (changes: readonly ChangeNote[]) => void;

export interface CommitResult {
  mutation: Mutation;
  changes: Change[];
}

/** How long a peer's mutation may stay unconfirmed before this station pushes it on the peer's behalf. */
export const RELAY_AFTER_MS = 3000;
/** Peer mutations remembered as not relayable (recordUnrelayable). */
const MAX_UNRELAYABLE = 10_000;

/**
 * The station's durable state. Every write is one SQLite transaction; the in-memory
 * copies (base, live, catalogue) change only after that transaction committed, so a
 * failed write never leaves memory ahead of disk. The SQL lives in the repositories
 * (meta, outbox, number blocks, catalogue cache, hall tables, peer mutations); this
 * class orders their writes into transactions and keeps the in-memory states.
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
  /** How liveState was built from baseState (replay.ts Derivation); undefined when not known (just opened, reloaded). */
  private derivation: Derivation | undefined;
  private readonly executor: IntentExecutor;
  /**
   * Checked before this station's own commits (never on pulled or relayed mutations): what
   * its role may send, for the counter it serves. StationCore sets it from its identity.
   */
  originGuard: ((intent: AnyIntent, state: HallState) => { code: string; reason: string } | undefined) | undefined;
  /**
   * Extra evidence a mutation carries, computed from the mutation as made (the counter's clerk
   * proof, the device proof): returns payload fields to add, or undefined; throws LocalRejection to refuse.
   */
  evidence: ((mutation: Mutation) => Record<string, unknown> | undefined) | undefined;
  /** Evidence to make again when an unconfirmed mutation is renumbered under a new epoch (the device proof names its epoch and seq). */
  reprove: ((mutation: Mutation) => Record<string, unknown> | undefined) | undefined;
  private readonly now: () => number;
  private readonly liveListeners = new Set<LiveChangeListener>();
  private readonly committedListeners = new Set<(mutation: Mutation) => void>();
  private readonly supersededListeners = new Set<(superseded: Superseded) => void>();
  private readonly retentionListeners = new Set<(policy: RetentionPolicy) => void>();
  /** `device|epoch|seq` of peer mutations the server would not take from this station (recordUnrelayable). */
  private readonly unrelayable = new Set<string>();
  private readonly metaRows: Meta;
  private readonly own: Outbox;
  private readonly peers: PeerMutations;
  private readonly numbers: NumberBlocks;
  private readonly catalogueCache: CatalogueCache;
  private readonly tables: HallTables;
  /**
   * HLC of the last undecided mutation the live state replays: a peer's mutation stamped
   * later is applied on top, without a rebase ('' when none: any new one goes on top).
   */
  private liveTip = '';
  /** Grows whenever this station hears the server decide something; peers ask for news when it moves. */
  private decisionsHeard = 0;
  /** Own mutations whose replay failed at the last rebase, so a newly failing one is told once. */
  private failingOwn: ReadonlySet<string> = new Set<string>();
  /** Filled inside a transaction, told to listeners once it has committed. */
  private readonly pendingSuperseded: Superseded[] = [];

  private constructor(db: Database.Database, deviceId: string, executor: IntentExecutor, now: () => number) {
    this.db = db;
    this.deviceId = deviceId;
    this.executor = executor;
    this.now = now;
    this.metaRows = new Meta(db);
    this.own = new Outbox(db, deviceId);
    this.peers = new PeerMutations(db, deviceId);
    this.numbers = new NumberBlocks(db);
    this.catalogueCache = new CatalogueCache(db, this.metaRows);
    this.tables = new HallTables(db);
    this.baseState = this.tables.load('base');
    this.liveState = this.tables.load('live');
    this.catalogueValue = this.catalogueCache.load();
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
    return new StationStore(openStationDb(file, STATION_MIGRATIONS), deviceId, executor, now);
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

  private notify(changes: ChangeNote[]): void {
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
    return this.metaRows.get(key);
  }

  setMeta(key: string, value: string): void {
    this.metaRows.set(key, value);
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
      const sequence = this.numbers.take(queueId, day);
      if (sequence === undefined) {
        throw new LocalRejection('no_numbers', `no leased ticket numbers left for queue ${queueId} on ${day}`);
      }
      return build(sequence);
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
      const made = { id, deviceId: this.deviceId, epoch: this.epochValue, seq, type: intent.type, hlc: formatHlc(hlc), payload: intentPayload(intent) };
      const payload = { ...made.payload, ...this.evidence?.(made) };
      // The central API refuses larger payloads: such a mutation would sit in the outbox for
      // ever (or block it behind a request too large to send), so it is refused here, now.
      const bytes = Buffer.byteLength(JSON.stringify(payload));
      if (bytes > SYNC_LIMITS.maxPayloadBytes) {
        throw new LocalRejection('payload_too_large', `this ${intent.type} is ${bytes} bytes; the central API takes at most ${SYNC_LIMITS.maxPayloadBytes} bytes per mutation`);
      }
      const result = this.executor(this.liveState, intent, this.catalogueValue);
      if (!result.ok) throw new LocalRejection(result.code, result.reason);
      const mutation: Mutation = { ...made, payload };
      this.tables.writeChanges('live', result.changes);
      this.own.append(mutation, new Date(nowMs).toISOString());
      this.setMeta('nextSeq', String(seq + 1));
      this.setMeta('hlc', mutation.hlc);
      return { mutation, changes: result.changes };
    }).immediate();
    this.nextSeqValue = seq + 1;
    this.hlc = hlc;
    this.liveTip = committed.mutation.hlc;
    const notes = committed.changes.map((change) => ({ change, previous: this.liveValue(change) }));
    for (const change of committed.changes) applyChange(this.liveState, change);
    this.derivation?.push({ id: committed.mutation.id, changes: committed.changes });
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
    return this.own.after(epoch, after, limit);
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
      if ((fresh[0]?.hlc ?? '') > this.liveTip) return { count: fresh.length, ...this.applyOnTopInTransaction(fresh) };
      return { count: fresh.length, ...this.rebaseInTransaction(this.baseState, this.cursorValue) };
    }).immediate();
    if (!outcome) return 0;
    this.hlc = hlc;
    this.liveState = outcome.live;
    this.derivation = outcome.derivation;
    this.notify(outcome.notes);
    return outcome.count;
  }

  /** Applies mutations stamped after the live tip to a copy of the live state. Caller holds a transaction. */
  private applyOnTopInTransaction(mutations: readonly Mutation[]): LiveOutcome {
    const { live, derived } = applyOnTop(this.liveState, mutations, this.replayer());
    this.liveTip = mutations.at(-1)?.hlc ?? this.liveTip;
    return { live, notes: this.tables.writeLiveDiff(this.liveState, live), derivation: this.derivation && [...this.derivation, ...derived] };
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
    const relayBefore = new Date(this.now() - relayAfterMs).toISOString();
    // A peer mutation the server cannot take from this station (no device proof) is waited
    // for like any peer's, then left to its origin, with the rest of its device's seqs.
    const relayableById = new Map<string, boolean>();
    const relayable = (row: UnreflectedRow) => {
      let known = relayableById.get(row.id);
      if (known === undefined) relayableById.set(row.id, (known = !this.unrelayable.has(`${row.device_id}|${row.epoch}|${row.seq}`) && hasDeviceProof(row.payload)));
      return known;
    };
    const mayPush = (row: UnreflectedRow) => row.own === 1 || (relay && row.received_at <= relayBefore && relayable(row));
    const skip = (row: UnreflectedRow) => row.received_at <= relayBefore && !relayable(row);
    const choose = (rows: UnreflectedRow[]) => choosePushBatch(rows, limit, mayPush, (deviceId, epoch, seq) => this.peers.isDecided(deviceId, epoch, seq), skip);
    // A little more than the batch is read first; only peer rows left out (a device's missing
    // seq, a peer's row not relayed yet) make a longer read worth it, for a fuller batch.
    const first = Math.max(limit, 1) + 64;
    const rows = this.peers.pending(first);
    const batch = choose(rows);
    return batch.length < limit && rows.length === first ? choose(this.peers.pending(Math.max(limit, 1) * 4 + 64)) : batch;
  }

  /**
   * Peer mutations the server refused to take from this station (PushResponse.unproven):
   * not relayed again by this run of the station. Returns how many were new.
   */
  recordUnrelayable(seqs: readonly DeviceWatermark[]): number {
    let added = 0;
    for (const { deviceId, epoch, seq } of seqs) {
      const key = `${deviceId}|${epoch}|${seq}`;
      if (this.unrelayable.has(key)) continue;
      // Bounded: forgetting one only costs a refused relay more.
      if (this.unrelayable.size >= MAX_UNRELAYABLE) this.unrelayable.clear();
      this.unrelayable.add(key);
      added++;
    }
    return added;
  }

  /** The server waits for a peer's seq this station does not hold: everything below it is decided. */
  recordBlocked(watermark: DeviceWatermark): void {
    const settled = watermark.seq - 1;
    if (settled < 1) return;
    this.decisionsHeard++;
    const { live, notes, derivation } = this.db.transaction(() => {
      if (this.peers.settle({ ...watermark, seq: settled }) === 0) return this.liveAsIs();
      return this.rebaseInTransaction(this.baseState, this.cursorValue);
    }).immediate();
    this.liveState = live;
    this.derivation = derivation;
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
    this.derivation = outcome.derivation;
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
    return caseFormsOf(this.peers.submittedForms(query));
  }

  /** Forgets decided peer mutations older than `maxAgeMs` (the server's log has them). */
  prunePeerMutations(maxAgeMs: number): number {
    return this.peers.prune(new Date(this.now() - maxAgeMs).toISOString());
  }

  /* ---- Number blocks ---- */

  /** Skips the next leased number (it is taken already). */
  burnNumber(queueId: string, day: string): void {
    this.numbers.take(queueId, day);
  }

  addNumberBlock(block: NumberBlock): void {
    this.numbers.add(block);
  }

  remainingNumbers(queueId: string, day: string): number {
    return this.numbers.remaining(queueId, day);
  }

  /* ---- The outbox and the server's answers ---- */

  pendingMutations(limit: number, fromSeq = 1): Mutation[] {
    return this.own.pending(this.epochValue, fromSeq, limit);
  }

  /** Outbox rows of the current epoch from `seq` on whatever their status: for a server that lost acknowledged seqs. */
  mutationsFrom(seq: number, limit: number): Mutation[] {
    return this.own.from(this.epochValue, seq, limit);
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
    const { moved, retired } = this.own.renumberPending(epoch, this.reprove);
    this.setMeta('epoch', epoch);
    this.setMeta('nextSeq', String(moved + 1));
    this.setMeta('outboxRetired', String(retired));
    return { next: moved + 1, retired };
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
    const lost = this.own.appliedAfterCount(horizon);
    if (lost === 0 && this.cursorValue <= horizon) {
      this.db.transaction(record)();
      return 'same';
    }
    const epoch = randomUUID();
    const { next, retired } = this.db.transaction(() => {
      this.own.reopenAppliedAfter(horizon);
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
    return this.own.scrubAcknowledged(before);
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
      this.baseState = this.tables.load('base');
      this.liveState = this.tables.load('live');
      this.derivation = undefined;
    }
    for (const listener of this.retentionListeners) listener(policy);
    return result;
  }

  /** Payloads (JSON) of the mutations, own or a peer's, the live state still replays: pending or not yet reflected. */
  replayedPayloads(): string[] {
    return this.peers.unreflected(this.cursorValue).map((row) => row.payload);
  }

  /** A role's own database (counter.db …) forgets its past days right after the store did; returns the unsubscribe. */
  onRetention(listener: (policy: RetentionPolicy) => void): () => void {
    this.retentionListeners.add(listener);
    return () => this.retentionListeners.delete(listener);
  }

  /** Every own mutation kept, in the order it was made (across epochs). */
  outbox(): OutboxRow[] {
    return this.own.all();
  }

  /** Cheap enough to call on every commit: pending and rejected rows are read through the status index. */
  outboxCounts(): { pending: number; applied: number; rejected: number; oldestPendingAt: string | undefined } {
    const { pending, rejected, oldestPendingAt } = this.own.counts();
    const total = this.retiredRows + this.nextSeqValue - 1;
    return { pending, rejected, applied: total - pending - rejected, oldestPendingAt };
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
        if (result.status === 'applied') {
          this.own.markApplied(this.epochValue, result.seq, result.logSeq, at);
        } else {
          const row = this.own.markRejected(this.epochValue, result.seq, result.code, result.reason, at);
          if (row) rejected.push(row);
        }
      }
      this.peers.scrubDecided();
      // An acknowledgement alone changes nothing visible: an applied mutation stays in the
      // replay set until the cursor passes its log position. Only a rejection removes an effect.
      if (rejected.length === 0 && !peersChanged) return this.liveAsIs();
      return this.rebaseInTransaction(this.baseState, this.cursorValue);
    });
    const { live, notes, derivation } = apply();
    this.liveState = live;
    this.derivation = derivation;
    this.notify(notes);
    return rejected;
  }

  private isOwnResult(result: MutationResult): boolean {
    return result.deviceId === undefined || (result.deviceId === this.deviceId && (result.epoch === undefined || result.epoch === this.epochValue));
  }

  /* ---- Pulled state ---- */

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
    const { live, notes, derivation } = this.db.transaction((): LiveOutcome => {
      const changes = entries.map((entry) => entry.change);
      this.tables.writeChanges('base', changes);
      for (const change of changes) applyChange(base, change);
      // Once per mutation, at its last entry: a mutation's entries are consecutive in the log.
      const reflected = new Map<string, { origin: NonNullable<LogEntry['origin']>; seq: number }>();
      for (const entry of entries) if (entry.origin) reflected.set(entry.origin.mutationId, { origin: entry.origin, seq: entry.seq });
      for (const { origin, seq } of reflected.values()) {
        if (origin.deviceId === this.deviceId && origin.epoch === this.epochValue) this.own.reflect(origin.mutationId, seq, at);
        else this.peers.markApplied(origin.mutationId, seq);
      }
      let settledRows = 0;
      for (const watermark of settled) settledRows += this.peers.settle(watermark);
      if (entries.length > 0 || settledRows > 0) this.decisionsHeard++;
      this.peers.scrubDecided();
      this.setMeta('cursor', String(cursor));
      if (settledRows === 0 && entries.length === 0 && cursor === oldCursor) return this.liveAsIs();
      if (settledRows === 0) {
        const unreflected = (n: number) => this.peers.unreflected(oldCursor, n);
        const known = confirmsByDerivation(entries, cursor, this.derivation, unreflected);
        if (known.kind === 'confirmed') return { live: this.liveState, notes: [], derivation: this.derivation?.slice(known.confirmedRows) };
        if (known.kind === 'unknown' && confirmsLiveAsIs(entries, cursor, this.baseState, unreflected, this.replayer())) {
          return { live: this.liveState, notes: [], derivation: undefined };
        }
      }
      return this.rebaseInTransaction(base, cursor);
    }).immediate();
    this.baseState = base;
    this.cursorValue = cursor;
    this.liveState = live;
    this.derivation = derivation;
    this.notify(notes);
  }

  /** Replaces the base with a server snapshot (station behind the compaction horizon or wiped). */
  applySnapshot(snapshot: SnapshotResponse): void {
    this.decisionsHeard++;
    const base = emptyHallState();
    for (const ticket of snapshot.tickets) applyChange(base, { entity: 'ticket', id: ticket.id, data: ticket });
    for (const { id, runtime } of snapshot.counters) applyChange(base, { entity: 'counter', id, data: runtime });
    for (const item of snapshot.cases) applyChange(base, { entity: 'case', id: item.id, data: item });
    const { live, notes, derivation } = this.db.transaction(() => {
      this.tables.replaceBase(base);
      this.setMeta('cursor', String(snapshot.cursor));
      this.setMeta('snapshotDue', '0');
      // Peers' mutations the snapshot already reflects (or the server rejected) are not replayed on it.
      for (const watermark of snapshot.settled ?? []) this.peers.settle(watermark);
      return this.rebaseInTransaction(base, snapshot.cursor);
    }).immediate();
    this.baseState = base;
    this.cursorValue = snapshot.cursor;
    this.liveState = live;
    this.derivation = derivation;
    this.notify(notes);
  }

  replaceCatalogue(catalogue: Catalogue): void {
    this.catalogueCache.replace(catalogue);
    this.catalogueValue = catalogue;
  }

  private replayer(): Replayer {
    return { executor: this.executor, catalogue: this.catalogueValue };
  }

  /**
   * Rebuilds live = base + every mutation of the hall the base does not reflect yet, own
   * and peers', in the server's order (see UNREFLECTED_SQL): the same order on every station
   * that heard the same decisions, and on the server. Caller
   * holds a transaction; the superseded notices go out once it has committed.
   */
  private rebaseInTransaction(base: HallState, cursor: number): LiveOutcome {
    const rows = this.peers.unreflected(cursor);
    const { live, failing, superseded, derivation } = replayUnreflected(base, rows, this.replayer(), this.failingOwn);
    this.failingOwn = failing;
    this.liveTip = replayTip(rows);
    this.pendingSuperseded.push(...superseded);
    return { live, notes: this.tables.writeLiveDiff(this.liveState, live), derivation };
  }

  /** Nothing the live state shows changes: it and its derivation stay. */
  private liveAsIs(): LiveOutcome {
    return { live: this.liveState, notes: [], derivation: this.derivation };
  }
}
