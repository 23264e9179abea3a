import { z } from 'zod';
import { INDICATORS, RATE_INDICATORS as RATES, type Indicator } from '@hall/shared';

/**
 * 考评指标 (seed 001 §8.1, §8.5): what the server already knows of a clerk's work in a period,
 * and the indicator values an appraisal scheme scores. Pure: no database, no clock.
 */
export type { Indicator };
export const IndicatorSchema = z.enum(INDICATORS);

/** Rates lie in 0..1; the rest are counts. */
export const RATE_INDICATORS: ReadonlySet<Indicator> = new Set(RATES);

/** One clerk's raw activity in a period, as collected from tickets, cases, ratings and sign-ins. */
export interface ClerkActivity {
  staffId: string;
  /** 受理 + 不予受理 decided by the clerk. */
  casesAccepted: number;
  casesRefused: number;
  /** 发证: results the clerk handed over. */
  resultsIssued: number;
  /** 叫号: tickets the clerk called; served: those finished. */
  calls: number;
  served: number;
  /** Days the clerk signed in at a counter, and those signed in by the hall's opening (plus grace). */
  daysSignedIn: number;
  daysOnTime: number;
  /** Of the cases accepted: those the back office later turned down (an acceptance error), and those completed. */
  acceptedDenied: number;
  acceptedCompleted: number;
  /** 满意 (very satisfied + satisfied), 一般, 不满意. */
  ratingsGood: number;
  ratingsNeutral: number;
  ratingsBad: number;
}

export const emptyActivity = (staffId: string): ClerkActivity => ({
  staffId,
  casesAccepted: 0,
  casesRefused: 0,
  resultsIssued: 0,
  calls: 0,
  served: 0,
  daysSignedIn: 0,
  daysOnTime: 0,
  acceptedDenied: 0,
  acceptedCompleted: 0,
  ratingsGood: 0,
  ratingsNeutral: 0,
  ratingsBad: 0,
});

/** A share, or null when there was nothing to measure (no day signed in, no case, no rating). */
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export type IndicatorValues = Record<Indicator, number | null>;

export function indicatorValues(a: ClerkActivity): IndicatorValues {
  return {
    cases_handled: a.casesAccepted + a.casesRefused,
    results_issued: a.resultsIssued,
    calls: a.calls,
    served: a.served,
    punctuality: share(a.daysOnTime, a.daysSignedIn),
    accuracy: share(a.casesAccepted - a.acceptedDenied, a.casesAccepted),
    completion: share(a.acceptedCompleted, a.casesAccepted),
    satisfaction: share(a.ratingsGood, a.ratingsGood + a.ratingsNeutral + a.ratingsBad),
  };
}
