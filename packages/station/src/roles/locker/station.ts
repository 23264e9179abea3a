import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  claimedCodeKind,
  isPickupCodeFormat,
  isUnclaimed,
  lockerRefusalMessage,
  nextParcelStatus,
  occupiesCompartment,
  pickCompartment,
  verifyCode,
  type CodeKind,
  type CompartmentSize,
  type Compartment,
  type CompartmentView,
  type LockerAlarm,
  type LockerEvent,
  type LockerItem,
  type LockerLayout,
  type LockerRefusal,
  type LockerScanResult,
  type LockerStatus,
  type ParcelEvent,
  type ParcelStatus,
  type VerifiedCode,
  type VerifyResult,
} from '@hall/shared';
import type { IdCardReader, LockerController } from '@hall/devices';
import { AuditLog, type DoorAction } from './audit';
import { ed25519Check, equalHex, hmacHex, newPickupCode, sha256 } from './crypto';
import { openLockerDb } from './db';
import { KeyCache, NonceLedger } from './keys';
import { AttemptLimiter, DEFAULT_RATE_LIMIT, type RateLimitPolicy } from './rateLimit';

export interface LockerStationOptions {
  /** SQLite file of the locker (":memory:" in tests). */
  file: string;
  hallId: string;
  layout: LockerLayout;
  controller: LockerController;
  idCardReader?: IdCardReader;
  now?: () => number;
  /** How often open doors are polled for closing. */
  doorPollMs?: number;
  leftOpenAfterMs?: number;
  unclaimedDays?: number;
  rateLimit?: RateLimitPolicy;
  /** How long pickup by code waits for an ID card on the reader. */
  cardWaitMs?: number;
}

type Purpose = 'deposit' | 'pickup' | 'return';
type OpState = 'intent' | 'open' | 'closed' | 'jammed' | 'uncertain';

interface ParcelRow {
  id: string;
  case_number: string;
  size: string;
  compartment_id: string;
  subject: string;
  id_check_salt: string;
  id_check_hash: string;
  masked_name: string;
  pickup_code_hash: string | null;
  status: ParcelStatus;
  deposited_at: string | null;
  /** A counter's delegated code (HDD1.…), kept until the deposit event reached the central API. */
  delegated_code: string | null;
}

interface DoorOpRow {
  id: string;
  parcel_id: string;
  compartment_id: string;
  purpose: Purpose;
  state: OpState;
  updated_at: string;
  left_open_reported: number;
  actor: string;
}

export type LockerStationEvents = {
  changed: [status: LockerStatus];
  alarm: [alarm: LockerAlarm];
  /** A new event waits in the outbox (the server link pushes it). */
  outbox: [];
};

/** A locker event before the outbox stamps its id and time. */
type LockerEventDraft = LockerEvent extends infer E ? (E extends LockerEvent ? Omit<E, 'id' | 'at'> : never) : never;

const OPENING: Record<Purpose, ParcelEvent> = { deposit: 'door_opened', pickup: 'door_opened', return: 'door_opened' };

/**
 * A locker station's logic. Every door opening follows the same write-ahead steps:
 * intent recorded (with the code spent) → door opened → result recorded → door closed →
 * outcome recorded. On restart an intent without a result is resolved from the door
 * state, never by opening again, so no door opens twice for one code.
 */
export class LockerStation extends EventEmitter<LockerStationEvents> {
  readonly db: Database.Database;
  readonly audit: AuditLog;
  readonly keys: KeyCache;
  readonly #nonces: NonceLedger;
  readonly #limiter: AttemptLimiter;
  readonly #byId: Map<string, Compartment>;
  readonly #now: () => number;
  readonly #secret: Buffer;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #online = false;
  #stopped = false;

  constructor(private readonly options: LockerStationOptions) {
    super();
    this.db = openLockerDb(options.file);
    this.audit = new AuditLog(this.db);
    this.keys = new KeyCache(this.db);
    this.#nonces = new NonceLedger(this.db);
    this.#limiter = new AttemptLimiter(this.db, options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.#byId = new Map(options.layout.compartments.map((c) => [c.id, c]));
    this.#now = options.now ?? Date.now;
    this.#secret = this.#stationSecret();
  }

  /** Resolves interrupted door operations, then watches open doors. */
  async start(): Promise<void> {
    await this.#serial(() => this.#recover());
    this.#schedulePoll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#queue.catch(() => undefined);
    await this.#polling;
    this.db.close();
  }

  setOnline(online: boolean): void {
    if (this.#online !== online) {
      this.#online = online;
      this.#changed();
    }
  }

  // ── Scans ───────────────────────────────────────────────────────────────────────

  /** One scanned line: a deposit code deposits, a residence code picks up, a staff code returns unclaimed parcels. */
  scan(text: string): Promise<LockerScanResult> {
    const kind = claimedCodeKind(text);
    if (kind === 'deposit') return this.deposit([text]);
    if (kind === 'staff') return this.returnUnclaimed(text);
    return this.pickupWithResidenceCode(text);
  }

  /** Batch deposit: each code gets its own compartment; the doors close one by one. */
  deposit(codes: readonly string[]): Promise<LockerScanResult> {
    return this.#serial(async () => {
      const items: LockerItem[] = [];
      const refusals: { reason: LockerRefusal; message: { zh: string; en: string } }[] = [];
      for (const text of codes) {
        const outcome = await this.#depositOne(text);
        if ('reason' in outcome) refusals.push({ reason: outcome.reason, message: lockerRefusalMessage(outcome.reason) });
        else items.push(outcome);
      }
      if (items.length === 0 && refusals.length > 0) return this.#refused(refusals[0]!.reason);
      return { kind: 'deposit', items, refusals };
    });
  }

  pickupWithResidenceCode(text: string): Promise<LockerScanResult> {
    return this.#serial(async () => {
      const locked = this.#limiter.lockedUntil(this.#now());
      if (locked) return this.#refused('locked_out', locked);
      const verified = this.#verify(text, 'residence');
      if (!verified.ok) return this.#failedPickup(verified.reason);
      const subject = Buffer.from(verified.payload.subject).toString('hex');
      const parcels = (this.db.prepare("SELECT * FROM parcels WHERE subject = ? AND status = 'deposited' ORDER BY compartment_id").all(subject) as ParcelRow[]);
      if (parcels.length === 0) return this.#refused('no_parcel');
      const items: LockerItem[] = [];
      for (const parcel of parcels) items.push(await this.#openFor(parcel, 'pickup', 'citizen:residence-code', `pickup of case ${parcel.case_number}`));
      return { kind: 'pickup', items };
    });
  }

  /** Fallback for citizens without a phone: the SMS pickup code plus their ID card on the reader. */
  pickupWithCard(pickupCode: string): Promise<LockerScanResult> {
    return this.#serial(async () => {
      const locked = this.#limiter.lockedUntil(this.#now());
      if (locked) return this.#refused('locked_out', locked);
      if (!this.options.idCardReader) return this.#refused('no_id_card_reader');
      if (!isPickupCodeFormat(pickupCode)) return this.#failedPickup('wrong_pickup_code');
      const candidates = (this.db.prepare("SELECT * FROM parcels WHERE status = 'deposited' AND pickup_code_hash IS NOT NULL").all() as ParcelRow[]).filter(
        (p) => equalHex(hmacHex(this.#secret, `${p.id}:${pickupCode}`), p.pickup_code_hash ?? ''),
      );
      const idNumber = await this.#readIdNumber();
      if (idNumber === undefined) return this.#refused('no_id_card');
      const parcel = candidates.find((p) => equalHex(sha256(Buffer.from(p.id_check_salt, 'hex'), idNumber).toString('hex'), p.id_check_hash));
      if (!parcel) return this.#failedPickup('wrong_pickup_code');
      return { kind: 'pickup', items: [await this.#openFor(parcel, 'pickup', 'citizen:pickup-code+id-card', `pickup of case ${parcel.case_number}`)] };
    });
  }

  /** A clerk's staff code opens every unclaimed (and every flagged) compartment to take the items back. */
  returnUnclaimed(text: string): Promise<LockerScanResult> {
    return this.#serial(async () => {
      const verified = this.#verify(text, 'staff');
      if (!verified.ok) return this.#refused(verified.reason === 'wrong_kind' ? 'not_staff' : verified.reason);
      const actor = `staff:${verified.payload.staffId}`;
      const due = this.#unclaimedRows().concat(this.db.prepare("SELECT * FROM parcels WHERE status IN ('jammed', 'uncertain')").all() as ParcelRow[]);
      const items: LockerItem[] = [];
      for (const parcel of due) items.push(await this.#openFor(parcel, 'return', actor, `return of case ${parcel.case_number} to the counter`));
      return { kind: 'return', items };
    });
  }

  // ── Status ──────────────────────────────────────────────────────────────────────

  status(): LockerStatus {
    const ops = this.db.prepare("SELECT * FROM door_ops WHERE state IN ('intent', 'open')").all() as DoorOpRow[];
    const openDoors = new Map(ops.map((o) => [o.compartment_id, o]));
    const occupied = this.#occupied();
    const broken = new Map((this.db.prepare('SELECT compartment_id, reason FROM out_of_service').all() as { compartment_id: string; reason: string }[]).map((r) => [r.compartment_id, r.reason]));
    const compartments: CompartmentView[] = this.options.layout.compartments.map((c) => {
      const op = openDoors.get(c.id);
      return {
        id: c.id,
        size: c.size,
        use: broken.has(c.id) ? 'out_of_service' : occupied.has(c.id) ? 'occupied' : 'free',
        doorOpen: op?.state === 'open',
        alarm: op?.left_open_reported ? 'left_open' : broken.get(c.id) === 'jammed' ? 'jammed' : null,
      };
    });
    const locked = this.#limiter.lockedUntil(this.#now());
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number };
    return {
      compartments,
      lockedUntil: locked === undefined ? null : new Date(locked).toISOString(),
      keysCachedUntil: this.keys.usableUntil(this.#now()) ?? null,
      pendingEvents: n,
      online: this.#online,
      unclaimed: this.#unclaimedRows().map((p) => this.#item(p)),
    };
  }

  parcel(id: string): (LockerItem & { depositedAt: string | null }) | undefined {
    const row = this.db.prepare('SELECT * FROM parcels WHERE id = ?').get(id) as ParcelRow | undefined;
    return row && { ...this.#item(row), depositedAt: row.deposited_at };
  }

  // ── Outbox (pushed by the server link) ──────────────────────────────────────────

  pendingEvents(limit = 100): LockerEvent[] {
    const rows = this.db.prepare('SELECT json FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?').all(limit) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as LockerEvent);
  }

  /** Acknowledged events are kept (as history) with the pickup code scrubbed: the station keeps only its hash. */
  markSent(ids: readonly string[]): void {
    const at = this.#at();
    const update = this.db.prepare('UPDATE outbox SET sent_at = ?, json = ? WHERE id = ? AND sent_at IS NULL');
    this.db.transaction(() => {
      for (const id of ids) {
        const row = this.db.prepare('SELECT json FROM outbox WHERE id = ?').get(id) as { json: string } | undefined;
        if (!row) continue;
        const event = JSON.parse(row.json) as Record<string, unknown>;
        delete event.pickupCode;
        if (event.delegatedCode !== undefined) {
          delete event.delegatedCode;
          this.db.prepare('UPDATE parcels SET delegated_code = NULL WHERE id = ?').run(event.parcelId);
        }
        update.run(at, JSON.stringify(event), id);
      }
    })();
    this.#changed();
  }

  /**
   * The central API refused an event. A refused deposit means this parcel is not this
   * locker's to hand out (another locker took it first, or it is unknown): it is held for
   * staff instead of opening for a citizen.
   */
  settleRefused(eventId: string): void {
    const row = this.db.prepare('SELECT json FROM outbox WHERE id = ?').get(eventId) as { json: string } | undefined;
    const event = row && (JSON.parse(row.json) as LockerEvent);
    if (event?.type !== 'deposited') return;
    const parcel = this.db.prepare('SELECT status, compartment_id FROM parcels WHERE id = ?').get(event.parcelId) as { status: ParcelStatus; compartment_id: string } | undefined;
    if (parcel?.status !== 'deposited') return;
    // No door moves, so nothing for the door audit log; the reason stays with the alarm.
    this.#transition(event.parcelId, 'deposit_refused');
    this.#alarm(parcel.compartment_id, 'uncertain');
    this.#changed();
  }

  // ── Internals ───────────────────────────────────────────────────────────────────

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #at(): string {
    return new Date(this.#now()).toISOString();
  }

  #stationSecret(): Buffer {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'secret'").get() as { value: string } | undefined;
    if (row) return Buffer.from(row.value, 'hex');
    const secret = randomBytes(32);
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('secret', ?)").run(secret.toString('hex'));
    return secret;
  }

  #verify<K extends CodeKind>(text: string, expect: K): VerifyResult<K> {
    const nowMs = this.#now();
    const keySet = this.keys.current(nowMs);
    if (!keySet || keySet.keys.length === 0) {
      // Without keys nothing can be verified; say so rather than "unknown issuer".
      return { ok: false, reason: 'unknown_key' };
    }
    return verifyCode(text, {
      keySet,
      nowMs,
      expect,
      checkSignature: ed25519Check,
      hallId: this.options.hallId,
      claimNonce: (nonce, expiresAtMs) => this.#nonces.claim(nonce, expiresAtMs, nowMs),
    });
  }

  #refused(reason: LockerRefusal, lockedUntilMs?: number): LockerScanResult {
    return {
      kind: 'refused',
      reason,
      message: lockerRefusalMessage(reason),
      ...(lockedUntilMs === undefined ? {} : { lockedUntil: new Date(lockedUntilMs).toISOString() }),
    };
  }

  #failedPickup(reason: LockerRefusal): LockerScanResult {
    const locked = this.#limiter.recordFailure(reason, this.#now());
    this.#changed();
    return locked ? this.#refused('locked_out', locked) : this.#refused(reason);
  }

  async #depositOne(text: string): Promise<LockerItem | { reason: LockerRefusal }> {
    if (!this.keys.current(this.#now())?.keys.length) return { reason: 'no_key_set' };
    const verified = this.#verify(text, 'deposit');
    if (!verified.ok) return { reason: verified.reason };
    const code = verified.payload;
    if (this.db.prepare('SELECT 1 FROM parcels WHERE id = ?').get(code.parcelId)) return { reason: 'already_deposited' };
    // A counter's own code (API away when it was printed): the central API checks it again and credits that counter.
    const delegated = verified.delegated ? text.trim() : null;
    const reason = `deposit of case ${code.caseNumber}${verified.delegated ? ` (code signed offline by counter ${verified.delegated.deviceId})` : ''}`;
    // A jammed door takes its compartment out of service and the next fitting one is tried.
    for (let attempt = 0; attempt < 3; attempt++) {
      const compartment = pickCompartment(this.options.layout.compartments, code.size, (id) => this.#useOf(id));
      if (!compartment) return attempt === 0 ? { reason: 'no_free_compartment' } : this.#depositFailed(code);
      this.#insertParcel(code, compartment.id, attempt === 0, delegated);
      const item = await this.#openFor(this.#row(code.parcelId), 'deposit', 'clerk:deposit-code', reason);
      if (item.status !== 'deposit_failed') return { ...item, maskedName: code.maskedName };
    }
    return this.#depositFailed(code);
  }

  #depositFailed(code: VerifiedCode<'deposit'>): { reason: LockerRefusal } {
    const row = this.db.prepare('SELECT * FROM parcels WHERE id = ?').get(code.parcelId) as ParcelRow | undefined;
    if (row) this.#enqueue({ type: 'flagged', parcelId: row.id, compartmentId: row.compartment_id, reason: 'deposit_failed' });
    return { reason: 'device_error' };
  }

  #insertParcel(code: VerifiedCode<'deposit'>, compartmentId: string, first: boolean, delegatedCode: string | null): void {
    const at = this.#at();
    if (first) {
      this.db
        .prepare(
          `INSERT INTO parcels (id, case_number, size, compartment_id, subject, id_check_salt, id_check_hash, masked_name, status, updated_at, delegated_code)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'depositing', ?, ?)`,
        )
        .run(code.parcelId, code.caseNumber, code.size, compartmentId, Buffer.from(code.subject).toString('hex'), Buffer.from(code.idCheckSalt).toString('hex'), Buffer.from(code.idCheckHash).toString('hex'), code.maskedName, at, delegatedCode);
    } else {
      this.db.prepare("UPDATE parcels SET compartment_id = ?, status = 'depositing', updated_at = ? WHERE id = ?").run(compartmentId, at, code.parcelId);
    }
  }

  #row(parcelId: string): ParcelRow {
    return this.db.prepare('SELECT * FROM parcels WHERE id = ?').get(parcelId) as ParcelRow;
  }

  /**
   * The write-ahead door opening. The intent (and, for pickups, the spent code) is
   * committed before the lock board hears anything.
   */
  async #openFor(parcel: ParcelRow, purpose: Purpose, actor: string, reason: string): Promise<LockerItem> {
    const compartment = this.#byId.get(parcel.compartment_id);
    if (!compartment) throw new Error(`compartment ${parcel.compartment_id} is not in the layout`);
    const opId = randomUUID();
    this.db.transaction(() => {
      if (purpose !== 'deposit') this.#transition(parcel.id, purpose === 'pickup' ? 'pickup_started' : 'return_started');
      this.db
        .prepare("INSERT INTO door_ops (id, parcel_id, compartment_id, purpose, state, actor, created_at, updated_at) VALUES (?, ?, ?, ?, 'intent', ?, ?, ?)")
        .run(opId, parcel.id, compartment.id, purpose, actor, this.#at(), this.#at());
      this.#audit(compartment.id, parcel.id, 'open_intent', actor, reason);
    })();
    this.#changed();

    let opened = false;
    try {
      opened = (await this.options.controller.open(compartment.board, compartment.lock)).opened;
    } catch {
      // No answer from the board: the door may or may not have opened. Ask it once more
      // for the state; never send a second open.
      opened = await this.options.controller.isOpen(compartment.board, compartment.lock).catch(() => false);
    }
    this.db.transaction(() => {
      if (opened) {
        this.#setOp(opId, 'open');
        this.#transition(parcel.id, OPENING[purpose]);
        this.#audit(compartment.id, parcel.id, 'opened', actor, reason);
      } else {
        this.#setOp(opId, 'jammed');
        this.#transition(parcel.id, 'door_jammed');
        this.#audit(compartment.id, parcel.id, 'jammed', actor, reason);
        this.db.prepare("INSERT OR REPLACE INTO out_of_service (compartment_id, reason, at) VALUES (?, 'jammed', ?)").run(compartment.id, this.#at());
        if (purpose !== 'deposit') this.#enqueue({ type: 'flagged', parcelId: parcel.id, compartmentId: compartment.id, reason: 'door_jammed' });
      }
    })();
    if (!opened && purpose !== 'deposit') this.#alarm(compartment.id, 'jammed');
    this.#changed();
    return this.#item(this.#row(parcel.id));
  }

  #transition(parcelId: string, event: ParcelEvent): ParcelStatus {
    const row = this.db.prepare('SELECT status FROM parcels WHERE id = ?').get(parcelId) as { status: ParcelStatus } | undefined;
    if (!row) throw new Error(`parcel ${parcelId} is not here`);
    const next = nextParcelStatus(row.status, event);
    if (!next) throw new Error(`parcel ${parcelId}: ${event} is not allowed while ${row.status}`);
    this.db.prepare('UPDATE parcels SET status = ?, updated_at = ? WHERE id = ?').run(next, this.#at(), parcelId);
    return next;
  }

  #setOp(id: string, state: OpState): void {
    this.db.prepare('UPDATE door_ops SET state = ?, updated_at = ? WHERE id = ?').run(state, this.#at(), id);
  }

  #audit(compartmentId: string, parcelId: string, action: DoorAction, actor: string, reason: string): void {
    this.audit.append({ compartmentId, parcelId, action, actor, reason }, this.#at());
  }

  #enqueue(event: LockerEventDraft): void {
    const full = { ...event, id: randomUUID(), at: this.#at() } as LockerEvent;
    this.db.prepare('INSERT INTO outbox (id, json) VALUES (?, ?)').run(full.id, JSON.stringify(full));
    queueMicrotask(() => this.emit('outbox'));
  }

  #occupied(): Set<string> {
    const rows = this.db.prepare('SELECT compartment_id, status FROM parcels').all() as { compartment_id: string; status: ParcelStatus }[];
    return new Set(rows.filter((r) => occupiesCompartment(r.status)).map((r) => r.compartment_id));
  }

  #useOf(id: string): 'free' | 'occupied' | 'out_of_service' {
    if (this.db.prepare('SELECT 1 FROM out_of_service WHERE compartment_id = ?').get(id)) return 'out_of_service';
    return this.#occupied().has(id) ? 'occupied' : 'free';
  }

  #unclaimedRows(): ParcelRow[] {
    const now = this.#now();
    return (this.db.prepare("SELECT * FROM parcels WHERE status = 'deposited'").all() as ParcelRow[]).filter(
      (p) => p.deposited_at !== null && isUnclaimed(Date.parse(p.deposited_at), now, this.options.unclaimedDays),
    );
  }

  #item(row: ParcelRow): LockerItem {
    return { parcelId: row.id, caseNumber: row.case_number, compartmentId: row.compartment_id, status: row.status };
  }

  async #readIdNumber(): Promise<string | undefined> {
    const reader = this.options.idCardReader;
    if (!reader) return undefined;
    const deadline = this.#now() + (this.options.cardWaitMs ?? 20_000);
    while (Date.now() <= deadline && !this.#stopped) {
      const read = await reader.read().catch(() => undefined);
      if (read) return read.document.idNumber;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return undefined;
  }

  #alarm(compartmentId: string, kind: LockerAlarm['kind']): void {
    const message =
      kind === 'left_open'
        ? { zh: `${compartmentId}号柜门未关闭，请关好柜门`, en: `Door ${compartmentId} is open. Please close it.` }
        : kind === 'jammed'
          ? { zh: `${compartmentId}号柜门无法打开，请到窗口领取`, en: `Door ${compartmentId} would not open. Please collect your documents at a counter.` }
          : { zh: `${compartmentId}号柜需工作人员核查`, en: `Compartment ${compartmentId} needs a staff check.` };
    this.emit('alarm', { compartmentId, kind, at: this.#at(), message });
  }

  #changed(): void {
    if (!this.#stopped) this.emit('changed', this.status());
  }

  /** Restart: an intent without a result is settled by asking the door, never by opening it. */
  async #recover(): Promise<void> {
    const pending = this.db.prepare("SELECT * FROM door_ops WHERE state = 'intent'").all() as DoorOpRow[];
    for (const op of pending) {
      const compartment = this.#byId.get(op.compartment_id);
      if (!compartment) continue;
      const open = await this.options.controller.isOpen(compartment.board, compartment.lock).catch(() => undefined);
      if (open === undefined) continue; // the board is silent; try again on the next start
      this.db.transaction(() => {
        if (open) {
          this.#setOp(op.id, 'open');
          this.#transition(op.parcel_id, 'door_opened');
          this.#audit(op.compartment_id, op.parcel_id, 'found_open_after_restart', 'station', 'restart during an opening');
        } else {
          this.#setOp(op.id, 'uncertain');
          this.#transition(op.parcel_id, 'restart_door_closed');
          this.#audit(op.compartment_id, op.parcel_id, 'uncertain_after_restart', 'station', 'restart during an opening; door found closed');
          this.#enqueue({ type: 'flagged', parcelId: op.parcel_id, compartmentId: op.compartment_id, reason: 'uncertain_after_restart' });
        }
      })();
      if (!open) this.#alarm(op.compartment_id, 'uncertain');
    }
    this.#changed();
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.pollDoors().finally(() => this.#schedulePoll());
    }, this.options.doorPollMs ?? 300);
  }

  /** Checks every open door; public so tests can step it without timers. */
  pollDoors(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#polling ??= this.#pollOnce().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #pollOnce(): Promise<void> {
    {
      const ops = this.db.prepare("SELECT * FROM door_ops WHERE state = 'open'").all() as DoorOpRow[];
      for (const op of ops) {
        const compartment = this.#byId.get(op.compartment_id);
        if (!compartment) continue;
        const open = await this.options.controller.isOpen(compartment.board, compartment.lock).catch(() => undefined);
        if (open === undefined || this.#stopped) continue;
        if (!open) this.#closed(op);
        else if (!op.left_open_reported && this.#now() - Date.parse(op.updated_at) >= (this.options.leftOpenAfterMs ?? 60_000)) {
          this.db.transaction(() => {
            this.db.prepare('UPDATE door_ops SET left_open_reported = 1 WHERE id = ?').run(op.id);
            this.#audit(op.compartment_id, op.parcel_id, 'left_open', 'station', 'door left open');
            this.#enqueue({ type: 'door_left_open', parcelId: op.parcel_id, compartmentId: op.compartment_id });
          })();
          this.#alarm(op.compartment_id, 'left_open');
          this.#changed();
        }
      }
    }
  }

  #closed(op: DoorOpRow): void {
    this.db.transaction(() => {
      this.#setOp(op.id, 'closed');
      const status = this.#transition(op.parcel_id, 'door_closed');
      this.#audit(op.compartment_id, op.parcel_id, 'closed', 'station', `door closed after ${op.purpose}`);
      const parcel = this.#row(op.parcel_id);
      if (status === 'deposited') {
        // The pickup code is made now: the item is in, and this station alone can open it.
        const code = newPickupCode();
        this.db
          .prepare('UPDATE parcels SET pickup_code_hash = ?, deposited_at = ? WHERE id = ?')
          .run(hmacHex(this.#secret, `${parcel.id}:${code}`), this.#at(), parcel.id);
        this.#enqueue({
          type: 'deposited',
          parcelId: parcel.id,
          compartmentId: parcel.compartment_id,
          size: parcel.size as CompartmentSize,
          caseNumber: parcel.case_number,
          pickupCode: code,
          ...(parcel.delegated_code ? { delegatedCode: parcel.delegated_code } : {}),
        });
      } else if (status === 'picked_up') {
        this.#enqueue({ type: 'picked_up', parcelId: parcel.id, compartmentId: parcel.compartment_id, by: op.actor === 'citizen:residence-code' ? 'residence_code' : 'pickup_code_and_id_card' });
      } else if (status === 'returned') {
        this.#enqueue({ type: 'returned', parcelId: parcel.id, compartmentId: parcel.compartment_id, staffId: op.actor.replace(/^staff:/, '') });
      }
    })();
    this.#changed();
  }
}

