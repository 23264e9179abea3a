import type { HistoryEntry } from '@hall/shared';
import type { CounterContext } from './context';
import { printRecordOf } from './printing';
import type { CounterSignIn } from './signIn';

/** 今日办理: the tickets the signed-in clerk served today, with their cases, slips and rating. */
export class CounterHistory {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
  ) {}

  today(): HistoryEntry[] {
    const session = this.signIn.require();
    const live = this.context.core.store.live;
    return this.context.repository.servedTicketIds(session.staffId, this.context.core.today()).flatMap((id) => {
      const ticket = live.queue.tickets[id];
      if (!ticket) return [];
      const rating = this.context.repository.rating(id);
      const ratingRejection = this.context.repository.ratingRejection(id);
      return [
        {
          ticket,
          cases: Object.values(live.cases)
            .filter((c) => c.ticketId === id)
            .map((c) => {
              const work = this.context.repository.work(c.id);
              return {
                caseId: c.id,
                serviceName: this.context.catalogue().services.find((s) => s.id === c.serviceId)?.name.zh ?? c.serviceId,
                status: work.status ?? c.status,
                ...(work.caseNumber ? { caseNumber: work.caseNumber } : {}),
                ...(work.centralRejection ? { centralRejection: work.centralRejection } : {}),
              };
            }),
          prints: this.context.repository.printsForTicket(id).map((stored) => {
            const { preview: _preview, ...record } = printRecordOf(stored);
            return record;
          }),
          ...(rating ? { rating: rating.rating, ratingDefaulted: rating.defaulted } : {}),
          ...(ratingRejection ? { ratingRejection } : {}),
        },
      ];
    });
  }
}
