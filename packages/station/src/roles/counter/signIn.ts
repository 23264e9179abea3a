import { clerkMayServe, type ClerkSession, type Counter } from '@hall/shared';
import { openClerkSession, type ClerkSessionProver } from '../../clerk/session';
import { LocalRejection } from '../../store/store';
import type { ClerkAuth, DepartmentNames } from './clerkAuth';
import type { CounterContext } from './context';
import type { CounterRoleOptions } from './options';

/** meta key of the hall's department names, cached for offline sign-ins. */
const DEPARTMENTS_KEY = 'departments';

/**
 * The clerk's session at this window: sign-in (online or offline, on the counter the clerk is
 * assigned to), sign-out, and the session every other counter action requires.
 */
export class CounterSignIn {
  private session: ClerkSession | null = null;
  /** The clerk's central API token (online sign-ins only); memory only, gone at sign-out. */
  private centralToken: string | undefined;

  constructor(
    private readonly context: CounterContext,
    private readonly auth: ClerkAuth,
    private readonly options: Pick<CounterRoleOptions, 'departments' | 'signOut' | 'emit'>,
  ) {}

  current(): ClerkSession | null {
    return this.session;
  }

  /** The central API token of an online sign-in, while the clerk is signed in. */
  token(): string | undefined {
    return this.centralToken;
  }

  require(): ClerkSession {
    if (!this.session) throw new LocalRejection('not_signed_in', 'a clerk must sign in at this window first');
    return this.session;
  }

  /** The window the signed-in clerk serves. */
  counter(): Counter {
    const id = this.require().counterId;
    const counter = this.context.catalogue().counters.find((c) => c.id === id);
    if (!counter) throw new LocalRejection('unknown_counter', `counter ${id} is not in this hall`);
    return counter;
  }

  async login(login: string, password: string, counterId?: string): Promise<ClerkSession> {
    const catalogue = this.context.catalogue();
    const chosen = counterId ?? this.context.core.identity.counterId;
    const counter = catalogue.counters.find((c) => c.id === chosen);
    if (!counter) throw new LocalRejection('unknown_counter', `counter ${chosen ?? '?'} is not in this hall`);
    // The central API lets this device act for the counter it is bound to only: a clerk signs in there.
    const bound = this.context.core.boundCounterId;
    if (bound !== undefined && counter.id !== bound) {
      const number = catalogue.counters.find((c) => c.id === bound)?.number ?? bound;
      throw new LocalRejection('not_own_counter', `this station serves counter ${number}; sign in at counter ${counter.number}'s own station`);
    }
    if (this.session && this.session.staffId !== undefined) {
      throw new LocalRejection('session_open', `${this.session.displayName} is signed in at this window; sign out first`);
    }
    const outcome = await this.auth.login(login, password);
    if (!outcome.ok) throw new LocalRejection(outcome.code, outcome.message);
    // The console's assignment travels in the catalogue, so the same rule holds offline (the
    // verifier cached at the last online sign-in) and online; the central API checks it again.
    if (!clerkMayServe(catalogue, outcome.staff.id, counter.id)) {
      const theirs = (catalogue.clerkCounters?.[outcome.staff.id] ?? []).map((id) => catalogue.counters.find((c) => c.id === id)?.number ?? id);
      throw new LocalRejection(
        'counter_not_assigned',
        `${outcome.staff.displayName} is not assigned to counter ${counter.number} (${counter.name.zh}); assigned: ${theirs.join(', ')}`,
      );
    }
    const departmentId = counter.departmentId ?? outcome.staff.departmentId;
    const departmentName = departmentId ? (await this.departmentNames())[departmentId] : undefined;
    // The window is chosen at sign-in; every later counter action uses it (never an id sent per call).
    this.context.core.identity.counterId = counter.id;
    // Counter commands carry the clerk from now on, so central statistics know who served, and
    // the session's proof, so the central API knows the clerk signed in here (clerk/session.ts).
    openClerkSession(this.context.core, outcome.clerkKey, { staffId: outcome.staff.id, counterId: counter.id });
    this.session = {
      staffId: outcome.staff.id,
      login: outcome.staff.login,
      displayName: outcome.staff.displayName,
      staffNumber: outcome.staff.staffNumber,
      ...(departmentId ? { departmentId } : {}),
      ...(departmentName ? { departmentName } : {}),
      counterId: counter.id,
      offline: outcome.offline,
      since: this.context.at(),
    };
    this.centralToken = outcome.token;
    // A window opens when its clerk signs in (the signs show it ready), so the first call is one step.
    if (this.counterState(counter.id) === 'closed') this.context.core.counterCommand('openCounter');
    this.options.emit('clerk.session', this.session);
    return this.session;
  }

  /**
   * Signing out closes an idle or paused window; one still holding a citizen stays as it is.
   * Answers the session proof that ended, for the caller to end it at the central API once
   * nothing more is to be recorded in it (a rating may still come).
   */
  logout(): ClerkSessionProver | undefined {
    const counterId = this.session?.counterId;
    if (counterId && ['open', 'paused'].includes(this.counterState(counterId))) {
      try {
        this.context.core.counterCommand('closeCounter');
      } catch {
        // Closing is a courtesy to the signs; signing out must not fail because of it.
      }
    }
    const ending = this.context.core.clerkSession();
    this.session = null;
    this.centralToken = undefined;
    this.context.core.setClerkSession(undefined);
    this.options.emit('clerk.session', null);
    return ending;
  }

  /** Tells the central API the session proves nothing made after `endedAt`. */
  endSession(session: ClerkSessionProver, endedAt: string): void {
    this.options.signOut?.({ keyId: session.facts.keyId, session: session.facts.session, endedAt });
  }

  private async departmentNames(): Promise<DepartmentNames> {
    const fresh = await this.options.departments?.();
    if (fresh) {
      this.context.repository.writeMeta(DEPARTMENTS_KEY, fresh);
      return fresh;
    }
    return this.context.repository.readMeta<DepartmentNames>(DEPARTMENTS_KEY) ?? {};
  }

  private counterState(counterId: string): string {
    return this.context.core.store.live.queue.counters[counterId]?.state.status ?? 'closed';
  }
}
