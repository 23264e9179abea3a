/**
 * 绩效考评 as the central API's performance routes answer it (apps/server/src/performance)
 * and the console reads it: one definition for both sides, so a field the server renames
 * is a compile error in the console, not an empty column.
 */

/** 考评指标 (seed 001 §8.1, §8.5). */
export const INDICATORS = ['cases_handled', 'results_issued', 'calls', 'served', 'punctuality', 'accuracy', 'completion', 'satisfaction'] as const;
export type Indicator = (typeof INDICATORS)[number];
/** Rates lie in 0..1; the rest are counts. */
export const RATE_INDICATORS: readonly Indicator[] = ['punctuality', 'accuracy', 'completion', 'satisfaction'];

/** Whom an appraisal scores: each clerk (考评对象: 窗口人员), or each counter (窗口) whoever served there. */
export type AppraisalSubject = 'clerk' | 'counter';

/** relative: in proportion to the best of the period; target: full weight at the target; rate: weight × rate. */
export type ScoringRule = 'relative' | 'target' | 'rate';

export interface SchemeItem {
  indicator: Indicator;
  weight: number;
  rule: ScoringRule;
  target?: number | undefined;
}

export interface SchemeView {
  id: string;
  name: string;
  items: SchemeItem[];
  /** Days after publication a clerk may appeal, and days the manager has to answer. */
  appealDays: number;
  answerDays: number;
  updatedAt: string;
}

export interface ClerkScore {
  staffId: string;
  values: Record<Indicator, number | null>;
  /** Points per indicator of the scheme, rounded to 0.01. */
  scores: Partial<Record<Indicator, number>>;
  eventPoints: number;
  total: number;
  /** 1 for the best; equal totals share a rank (1, 2, 2, 4). */
  rank: number;
}

export interface ResultRow extends ClerkScore {
  name: string;
  staffNumber: string;
}

export interface AppraisalView {
  id: string;
  schemeId: string;
  schemeName: string;
  period: string;
  subject: AppraisalSubject;
  status: 'draft' | 'published';
  version: number;
  computedAt: string;
  publishedAt: string | null;
  appealUntil: string | null;
  results: ResultRow[];
  items: SchemeItem[];
}

export interface AppealView {
  id: string;
  appraisalId: string;
  period: string;
  staffId: string;
  name: string;
  staffNumber: string;
  version: number;
  reason: string;
  filedAt: string;
  answerDueAt: string;
  /** 超时标志: unanswered past its answer deadline. */
  overdue: boolean;
  answeredAt: string | null;
  outcome: 'upheld' | 'rejected' | null;
  answer: string | null;
}

/** 事件记录: a bonus or penalty of one clerk on one day. */
export interface EventView {
  id: string;
  staffId: string;
  day: string;
  kind: 'bonus' | 'penalty';
  points: number;
  reason: string;
  counts: boolean;
  source: 'manual' | 'import';
}
