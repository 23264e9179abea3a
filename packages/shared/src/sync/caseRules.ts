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

/** 法定节假日 and 调休 working days of a hall (CatalogueSchema.calendar), as hall-local days. */
export interface HallCalendarDays {
  holidays: readonly string[];
  workdays: readonly string[];
}

/**
 * A working day: a 调休 working day always (a weekend the hall opens for), a holiday never,
 * otherwise one of the hall's opening weekdays.
 */
export function isHallWorkingDay(day: string, weekdays: readonly number[], calendar?: HallCalendarDays): boolean {
  if (calendar?.workdays.includes(day)) return true;
  if (calendar?.holidays.includes(day)) return false;
  return weekdays.includes(isoWeekday(day));
}

/** Longest run of closed days the count skips: a calendar closing everything must not loop forever. */
const MAX_CLOSED_RUN = 366;

/**
 * 承诺时限: the promised completion of a case accepted at `acceptedAt`, `promisedDays`
 * working days later (days the hall opens, holidays out and 调休 days in; 0 = 即办, the same
 * day), at the hall's closing time. Counted like the supervision lights count (working days
 * in (accepted, due]).
 */
export function promisedDueAt(
  acceptedAt: string,
  promisedDays: number,
  hall: Pick<Hall, 'timeZone' | 'openingHours'>,
  calendar?: HallCalendarDays,
): string {
  let day = localDay(acceptedAt, hall.timeZone);
  for (let left = promisedDays, closedRun = 0; left > 0; ) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    if (isHallWorkingDay(day, hall.openingHours.weekdays, calendar)) {
      left -= 1;
      closedRun = 0;
    } else if (++closedRun > MAX_CLOSED_RUN) {
      throw new Error(`hall calendar has no working day for a year after ${day}`);
    }
  }
  const closing = hall.openingHours.sessions.reduce((latest, s) => (s.to > latest ? s.to : latest), '00:00');
  return new Date(zonedInstant(day, closing, hall.timeZone)).toISOString();
}
