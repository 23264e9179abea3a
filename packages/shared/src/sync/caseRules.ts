import { evaluateDecisionTree } from '../catalogue/decisionTree';
import type { Case, Hall, Material, Service } from '../domain/index';
import { localDay, zonedInstant } from '../queue/clock';

/**
 * The materials a case needs: the situation's list when the answers reach one, else every
 * material of the service (the clerk then ticks what applies). Counter and server use the
 * same list, so "accept only with every required material" means the same on both sides.
 */
export function caseMaterials(service: Service, kase: Pick<Case, 'answers'>): Material[] {
  if (!service.decisionTree) return service.materials;
  const evaluation = evaluateDecisionTree(service, kase.answers, { mode: 'final' });
  return evaluation.outcome.type === 'situation' ? evaluation.materials : service.materials;
}

/** Required materials not ticked as received: what the one-time notice lists. */
export function missingRequired(materials: readonly Material[], received: ReadonlySet<string>): Material[] {
  return materials.filter((m) => m.required && !received.has(m.id));
}

const DAY_MS = 86_400_000;

function isoWeekday(day: string): number {
  return ((new Date(Date.parse(`${day}T00:00:00Z`)).getUTCDay() + 6) % 7) + 1;
}

/**
 * 承诺时限: the promised completion of a case accepted at `acceptedAt`, `promisedDays`
 * working days later (days the hall opens; 0 = 即办, the same day), at the hall's closing
 * time. Counted like the supervision lights count (working days in (accepted, due]).
 */
export function promisedDueAt(acceptedAt: string, promisedDays: number, hall: Pick<Hall, 'timeZone' | 'openingHours'>): string {
  let day = localDay(acceptedAt, hall.timeZone);
  // A hall opens at least one weekday (schema), so each week moves at least one working day.
  for (let left = promisedDays; left > 0; ) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    if (hall.openingHours.weekdays.includes(isoWeekday(day))) left -= 1;
  }
  const closing = hall.openingHours.sessions.reduce((latest, s) => (s.to > latest ? s.to : latest), '00:00');
  return new Date(zonedInstant(day, closing, hall.timeZone)).toISOString();
}
