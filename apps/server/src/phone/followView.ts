import { applyChange, emptyHallState, estimateWait, setupFromCatalogue, type Catalogue, type Change, type FollowView, type HallState } from '@hall/shared';
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
