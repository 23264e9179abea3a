/** What the performance API answers (apps/server/src/performance/routes.ts). */
export type Indicator = 'cases_handled' | 'results_issued' | 'calls' | 'served' | 'punctuality' | 'accuracy' | 'completion' | 'satisfaction';
export const RATE_INDICATORS: readonly Indicator[] = ['punctuality', 'accuracy', 'completion', 'satisfaction'];

/** Whom an appraisal scores: each clerk, or each counter (窗口) whoever served there. */
export type Subject = 'clerk' | 'counter';

export interface SchemeItem {
  indicator: Indicator;
  weight: number;
  rule: 'relative' | 'target' | 'rate';
  target?: number;
}

export interface Scheme {
  id: string;
  name: string;
  items: SchemeItem[];
  appealDays: number;
  answerDays: number;
}

export interface ResultRow {
  staffId: string;
  name: string;
  staffNumber: string;
  values: Record<Indicator, number | null>;
  scores: Partial<Record<Indicator, number>>;
  eventPoints: number;
  total: number;
  rank: number;
}

export interface Appraisal {
  id: string;
  schemeId: string;
  schemeName: string;
  period: string;
  subject: Subject;
  status: 'draft' | 'published';
  version: number;
  computedAt: string;
  publishedAt: string | null;
  appealUntil: string | null;
  results: ResultRow[];
  items: SchemeItem[];
}

export interface Appeal {
  id: string;
  appraisalId: string;
  period: string;
  staffId: string;
  name: string;
  staffNumber: string;
  reason: string;
  filedAt: string;
  answerDueAt: string;
  overdue: boolean;
  answeredAt: string | null;
  outcome: 'upheld' | 'rejected' | null;
  answer: string | null;
}

export interface Clerk {
  id: string;
  name: string;
  staffNumber: string;
  hasPhone: boolean;
}

export interface Overview {
  indicators: Indicator[];
  clerks: Clerk[];
  schemes: Scheme[];
  appraisals: Appraisal[];
  appeals: Appeal[];
}

/** A rate as a percentage, a count as it is, nothing as a dash. */
export function showValue(indicator: Indicator, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return RATE_INDICATORS.includes(indicator) ? `${Math.round(value * 1000) / 10}%` : String(value);
}

export const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
export const localTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
