import { queueIntent, type Ticket } from '@hall/shared';
import type { CounterIdentities } from './identity';
import type { CounterContext } from './context';
import type { CounterRating } from './rating';
import type { CounterSignIn } from './signIn';

/** The queue actions that need counter-side follow-up: the clerk's served list, the visit's identities, the rating. */
export class CounterServing {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly identities: CounterIdentities,
    private readonly rating: CounterRating,
  ) {}

  finish(ticketId: string): Ticket {
    const session = this.signIn.require();
    const ticket = this.context.core.ticketCommand('finish', ticketId);
    for (const kase of Object.values(this.context.core.store.live.cases)) if (kase.ticketId === ticketId) this.identities.forget(kase.id);
    this.remember(ticketId, session.staffId);
    this.rating.request(ticket, session);
    return ticket;
  }

  /** Serving starts: remembered so history shows the clerk's tickets even if finished elsewhere later. */
  startServing(ticketId: string): Ticket {
    const session = this.signIn.require();
    const ticket = this.context.core.ticketCommand('startServing', ticketId);
    this.remember(ticketId, session.staffId);
    return ticket;
  }

  /** 一号联办: the matter joins the ticket (synced) and gets a case of its own at the counter. */
  addMatter(ticketId: string, serviceId: string): Ticket {
    const session = this.signIn.require();
    this.context.service(serviceId);
    this.context.core.store.commit(queueIntent({ type: 'addService', ticketId, serviceId }, this.context.at(), session.staffId));
    return this.context.ticket(ticketId);
  }

  private remember(ticketId: string, staffId: string): void {
    this.context.repository.recordServed({ ticketId, staffId, day: this.context.core.today(), at: this.context.at() });
  }
}
