import type { CentralRejection, DeliveryMethod, IdentityCheck } from '@hall/shared';

/** The counter's per-case working data, stored as JSON beside the case (case_work.data). */
export interface CaseWorkData {
  received: string[];
  values: Record<string, string | number | string[]>;
  identity?: IdentityCheck;
  status?: 'accepted' | 'refused';
  refusalReason?: string;
  caseNumber?: string;
  delivery?: DeliveryMethod;
  depositCode?: string;
  depositCodeExpiresAt?: string;
  staffId?: string;
  /** The central API rejected this counter's last decision on the case (see rejections.ts). */
  centralRejection?: CentralRejection;
  /** Field ids last filled from a residence code (码上受理). */
  fromResidenceCode?: string[];
}

/** A new decision replaces the central API's rejection of the previous one. */
export function withoutRejection(work: CaseWorkData): CaseWorkData {
  const { centralRejection: _rejection, ...rest } = work;
  return rest;
}
