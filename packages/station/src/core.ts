import { randomBytes } from 'node:crypto';
import {
  CLERK_PROOF_FIELD,
  CLERK_SESSION_HOURS,
  checkOrigin,
  COUNTER_BOUND_TYPES,
  mutationStaffId,
  executeContext,
  executeIntent,
  queueIntent,
  uuidV7,
  type AnyIntent,
  type CaseDraft,
  type Catalogue,
  type Case,
  type CounterState,
  type HallState,
  type Mutation,
  type QueueMutationType,
  type ReleaseClaim,
  type StationRole,
  type Ticket,
  type TicketKind,
  localDay,
  type QueueCommand,
  type QueueCommandOf,
} from '@hall/shared';
import type { ClerkSessionProver } from './clerk/session';
import type { DeviceProver } from './sync/deviceProof';
import { LocalRejection, StationStore, type CommitResult, type IntentExecutor } from './store/store';

const COUNTER_BOUND: ReadonlySet<string> = new Set(COUNTER_BOUND_TYPES);

/** The engine behind every local decision: the shared executor over the cached catalogue. */
export const stationExecutor: IntentExecutor = (state: HallState, intent: AnyIntent, catalogue: Catalogue | undefined) => {
  if (!catalogue) return { ok: false, code: 'no_catalogue', reason: 'the hall catalogue has not been downloaded yet' };
  return executeIntent(state, intent, executeContext(catalogue));
};

export interface StationIdentity {
  deviceId: string;
  hallId: string;
  role: StationRole;
  counterId?: string;
  /** The clerk signed in at this counter: counter commands carry it, so the ticket records who served it. */
  staffId?: string;
}

export interface IssueRequest {
  serviceIds: string[];
  kind: Exclude<TicketKind, 'appointment'>;
  priorityGroupId?: string;
  citizen?: Ticket['citizen'];
  /** 一号联办 for a family: the member each matter is for, when not `citizen`. */
  matterCitizens?: Ticket['matterCitizens'];
  /** 现场号/特殊号: the floor guide's release (kiosk role, release.ts). */
  release?: ReleaseClaim;
}

type CounterOp = Exclude<QueueMutationType, 'issueTicket' | 'addService' | 'cancelTicket' | 'transfer'>;

/**
 * The station's intents: each becomes one local transaction (state + outbox). Ids are
 * minted here, so a retried screen action never creates a second ticket: the renderer
 * gets the committed result or a LocalRejection, nothing in between.
 */
export class StationCore {
  constructor(
    readonly store: StationStore,
    readonly identity: StationIdentity,
    private readonly now: () => number = Date.now,
  ) {
    store.evidence = (mutation) => {
      const clerk = this.clerkEvidence(mutation);
      const withClerk = clerk ? { ...mutation, payload: { ...mutation.payload, ...clerk } } : mutation;
      return { ...clerk, ...this.deviceProver?.prove(withClerk) };
    };
    store.reprove = (mutation) => this.deviceProver?.prove(mutation);
  }

  /** Set once the central API has issued this enrollment its device key (runtime.ts ensureDeviceKey); until then mutations carry no device proof. */
  deviceProver: DeviceProver | undefined;

  static open(file: string, identity: StationIdentity, now: () => number = Date.now): StationCore {
    return new StationCore(StationStore.open(file, identity.deviceId, stationExecutor, now), identity, now);
  }

  /** The counter this device is bound to (its config, as the central API has it), once guardOrigin is on. */
  boundCounterId: string | undefined;

  /**
   * Refuses here what the central API would refuse from this device, before the screen
   * shows it: its role's mutations only, for the counter it is configured for (the one the
   * central API binds it to). Stations turn it on (startStation); tests that play a whole
   * hall on one core leave it off.
   */
  guardOrigin(): void {
    const { deviceId, role, counterId } = this.identity;
    this.boundCounterId = counterId;
    this.store.originGuard = (intent, state) => checkOrigin({ id: deviceId, role, counterId }, intent, state);
    // Without a clerk the central API would reject counter mutations later, so they are
    // refused now, while the clerk is looking.
    this.clerkRequired = true;
  }

  /** The clerk signed in at this counter (CounterRole), or none. */
  private clerk: ClerkSessionProver | undefined;
  private clerkRequired = false;

  /** Counter mutations carry the proof that the clerk signed in here (clerk/session.ts). */
  private clerkEvidence(mutation: Mutation): Record<string, unknown> | undefined {
    if (!COUNTER_BOUND.has(mutation.type)) return undefined;
    const clerk = this.clerk;
    if (!clerk) {
      if (this.clerkRequired) throw new LocalRejection('not_signed_in', 'a clerk must sign in at this window first');
      return undefined;
    }
    if (this.now() > clerk.expiresAtMs) {
      throw new LocalRejection('session_expired', `the sign-in of ${clerk.facts.startedAt} has lasted ${CLERK_SESSION_HOURS} hours; sign in again`);
    }
    // The central API would refuse a proof for another clerk than the one named: a bug here, not the clerk's doing.
    if (mutationStaffId(mutation.payload) !== clerk.facts.staffId) {
      throw new LocalRejection('clerk_mismatch', `${mutation.type} names clerk ${mutationStaffId(mutation.payload) ?? 'none'}; ${clerk.facts.staffId} is signed in here`);
    }
    return { [CLERK_PROOF_FIELD]: clerk.prove(mutation) };
  }

  clerkSession(): ClerkSessionProver | undefined {
    return this.clerk;
  }

  setClerkSession(session: ClerkSessionProver | undefined): void {
    this.clerk = session;
    if (session) this.identity.staffId = session.facts.staffId;
    else delete this.identity.staffId;
  }

  /** Runs `work` with `session` as the signed-in clerk (a rating that arrives after the clerk signed out). */
  withClerkSession<T>(session: ClerkSessionProver, work: () => T): T {
    const before = this.clerk;
    this.clerk = session;
    try {
      return work();
    } finally {
      this.clerk = before;
    }
  }

  private catalogue(): Catalogue {
    const catalogue = this.store.catalogue;
    if (!catalogue) throw new LocalRejection('no_catalogue', 'the hall catalogue has not been downloaded yet');
    return catalogue;
  }

  private newId(): string {
    return uuidV7(this.now(), randomBytes(10));
  }

  /** Now by this station's clock, as its mutations record it. */
  at(): string {
    return new Date(this.now()).toISOString();
  }

  /** Today in the hall's time zone: numbers and leases are per hall-local day. */
  today(): string {
    return localDay(this.now(), this.catalogue().hall.timeZone);
  }

  /**
   * The central API's clock minus this station's, as last measured on a sync round trip
   * (the runtime sets it; it outlives an outage and a restart), or undefined if never.
   */
  clockOffset: () => number | undefined = () => undefined;

  /**
   * A ticket's place in the queue by the hall's clock (QueueCommand `queuedAt`): this PC's
   * clock corrected by its measured offset, so a kiosk whose clock is off still queues its
   * citizens where they stand while the API is away. Nothing when the clock is right.
   */
  hallQueuedAt(at: string): { queuedAt?: string } {
    const offset = this.clockOffset();
    if (offset === undefined || Math.abs(offset) < 1_000) return {};
    return { queuedAt: new Date(Date.parse(at) + offset).toISOString() };
  }

  /** Issues a ticket numbered from this kiosk's leased block: answers without the network. */
  issueTicket(request: IssueRequest): Ticket {
    const catalogue = this.catalogue();
    const first = request.serviceIds[0];
    const service = catalogue.services.find((s) => s.id === first);
    if (!service) throw new LocalRejection('unknown_service', `service ${first ?? '?'} does not exist`);
    return this.issueNumbered(service.queueId, (ticketId, sequence) => ({
      type: 'issueTicket',
      ticketId,
      queueId: service.queueId,
      serviceIds: request.serviceIds,
      kind: request.kind,
      sequence,
      deviceId: this.identity.deviceId,
      ...(request.priorityGroupId === undefined ? {} : { priorityGroupId: request.priorityGroupId }),
      ...(request.citizen === undefined ? {} : { citizen: request.citizen }),
      ...(request.matterCitizens === undefined ? {} : { matterCitizens: request.matterCitizens }),
      ...(request.release === undefined ? {} : { release: request.release }),
    }));
  }

  /**
   * Commits a ticket (an issue or an appointment's check-in) numbered from this kiosk's leased
   * block for `queueId`, queued by the hall's clock. A leased number already on a ticket (a block
   * the server re-leased after a wipe) is burnt and the next one tried, so one bad number never
   * blocks the kiosk.
   */
  issueNumbered(queueId: string, command: (ticketId: string, sequence: number) => QueueCommandOf<'issueTicket' | 'checkIn'>): Ticket {
    const ticketId = this.newId();
    const at = this.at();
    const day = this.today();
    const commit = () => this.store.commitWithNumber(queueId, day, (sequence) => queueIntent({ ...command(ticketId, sequence), ...this.hallQueuedAt(at) }, at));
    for (let attempt = 0; ; attempt++) {
      try {
        return this.ticketFrom(commit(), ticketId);
      } catch (error) {
        if (!(error instanceof LocalRejection) || error.code !== 'number_taken' || attempt >= 20) throw error;
        this.store.burnNumber(queueId, day);
      }
    }
  }

  private counterId(): string {
    if (!this.identity.counterId) throw new LocalRejection('not_a_counter', 'this station serves no counter');
    return this.identity.counterId;
  }

  private commitQueue(command: QueueCommand & { type: QueueMutationType }): CommitResult {
    return this.store.commit(queueIntent(command, this.at(), this.identity.staffId));
  }

  /** 顺呼: the engine picks by the hall's calling rules; the pick is pinned in the outbox. */
  callNext(): Ticket | null {
    const counterId = this.counterId();
    const at = this.at();
    const probe = stationExecutor(this.store.live, queueIntent({ type: 'callNext', counterId }, at), this.store.catalogue);
    if (!probe.ok) {
      if (probe.code === 'no_ticket_waiting') return null;
      throw new LocalRejection(probe.code, probe.reason);
    }
    const called = probe.events.find((e) => e.type === 'ticketCalled');
    if (!called || called.type !== 'ticketCalled') return null;
    const result = this.store.commit(queueIntent({ type: 'callNext', counterId, ticketId: called.ticketId }, at, this.identity.staffId));
    return this.ticketFrom(result, called.ticketId);
  }

  ticketCommand(type: 'callSpecific' | 'recall' | 'markMissed' | 'startServing' | 'finish', ticketId: string): Ticket {
    const result = this.commitQueue({ type, counterId: this.counterId(), ticketId });
    return this.ticketFrom(result, ticketId);
  }

  transfer(ticketId: string, target: { toQueueId?: string; toCounterId?: string }): Ticket {
    const result = this.commitQueue({ type: 'transfer', counterId: this.counterId(), ticketId, ...target });
    return this.ticketFrom(result, ticketId);
  }

  counterCommand(type: Extract<CounterOp, 'openCounter' | 'closeCounter' | 'resumeCounter'>): CounterState;
  counterCommand(type: 'pauseCounter', reason: string): CounterState;
  counterCommand(type: 'openCounter' | 'closeCounter' | 'resumeCounter' | 'pauseCounter', reason?: string): CounterState {
    const counterId = this.counterId();
    const command =
      type === 'pauseCounter' ? { type, counterId, reason: reason ?? '' } : ({ type, counterId } as QueueCommand & { type: QueueMutationType });
    this.commitQueue(command);
    return this.store.live.queue.counters[counterId]?.state ?? { status: 'closed' };
  }

  submitForm(draft: CaseDraft): Case {
    const caseId = this.newId();
    this.store.commit({ type: 'submitForm', payload: { ...draft, caseId, at: this.at() } });
    const created = this.store.live.cases[caseId];
    if (!created) throw new LocalRejection('internal', 'case was not recorded');
    return created;
  }

  private ticketFrom(_result: CommitResult, ticketId: string): Ticket {
    const ticket = this.store.live.queue.tickets[ticketId];
    if (!ticket) throw new LocalRejection('internal', `ticket ${ticketId} missing after commit`);
    return ticket;
  }

  close(): void {
    this.store.close();
  }
}
