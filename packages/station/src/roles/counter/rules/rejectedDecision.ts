import type { CentralRejection } from '@hall/shared';
import type { CaseWorkData } from './workData';

/** Counter decisions whose rejection by the central API changes what this counter recorded. */
const DECISION_TYPES: ReadonlySet<string> = new Set(['acceptCase', 'refuseCase', 'chooseDelivery', 'recordEvaluation']);

export function rejectionUndoesDecision(mutationType: string): boolean {
  return DECISION_TYPES.has(mutationType);
}

/** The working data with the rejected decision taken back and the rejection noted. */
export function workWithDecisionUndone(work: CaseWorkData, type: string, rejection: CentralRejection): CaseWorkData {
  const next: CaseWorkData = { ...work, centralRejection: rejection };
  if (type === 'acceptCase' || type === 'refuseCase') {
    // Not decided after all: the central state (rebased already) says what the case is.
    const { status: _status, caseNumber: _number, refusalReason: _reason, staffId: _staff, ...undecided } = next;
    return undecided;
  }
  if (type === 'chooseDelivery') {
    const { delivery: _delivery, ...rest } = next;
    return rest;
  }
  return next;
}
