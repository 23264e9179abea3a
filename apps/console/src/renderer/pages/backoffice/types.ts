import type { Case } from '@hall/shared';

/** The work stages the back office lists (caseStage on the server; 'done' cases leave the list). */
export const WORK_STAGES = ['acceptance', 'review', 'special', 'supplement', 'collection'] as const;
export type WorkStage = (typeof WORK_STAGES)[number];

/** One row of GET /halls/:hallId/back-office/cases. */
export interface WorkItem {
  id: string;
  number: string | null;
  serviceName: { zh: string; en?: string };
  status: string;
  stage: string;
  stageDueAt: string | null;
  overdue: boolean;
  citizen: string | null;
  acceptedAt: string | null;
  assignedStaffId: string | null;
  consultPending: boolean;
  withdrawalPending: boolean;
  pendingMaterials: number;
}

export interface StaffNotice {
  id: string;
  caseId: string | null;
  kind: string;
  text: string;
  at: string;
  read: boolean;
}

/** GET /halls/:hallId/back-office/cases/:caseId: the case with its service's materials and the (masked) form. */
export interface CaseDetail {
  case: Case;
  service: { id: string; name: { zh: string; en?: string }; departmentId: string; promisedDays: number } | null;
  materials: { id: string; name: string; required: boolean; received: { received: boolean; pageCount: number } | null; pending: boolean }[];
  form: { id: string; label: { zh: string; en?: string }; kind: string; personal?: boolean; value: unknown }[];
  revealed: boolean;
  officers: { id: string; name: string; staffNumber: string }[];
  staffNames: Record<string, string>;
}

/** The back-office actions (POST .../cases/:caseId/:action). */
export type CaseAction = 'approve' | 'deny' | 'supplement' | 'transfer' | 'answer-consult' | 'complete' | 'approve-withdrawal' | 'special-start' | 'special-end';

/** A time in the hall's day as staff read it: 2026-03-02 10:00. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
