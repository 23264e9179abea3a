import type { CallingRules, PriorityGroup, Ticket } from '../domain/index';
import type { CallClass } from './events';
import type { SetupCounter } from './setup';
import type { QueueState } from './state';
import { toEpochMs } from './clock';

export interface CallCandidate {
  ticket: Ticket;
  callClass: CallClass;
  /** The counter's priority for the ticket's best service it serves (lower first); 0 when targeted. */
  tier: number;
}

/** Priority groups and on-time appointments rank ahead of normal tickets, within the fairness ratio. */
export function isPriorityNow(ticket: Ticket, nowMs: number, rules: CallingRules): boolean {
  if (ticket.priorityGroupId !== undefined && rules.priorityGroups.some((g) => g.id === ticket.priorityGroupId)) {
    return true;
  }
  return ticket.appointmentPriorityFrom !== undefined && toEpochMs(ticket.appointmentPriorityFrom) <= nowMs;
}

/** The group a citizen of this age joins automatically (the one with the highest threshold reached). */
export function priorityGroupForAge(rules: CallingRules, age: number): PriorityGroup | undefined {
  let best: PriorityGroup | undefined;
  for (const group of rules.priorityGroups) {
    if (group.minAge !== undefined && age >= group.minAge && (best?.minAge ?? -1) < group.minAge) best = group;
  }
  return best;
}

/**
 * How a waiting ticket stands at a counter: targeted (transferred to this very counter),
 * in one of the counter's service tiers, or not callable here (undefined). Tickets of an
 * earlier day are never called: numbers restart daily, so they would be ambiguous.
 */
export function candidateAt(
  counter: SetupCounter,
  ticket: Ticket,
  today: string,
  nowMs: number,
  rules: CallingRules,
): CallCandidate | undefined {
  if (ticket.status !== 'waiting' || ticket.day !== today) return undefined;
  if (ticket.targetCounterId !== undefined) {
    return ticket.targetCounterId === counter.id ? { ticket, callClass: 'targeted', tier: 0 } : undefined;
  }
  if (!counter.queueIds.includes(ticket.queueId)) return undefined;
  let tier: number | undefined;
  for (const served of counter.services) {
    if (ticket.serviceIds.includes(served.serviceId) && (tier === undefined || served.priority < tier)) {
      tier = served.priority;
    }
  }
  if (tier === undefined) return undefined;
  return { ticket, callClass: isPriorityNow(ticket, nowMs, rules) ? 'priority' : 'normal', tier };
}

/** First come first served: the queue time survives transfers; the rest only breaks ties. */
export function compareByQueuedAt(a: Ticket, b: Ticket): number {
  return (
    toEpochMs(a.queuedAt) - toEpochMs(b.queuedAt) ||
    toEpochMs(a.issuedAt) - toEpochMs(b.issuedAt) ||
    (a.number < b.number ? -1 : a.number > b.number ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function earliest(candidates: readonly CallCandidate[]): CallCandidate | undefined {
  let best: CallCandidate | undefined;
  for (const c of candidates) if (best === undefined || compareByQueuedAt(c.ticket, best.ticket) < 0) best = c;
  return best;
}

/**
 * The calling order: tickets transferred to this counter, then the counter's best service
 * tier; inside it a priority ticket goes when `normalsSincePriority` has reached the
 * hall's ratio (or no normal ticket waits), a normal one otherwise (or when no priority
 * ticket waits); each kind first come first served.
 */
export function chooseCandidate(
  candidates: readonly CallCandidate[],
  normalsSincePriority: number | undefined,
  rules: CallingRules,
): CallCandidate | undefined {
  const targeted = earliest(candidates.filter((c) => c.callClass === 'targeted'));
  if (targeted !== undefined) return targeted;
  let bestTier = Number.POSITIVE_INFINITY;
  for (const c of candidates) bestTier = Math.min(bestTier, c.tier);
  const tier = candidates.filter((c) => c.tier === bestTier);
  const priority = earliest(tier.filter((c) => c.callClass === 'priority'));
  const normal = earliest(tier.filter((c) => c.callClass === 'normal'));
  if (priority === undefined || normal === undefined) return priority ?? normal;
  const priorityTurn = normalsSincePriority === undefined || normalsSincePriority >= rules.normalPerPriority;
  return priorityTurn ? priority : normal;
}

/** `waiting`: ids of the state's waiting tickets (TicketIndex.waiting), to look at those only. */
export function callCandidates(
  state: QueueState,
  counter: SetupCounter,
  today: string,
  nowMs: number,
  rules: CallingRules,
  waiting?: ReadonlySet<string>,
): CallCandidate[] {
  const candidates: CallCandidate[] = [];
  const consider = (ticket: Ticket | undefined) => {
    const candidate = ticket && candidateAt(counter, ticket, today, nowMs, rules);
    if (candidate) candidates.push(candidate);
  };
  if (waiting) for (const id of waiting) consider(state.tickets[id]);
  else for (const ticket of Object.values(state.tickets)) consider(ticket);
  return candidates;
}
