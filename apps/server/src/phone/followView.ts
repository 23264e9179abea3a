import { applyChange, emptyHallState, estimateWait, setupFromCatalogue, type Catalogue, type Change, type FollowView, type HallState } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { syncDb } from '../sync/tables';

/** The hall's tickets and counters as the sync log left them (cases are not needed to follow a queue). */
export async function loadQueueState(db: Kysely<Database>, hallId: string): Promise<HallState> {
  const state = emptyHallState();
  const rows = await syncDb(db)
    .selectFrom('sync_entities')
    .select(['entity', 'id', 'data_json'])
    .where('hall_id', '=', hallId)
    .where('entity', 'in', ['ticket', 'counter'])
    .execute();
  for (const row of rows) applyChange(state, { entity: row.entity, id: row.id, data: JSON.parse(row.data_json) } as Change);
  return state;
}

/** What the phone shows of one ticket; undefined when the hall does not know it (yet). */
export function followView(catalogue: Catalogue, state: HallState, ticketId: string, now: number): FollowView | undefined {
  const ticket = state.queue.tickets[ticketId];
  if (!ticket) return undefined;
  const services = ticket.serviceIds.map((id) => catalogue.services.find((s) => s.id === id)?.name ?? { zh: id });
  const view: FollowView = { number: ticket.number, services, status: ticket.status, hallName: catalogue.hall.name, day: ticket.day };
  if (ticket.status === 'waiting') {
    const estimate = estimateWait(state.queue, ticket.queueId, { now, rules: catalogue.callingRules, setup: setupFromCatalogue(catalogue) }, ticket.id);
    view.ahead = estimate.ahead;
    if (estimate.waitSeconds !== undefined) view.estimatedWaitMinutes = Math.max(1, Math.round(estimate.waitSeconds / 60));
  }
  if ((ticket.status === 'called' || ticket.status === 'serving') && ticket.counterId) {
    const counter = catalogue.counters.find((c) => c.id === ticket.counterId);
    if (counter) view.counterNumber = counter.number;
    if (ticket.calledAt) view.calledAt = ticket.calledAt;
  }
  return view;
}
