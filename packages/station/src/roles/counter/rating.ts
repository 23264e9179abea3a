import { randomBytes } from 'node:crypto';
import { uuidV7, type ClerkSession, type Rating, type RatingRequest, type Ticket } from '@hall/shared';
import type { ClerkSessionProver } from '../../clerk/session';
import { LocalRejection } from '../../store/store';
import type { CounterContext } from './context';
import type { CounterRoleOptions } from './options';
import type { CounterSignIn } from './signIn';

interface PendingRating {
  request: RatingRequest;
  timer: ReturnType<typeof setTimeout>;
  staffId: string;
  counterId: string;
  /** The session the rated ticket was served in; the rating may arrive after the clerk signed out. */
  clerk: ClerkSessionProver | undefined;
}

/**
 * 评价: after a ticket is finished the citizen-facing screen asks for a rating; no answer
 * within the hall's timeout counts as "good", and the next finished ticket settles the
 * previous one the same way. One rating is pending at a time.
 */
export class CounterRating {
  private pending: PendingRating | undefined;

  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly emit: CounterRoleOptions['emit'],
  ) {}

  request(ticket: Ticket, session: ClerkSession): void {
    if (this.pending) this.record(this.pending.request.ticketId, 'satisfied', true);
    const seconds = this.context.catalogue().callingRules.ratingTimeoutSeconds;
    const request: RatingRequest = {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      counterNumber: this.signIn.counter().number,
      staffNumber: session.staffNumber,
      deadline: new Date(this.context.now() + seconds * 1000).toISOString(),
      timeoutSeconds: seconds,
    };
    // No answer in time counts as "good" (好评), as the hall's rules say.
    const timer = setTimeout(() => this.record(ticket.id, 'satisfied', true), seconds * 1000);
    timer.unref?.();
    this.pending = { request, timer, staffId: session.staffId, counterId: session.counterId, clerk: this.context.core.clerkSession() };
    this.emit('rating.requested', request);
  }

  current(): RatingRequest | null {
    return this.pending?.request ?? null;
  }

  /** Whether a rating still to come will be recorded in this session (so it must not end yet). */
  awaitsIn(session: ClerkSessionProver): boolean {
    return this.pending?.clerk === session;
  }

  submit(ticketId: string, rating: Rating): void {
    if (this.pending?.request.ticketId !== ticketId) {
      throw new LocalRejection('no_rating_pending', 'this ticket is not waiting for a rating');
    }
    this.record(ticketId, rating, false);
  }

  close(): void {
    if (this.pending) clearTimeout(this.pending.timer);
  }

  private record(ticketId: string, rating: Rating, defaulted: boolean): void {
    const pending = this.pending;
    if (!pending || pending.request.ticketId !== ticketId) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    const at = this.context.at();
    try {
      const record = () =>
        this.context.core.store.commit({
          type: 'recordEvaluation',
          payload: { evaluationId: uuidV7(this.context.now(), randomBytes(10)), ticketId, counterId: pending.counterId, staffId: pending.staffId, rating, defaulted, at },
        });
      if (pending.clerk) this.context.core.withClerkSession(pending.clerk, record);
      else record();
    } catch (error) {
      // Already rated (another path recorded it) or the ticket is gone: the local record below still holds.
      if (!(error instanceof LocalRejection)) throw error;
    }
    this.context.repository.recordRating({ ticketId, staffId: pending.staffId, counterId: pending.counterId, rating, defaulted, at });
    this.emit('rating.recorded', { ticketId, rating, defaulted });
    if (pending.clerk && this.context.core.clerkSession() !== pending.clerk) this.signIn.endSession(pending.clerk, at);
  }
}
