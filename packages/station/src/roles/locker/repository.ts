import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { isUnclaimed, nextParcelStatus, occupiesCompartment, type LockerEvent, type ParcelEvent, type ParcelStatus } from '@hall/shared';
import type { AuditRecord, AuditRow, DoorAction } from './audit';

export type DoorPurpose = 'deposit' | 'pickup' | 'return';
export type DoorOpState = 'intent' | 'open' | 'closed' | 'jammed' | 'uncertain';

export interface ParcelRow {
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

export interface DoorOpRow {
  id: string;
  parcel_id: string;
  compartment_id: string;
  purpose: DoorPurpose;
  state: DoorOpState;
  updated_at: string;
  left_open_reported: number;
  actor: string;
}

/** A parcel as a deposit code describes it (binary fields hex-encoded). */
export interface NewParcel {
  id: string;
  caseNumber: string;
  size: string;
  compartmentId: string;
  subject: string;
  idCheckSalt: string;
  idCheckHash: string;
  maskedName: string;
  delegatedCode: string | null;
}

export type CompartmentUse = 'free' | 'occupied' | 'out_of_service';

/**
 * The locker database's parcels, door operations, out-of-service compartments, event
 * outbox, station secret, audit log and failed pickup attempts: every SQL statement of the locker logic. Callers group
 * writes with `transaction` where a door step must be recorded as one.
 */
export class LockerRepository {
  constructor(readonly db: Database.Database) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** The station's own secret (pickup codes are kept as HMACs under it), made on first start. */
  stationSecret(): Buffer {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'secret'").get() as { value: string } | undefined;
    if (row) return Buffer.from(row.value, 'hex');
    const secret = randomBytes(32);
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('secret', ?)").run(secret.toString('hex'));
    return secret;
  }

  // ── Parcels ─────────────────────────────────────────────────────────────────────

  parcel(id: string): ParcelRow | undefined {
    return this.db.prepare('SELECT * FROM parcels WHERE id = ?').get(id) as ParcelRow | undefined;
  }

  depositedFor(subject: string): ParcelRow[] {
    return this.db.prepare("SELECT * FROM parcels WHERE subject = ? AND status = 'deposited' ORDER BY compartment_id").all(subject) as ParcelRow[];
  }

  depositedWithPickupCode(): ParcelRow[] {
    return this.db.prepare("SELECT * FROM parcels WHERE status = 'deposited' AND pickup_code_hash IS NOT NULL").all() as ParcelRow[];
  }

  /** Parcels whose door failed or whose state a restart could not tell: staff take them back. */
  needingStaff(): ParcelRow[] {
    return this.db.prepare("SELECT * FROM parcels WHERE status IN ('jammed', 'uncertain')").all() as ParcelRow[];
  }

  unclaimed(nowMs: number, unclaimedDays: number | undefined): ParcelRow[] {
    return (this.db.prepare("SELECT * FROM parcels WHERE status = 'deposited'").all() as ParcelRow[]).filter(
      (p) => p.deposited_at !== null && isUnclaimed(Date.parse(p.deposited_at), nowMs, unclaimedDays),
    );
  }

  /** A parcel placed for the first time, in the 'depositing' state. */
  insertParcel(parcel: NewParcel, at: string): void {
    this.db
      .prepare(
        `INSERT INTO parcels (id, case_number, size, compartment_id, subject, id_check_salt, id_check_hash, masked_name, status, updated_at, delegated_code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'depositing', ?, ?)`,
      )
      .run(parcel.id, parcel.caseNumber, parcel.size, parcel.compartmentId, parcel.subject, parcel.idCheckSalt, parcel.idCheckHash, parcel.maskedName, at, parcel.delegatedCode);
  }

  /** A deposit tried again in another compartment (the first door jammed). */
  moveParcel(parcelId: string, compartmentId: string, at: string): void {
    this.db.prepare("UPDATE parcels SET compartment_id = ?, status = 'depositing', updated_at = ? WHERE id = ?").run(compartmentId, at, parcelId);
  }

  /** Moves a parcel on by `event` (the parcel rules decide); throws when the parcel is missing or the step not allowed. */
  transition(parcelId: string, event: ParcelEvent, at: string): ParcelStatus {
    const row = this.db.prepare('SELECT status FROM parcels WHERE id = ?').get(parcelId) as { status: ParcelStatus } | undefined;
    if (!row) throw new Error(`parcel ${parcelId} is not here`);
    const next = nextParcelStatus(row.status, event);
    if (!next) throw new Error(`parcel ${parcelId}: ${event} is not allowed while ${row.status}`);
    this.db.prepare('UPDATE parcels SET status = ?, updated_at = ? WHERE id = ?').run(next, at, parcelId);
    return next;
  }

  setPickupCode(parcelId: string, pickupCodeHash: string, depositedAt: string): void {
    this.db.prepare('UPDATE parcels SET pickup_code_hash = ?, deposited_at = ? WHERE id = ?').run(pickupCodeHash, depositedAt, parcelId);
  }

  forgetDelegatedCode(parcelId: string): void {
    this.db.prepare('UPDATE parcels SET delegated_code = NULL WHERE id = ?').run(parcelId);
  }

  // ── Compartments ────────────────────────────────────────────────────────────────

  occupiedCompartments(): Set<string> {
    const rows = this.db.prepare('SELECT compartment_id, status FROM parcels').all() as { compartment_id: string; status: ParcelStatus }[];
    return new Set(rows.filter((r) => occupiesCompartment(r.status)).map((r) => r.compartment_id));
  }

  /** Compartments out of service, with why. */
  outOfService(): Map<string, string> {
    const rows = this.db.prepare('SELECT compartment_id, reason FROM out_of_service').all() as { compartment_id: string; reason: string }[];
    return new Map(rows.map((r) => [r.compartment_id, r.reason]));
  }

  compartmentUse(compartmentId: string): CompartmentUse {
    if (this.db.prepare('SELECT 1 FROM out_of_service WHERE compartment_id = ?').get(compartmentId)) return 'out_of_service';
    return this.occupiedCompartments().has(compartmentId) ? 'occupied' : 'free';
  }

  markJammed(compartmentId: string, at: string): void {
    this.db.prepare("INSERT OR REPLACE INTO out_of_service (compartment_id, reason, at) VALUES (?, 'jammed', ?)").run(compartmentId, at);
  }

  // ── Door operations ─────────────────────────────────────────────────────────────

  insertDoorOp(op: { id: string; parcelId: string; compartmentId: string; purpose: DoorPurpose; actor: string }, at: string): void {
    this.db
      .prepare("INSERT INTO door_ops (id, parcel_id, compartment_id, purpose, state, actor, created_at, updated_at) VALUES (?, ?, ?, ?, 'intent', ?, ?, ?)")
      .run(op.id, op.parcelId, op.compartmentId, op.purpose, op.actor, at, at);
  }

  doorOps(...states: DoorOpState[]): DoorOpRow[] {
    return this.db.prepare('SELECT * FROM door_ops WHERE state IN (SELECT value FROM json_each(?))').all(JSON.stringify(states)) as DoorOpRow[];
  }

  setDoorOpState(id: string, state: DoorOpState, at: string): void {
    this.db.prepare('UPDATE door_ops SET state = ?, updated_at = ? WHERE id = ?').run(state, at, id);
  }

  markLeftOpenReported(id: string): void {
    this.db.prepare('UPDATE door_ops SET left_open_reported = 1 WHERE id = ?').run(id);
  }

  // ── Event outbox ────────────────────────────────────────────────────────────────

  appendEvent(event: LockerEvent): void {
    this.db.prepare('INSERT INTO outbox (id, json) VALUES (?, ?)').run(event.id, JSON.stringify(event));
  }

  event(id: string): LockerEvent | undefined {
    const row = this.db.prepare('SELECT json FROM outbox WHERE id = ?').get(id) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as LockerEvent);
  }

  unsentEvents(limit: number): LockerEvent[] {
    const rows = this.db.prepare('SELECT json FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?').all(limit) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as LockerEvent);
  }

  unsentCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  }

  /** Records an event as acknowledged, kept as history in the form given (scrubbed by the caller). */
  markEventSent(id: string, kept: Record<string, unknown>, at: string): void {
    this.db.prepare('UPDATE outbox SET sent_at = ?, json = ? WHERE id = ? AND sent_at IS NULL').run(at, JSON.stringify(kept), id);
  }

  // ── Audit log (audit.ts chains the rows) ───────────────────────────────────────

  lastAuditHash(): string | undefined {
    const previous = this.db.prepare('SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
    return previous?.hash;
  }

  appendAudit(record: AuditRecord, at: string, hash: string): void {
    this.db
      .prepare('INSERT INTO audit (at, compartment_id, parcel_id, action, actor, reason, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(at, record.compartmentId, record.parcelId ?? null, record.action, record.actor, record.reason, hash);
  }

  auditRows(): AuditRow[] {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as {
      seq: number;
      at: string;
      compartment_id: string;
      parcel_id: string | null;
      action: DoorAction;
      actor: string;
      reason: string;
      hash: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      compartmentId: r.compartment_id,
      ...(r.parcel_id === null ? {} : { parcelId: r.parcel_id }),
      action: r.action,
      actor: r.actor,
      reason: r.reason,
      hash: r.hash,
    }));
  }

  // ── Failed pickup attempts (rateLimit.ts decides the lockout) ──────────────────

  /** The instant (ms) pickup was locked until, when a lockout was ever recorded. */
  pickupLockedUntil(): number | undefined {
    const until = this.db.prepare("SELECT value FROM meta WHERE key = 'locked_until'").get() as { value: string } | undefined;
    return until ? Number(until.value) : undefined;
  }

  lockPickupUntil(untilMs: number): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('locked_until', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(untilMs));
  }

  forgetAttemptsBefore(ms: number): void {
    this.db.prepare('DELETE FROM attempts WHERE at < ?').run(ms);
  }

  addAttempt(atMs: number, what: string): void {
    this.db.prepare('INSERT INTO attempts (at, what) VALUES (?, ?)').run(atMs, what);
  }

  attemptsSince(ms: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE at >= ?').get(ms) as { n: number }).n;
  }

  forgetAllAttempts(): void {
    this.db.prepare('DELETE FROM attempts').run();
  }
}
