import {
  applyChange,
  compareByQueuedAt,
  emptyHallState,
  estimateWait,
  localDay,
  setupFromCatalogue,
  type Catalogue,
  type Change,
  type FollowView,
  type HallState,
  type WaitEstimate,
} from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { syncDb } from '../sync/tables';

/**
 * The hall's counters and the tickets of the given days as the sync log left them (cases are
 * not needed to follow a queue, and older days' tickets would make every poke read the hall's
 * whole history).
 */
export async function loadQueueState(db: Kysely<Database>, hallId: string, days: readonly string[]): Promise<HallState> {
  const state = emptyHallState();
  const sdb = syncDb(db);
  const dayTickets = sdb.selectFrom('tickets').select('tickets.id').where('tickets.hall_id', '=', hallId).where('tickets.day', 'in', days.length > 0 ? [...days] : ['']);
  const rows = await sdb
    .selectFrom('sync_entities')
    .select(['entity', 'id', 'data_json'])
    .where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb('entity', '=', 'counter'), eb.and([eb('entity', '=', 'ticket'), eb('id', 'in', dayTickets)])]))
    .execute();
  for (const row of rows) applyChange(state, { entity: row.entity, id: row.id, data: JSON.parse(row.data_json) } as Change);
  return state;
}

/** One queue's order and pace, computed once per refresh however many phones follow it. */
interface QueueSnapshot {
  /** Position of each waiting ticket of today: the tickets called before it, first come first served. */
  rank: Map<string, number>;
  estimate: WaitEstimate;
}

/**
 * Views of many tickets of one hall. Each queue is ordered once (compareByQueuedAt, the rule
 * estimateWait counts by), so a refresh costs one sort per queue instead of a scan of the
 * day's tickets per follower.
 */
export class FollowViews {
  readonly #queues = new Map<string, QueueSnapshot>();
  readonly #today: string;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly state: HallState,
    private readonly now: number,
  ) {
    this.#today = localDay(now, catalogue.hall.timeZone);
  }

  #queue(queueId: string): QueueSnapshot {
    let snapshot = this.#queues.get(queueId);
    if (!snapshot) {
      const waiting = Object.values(this.state.queue.tickets).filter((t) => t.queueId === queueId && t.status === 'waiting' && t.day === this.#today);
      waiting.sort(compareByQueuedAt);
      const estimate = estimateWait(this.state.queue, queueId, { now: this.now, rules: this.catalogue.callingRules, setup: setupFromCatalogue(this.catalogue) });
      snapshot = { rank: new Map(waiting.map((t, i) => [t.id, i])), estimate };
      this.#queues.set(queueId, snapshot);
    }
    return snapshot;
  }

  /** What the phone shows of one ticket; undefined when the hall does not know it (yet). */
  view(ticketId: string): FollowView | undefined {
    const ticket = this.state.queue.tickets[ticketId];
    if (!ticket) return undefined;
    const services = ticket.serviceIds.map((id) => this.catalogue.services.find((s) => s.id === id)?.name ?? { zh: id });
    const view: FollowView = { number: ticket.number, services, status: ticket.status, hallName: this.catalogue.hall.name, day: ticket.day };
    if (ticket.status === 'waiting') {
      const { rank, estimate } = this.#queue(ticket.queueId);
      const ahead = rank.get(ticket.id) ?? 0;
      view.ahead = ahead;
      if (estimate.averageServiceSeconds !== undefined && estimate.openCounters > 0) {
        view.estimatedWaitMinutes = Math.max(1, Math.round((ahead * estimate.averageServiceSeconds) / estimate.openCounters / 60));
      }
    }
    if ((ticket.status === 'called' || ticket.status === 'serving') && ticket.counterId) {
      const counter = this.catalogue.counters.find((c) => c.id === ticket.counterId);
      if (counter) view.counterNumber = counter.number;
      if (ticket.calledAt) view.calledAt = ticket.calledAt;
    }
    return view;
  }
}
