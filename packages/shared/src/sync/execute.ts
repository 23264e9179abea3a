import type { CallingRules } from '../domain/index';
import { decideQueueCommand } from '../queue/engine';
import { applyEvent, touchedBy, type QueueEvent } from '../queue/events';
import type { QueueSetup } from '../queue/setup';
import type { QueueState } from '../queue/state';
import type { Change } from './change';
import { decidePositionSms } from '../phone/positionSms';
import { decideCaseIntent, newCase, type CaseCatalogue } from './executeCase';
import { isQueueIntent, type AnyIntent, type FormIntent } from './mutation';
import type { Catalogue } from './messages';
import type { HallState } from './state';

export interface ExecuteContext {
  setup: QueueSetup;
  rules: CallingRules;
  /** Services and calendar for the counter's case outcomes; without it they are refused (no_catalogue). */
  catalogue?: CaseCatalogue;
}

/** Commands after which the ticket carries the clerk signed in at the counter that sent them. */
const STAFFED_COMMANDS: ReadonlySet<string> = new Set(['callNext', 'callSpecific', 'recall', 'startServing', 'finish']);

export type ExecuteResult =
  | { ok: true; changes: Change[]; events: QueueEvent[] }
  | { ok: false; code: string; reason: string };

/**
 * Decides an intent on a state without modifying it and returns the rows it changes.
 * Stations (local apply, rebase) and the server (push) both run this, so a mutation means
 * the same on both sides; the queue rules themselves are the queue engine's.
 *
 * The engine's events are applied to a small state holding only the touched tickets and
 * the counters (few per hall), so the cost does not grow with the day's tickets.
 */
export function executeIntent(state: HallState, intent: AnyIntent, ctx: ExecuteContext): ExecuteResult {
  if (!isQueueIntent(intent)) {
    if (intent.type === 'submitForm') return submitForm(state, intent, ctx);
    if (intent.type === 'requestPositionSms') {
      const verdict = decidePositionSms(state, intent.payload);
      return verdict.ok ? { ok: true, changes: [], events: [] } : verdict;
    }
    // A read receipt is kept by the central API beside the hall state, not in it.
    if (intent.type === 'readStaffAnnouncement') return { ok: true, changes: [], events: [] };
    const verdict = decideCaseIntent(state, intent, ctx.catalogue, ctx.setup.hallId);
    return verdict.ok ? { ok: true, changes: verdict.changes, events: [] } : verdict;
  }
  const decision = decideQueueCommand(state.queue, intent.command, { now: intent.at, rules: ctx.rules, setup: ctx.setup, ...(state.index ? { index: state.index } : {}) });
  if (!decision.ok) return { ok: false, code: decision.rejection.code, reason: decision.rejection.message };
  let mini: QueueState = { tickets: {}, counters: { ...state.queue.counters }, lastSequence: {} };
  const ticketIds = new Set<string>();
  const counterIds = new Set<string>();
  for (const event of decision.events) {
    const touched = touchedBy(event, mini);
    for (const id of touched.ticketIds) {
      ticketIds.add(id);
      const ticket = state.queue.tickets[id];
      if (mini.tickets[id] === undefined && ticket !== undefined) mini.tickets[id] = ticket;
    }
    for (const id of touched.counterIds) counterIds.add(id);
    mini = applyEvent(mini, event);
  }
  const changes: Change[] = [];
  const counterId = 'counterId' in intent.command ? intent.command.counterId : undefined;
  const staffId = intent.staffId !== undefined && STAFFED_COMMANDS.has(intent.command.type) ? intent.staffId : undefined;
  for (const id of ticketIds) {
    const data = mini.tickets[id];
    if (!data) continue;
    changes.push({ entity: 'ticket', id, data: staffId !== undefined && data.counterId === counterId ? { ...data, staffId } : data });
  }
  for (const id of counterIds) {
    const data = mini.counters[id];
    if (data) changes.push({ entity: 'counter', id, data });
  }
  return { ok: true, changes, events: decision.events };
}

function submitForm(state: HallState, intent: FormIntent, ctx: ExecuteContext): ExecuteResult {
  const p = intent.payload;
  if (state.cases[p.caseId] !== undefined) return { ok: false, code: 'duplicate_case_id', reason: `case id ${p.caseId} is already used` };
  if (!ctx.setup.services.some((s) => s.id === p.serviceId)) {
    return { ok: false, code: 'unknown_service', reason: `service ${p.serviceId} does not exist` };
  }
  if (p.ticketId !== undefined && state.queue.tickets[p.ticketId] === undefined) {
    return { ok: false, code: 'unknown_ticket', reason: `ticket ${p.ticketId} does not exist` };
  }
  // Form values stay in the mutation (for the server's case file), never in the shared case row.
  const data = newCase(p, ctx.setup.hallId);
  return { ok: true, changes: [{ entity: 'case', id: p.caseId, data }], events: [] };
}

/** Everything the executor reads from a hall's catalogue: queue setup, calling rules, services and calendar. */
export function executeContext(catalogue: Catalogue): ExecuteContext {
  return { setup: setupFromCatalogue(catalogue), rules: catalogue.callingRules, catalogue };
}

/** The engine's view of a catalogue. */
export function setupFromCatalogue(catalogue: {
  hall: { id: string; timeZone: string };
  queues: QueueSetup['queues'];
  counters: QueueSetup['counters'];
  services: QueueSetup['services'];
}): QueueSetup {
  return {
    hallId: catalogue.hall.id,
    timeZone: catalogue.hall.timeZone,
    queues: catalogue.queues,
    counters: catalogue.counters,
    services: catalogue.services,
  };
}
