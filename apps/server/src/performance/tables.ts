import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type PerformanceTables = {
  performance_schemes: { id: string; hall_id: string; name: string; items_json: string; appeal_days: number; answer_days: number; created_by: string; updated_at: string };
  performance_events: {
    id: string;
    hall_id: string;
    staff_id: string;
    day: string;
    kind: 'bonus' | 'penalty';
    points: number;
    reason: string;
    /** 1: the points count in the score; 0: recorded only (事件分数可影响考评结果, or not). */
    counts: number;
    source: 'manual' | 'import';
    created_by: string;
    created_at: string;
  };
  performance_appraisals: {
    id: string;
    hall_id: string;
    scheme_id: string;
    period: string;
    subject: 'clerk' | 'counter';
    status: 'draft' | 'published';
    version: number;
    results_json: string;
    computed_at: string;
    published_at: string | null;
    appeal_until: string | null;
  };
  performance_appeals: {
    id: string;
    appraisal_id: string;
    hall_id: string;
    staff_id: string;
    /** The result version the clerk appealed against. */
    version: number;
    reason: string;
    filed_at: string;
    answer_due_at: string;
    answered_at: string | null;
    answered_by: string | null;
    outcome: 'upheld' | 'rejected' | null;
    answer: string | null;
  };
  performance_contacts: { staff_id: string; hall_id: string; phone: string; updated_at: string };
};

export type PerformanceDb = Kysely<Database & PerformanceTables>;
export const performanceDb = (db: Kysely<Database>): PerformanceDb => db.withTables<PerformanceTables>();

export const CONTACT_PHONE = { table: 'performance_contacts', column: 'phone' } as const;
