/** What the performance API answers (apps/server/src/performance/routes.ts): the views are @hall/shared's, as the server builds them. */
import type { AppealView, AppraisalSubject, AppraisalView, Indicator, SchemeView } from '@hall/shared';
import { RATE_INDICATORS } from '@hall/shared';

export type { Indicator, ResultRow, SchemeItem } from '@hall/shared';
export { RATE_INDICATORS };
export type Subject = AppraisalSubject;
export type Scheme = SchemeView;
export type Appraisal = AppraisalView;
export type Appeal = AppealView;

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
