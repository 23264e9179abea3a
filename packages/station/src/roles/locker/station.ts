import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import {
  claimedCodeKind,
  type Compartment,
  type CompartmentView,
  type LockerAlarm,
  type LockerEvent,
  type LockerItem,
  type LockerScanResult,
  type LockerStatus,
} from '@hall/shared';
import { lockerAlarm } from './rules/alarms';
import { AuditLog } from './audit';
import { CodeChecker } from './codes';
import { openLockerDb } from './db';
import { Deposits } from './deposits';
import { Doors, lockerItem } from './doors';
import { LockerEventOutbox } from './events';
import { KeyCache, NonceLedger, ResidenceCodeRepository } from './keys';
import type { LockerStationOptions } from './options';
import { Pickups } from './pickups';
import { AttemptLimiter, DEFAULT_RATE_LIMIT } from './rateLimit';
import { LockerRepository } from './repository';

export type { LockerStationOptions } from './options';

export type LockerStationEvents = {
  changed: [status: LockerStatus];
  alarm: [alarm: LockerAlarm];
  /** A new event waits in the outbox (the server link pushes it). */
  outbox: [];
};

/**
 * A locker station's logic: scans are routed to deposits (deposits.ts) and pickups
 * (pickups.ts), one at a time; every door opening goes through the write-ahead steps of
 * doors.ts; events for the central API wait in events.ts; the SQL is in repository.ts.
 */
export class LockerStation extends EventEmitter<LockerStationEvents> {
  readonly db: Database.Database;
  readonly audit: AuditLog;
  readonly keys: KeyCache;
  readonly #repo: LockerRepository;
  readonly #limiter: AttemptLimiter;
  readonly #events: LockerEventOutbox;
  readonly #doors: Doors;
  readonly #deposits: Deposits;
  readonly #pickups: Pickups;
  readonly #now: () => number;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #online = false;
  #stopped = false;

  constructor(private readonly options: LockerStationOptions) {
    super();
    this.db = openLockerDb(options.file);
    this.#repo = new LockerRepository(this.db);
    this.audit = new AuditLog(this.#repo);
    const codeRepository = new ResidenceCodeRepository(this.db);
    this.keys = new KeyCache(codeRepository);
    this.#limiter = new AttemptLimiter(this.#repo, options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.#now = options.now ?? Date.now;
    const now = this.#now;
    const secret = this.#repo.stationSecret();
    const changed = () => this.#changed();
    const stopped = () => this.#stopped;
    const codes = new CodeChecker(this.keys, new NonceLedger(codeRepository), options.hallId, now);
    this.#events = new LockerEventOutbox(this.#repo, () => this.#at(), () => this.emit('outbox'));
    this.#doors = new Doors({
      compartments: new Map<string, Compartment>(options.layout.compartments.map((c) => [c.id, c])),
      controller: options.controller,
      repo: this.#repo,
      audit: this.audit,
      events: this.#events,
      secret,
      now,
      leftOpenAfterMs: options.leftOpenAfterMs ?? 60_000,
      changed,
      alarm: (compartmentId, kind) => this.#alarm(compartmentId, kind),
      stopped,
    });
    this.#deposits = new Deposits({ layout: options.layout, repo: this.#repo, codes, doors: this.#doors, events: this.#events, now });
    this.#pickups = new Pickups({
      repo: this.#repo,
      codes,
      doors: this.#doors,
      limiter: this.#limiter,
      secret,
      idCardReader: options.idCardReader,
      cardWaitMs: options.cardWaitMs ?? 20_000,
      unclaimedDays: options.unclaimedDays,
      now,
      changed,
      stopped,
    });
  }

  /** Resolves interrupted door operations, then watches open doors. */
  async start(): Promise<void> {
    await this.#serial(() => this.#doors.recover());
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
    return this.#serial(() => this.#deposits.deposit(codes));
  }

  pickupWithResidenceCode(text: string): Promise<LockerScanResult> {
    return this.#serial(() => this.#pickups.withResidenceCode(text));
  }

  /** Fallback for citizens without a phone: the SMS pickup code plus their ID card on the reader. */
  pickupWithCard(pickupCode: string): Promise<LockerScanResult> {
    return this.#serial(() => this.#pickups.withCard(pickupCode));
  }

  /** A clerk's staff code opens every unclaimed (and every flagged) compartment to take the items back. */
  returnUnclaimed(text: string): Promise<LockerScanResult> {
    return this.#serial(() => this.#pickups.returnUnclaimed(text));
  }

  // ── Status ──────────────────────────────────────────────────────────────────────

  status(): LockerStatus {
    const openDoors = new Map(this.#repo.doorOps('intent', 'open').map((o) => [o.compartment_id, o]));
    const occupied = this.#repo.occupiedCompartments();
    const broken = this.#repo.outOfService();
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
    return {
      compartments,
      lockedUntil: locked === undefined ? null : new Date(locked).toISOString(),
      keysCachedUntil: this.keys.usableUntil(this.#now()) ?? null,
      pendingEvents: this.#events.pendingCount(),
      online: this.#online,
      unclaimed: this.#repo.unclaimed(this.#now(), this.options.unclaimedDays).map(lockerItem),
    };
  }

  parcel(id: string): (LockerItem & { depositedAt: string | null }) | undefined {
    const row = this.#repo.parcel(id);
    return row && { ...lockerItem(row), depositedAt: row.deposited_at };
  }

  // ── Outbox (pushed by the server link) ──────────────────────────────────────────

  pendingEvents(limit = 100): LockerEvent[] {
    return this.#events.pending(limit);
  }

  /** Acknowledged events are kept (as history) with the pickup code scrubbed: the station keeps only its hash. */
  markSent(ids: readonly string[]): void {
    this.#events.markSent(ids);
    this.#changed();
  }

  /**
   * The central API refused an event. A refused deposit means this parcel is not this
   * locker's to hand out (another locker took it first, or it is unknown): it is held for
   * staff instead of opening for a citizen.
   */
  settleRefused(eventId: string): void {
    const event = this.#events.event(eventId);
    if (event?.type !== 'deposited') return;
    const parcel = this.#repo.parcel(event.parcelId);
    if (parcel?.status !== 'deposited') return;
    // No door moves, so nothing for the door audit log; the reason stays with the alarm.
    this.#repo.transition(event.parcelId, 'deposit_refused', this.#at());
    this.#alarm(parcel.compartment_id, 'uncertain');
    this.#changed();
  }

  // ── Doors ───────────────────────────────────────────────────────────────────────

  /** Checks every open door; public so tests can step it without timers. */
  pollDoors(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#polling ??= this.#doors.poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.pollDoors().finally(() => this.#schedulePoll());
    }, this.options.doorPollMs ?? 300);
  }

  // ── Internals ───────────────────────────────────────────────────────────────────

  /** Scans run one at a time: a door operation finishes before the next scan is looked at. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #at(): string {
    return new Date(this.#now()).toISOString();
  }

  #alarm(compartmentId: string, kind: LockerAlarm['kind']): void {
    this.emit('alarm', lockerAlarm(compartmentId, kind, this.#at()));
  }

  #changed(): void {
    if (!this.#stopped) this.emit('changed', this.status());
  }
}
