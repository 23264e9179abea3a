import type { CentralRejection, Rejection } from '@hall/shared';
import type { CounterContext } from './context';
import type { CaseWorkData } from './workData';

/** Counter decisions whose rejection by the central API changes what this counter recorded. */
const DECISION_TYPES: ReadonlySet<string> = new Set(['acceptCase', 'refuseCase', 'chooseDelivery', 'recordEvaluation']);

/**
 * A decision of this counter the central API rejected on sync (a material missing by its
 * rule, the case decided meanwhile by another window, a rating already given…). The local
 * decision it had assumed is undone in counter.db — history and the case show the rejection
 * instead of "accepted", and the clerk may decide again — and the rejection is kept. Once
 * per mutation: replaying the station's rejections after a restart changes nothing twice.
 */
export class CounterRejections {
  constructor(
    private readonly context: CounterContext,
  ) {}

  /** Returns whether anything was recorded. */
  centralRejected(rejection: Rejection): boolean {
    if (!DECISION_TYPES.has(rejection.type)) return false;
    const payload = this.context.core.store.outbox().find((row) => row.id === rejection.mutationId)?.payload as { caseId?: unknown; ticketId?: unknown } | undefined;
    const caseId = typeof payload?.caseId === 'string' ? payload.caseId : undefined;
    const worked = caseId ? this.context.repository.workedCase(caseId) : undefined;
    const ticketId = typeof payload?.ticketId === 'string' ? payload.ticketId : (worked?.ticketId ?? (caseId ? this.context.core.store.live.cases[caseId]?.ticketId : undefined));
    const record: CentralRejection = { type: rejection.type, code: rejection.code, reason: rejection.reason, at: this.context.at() };
    const inserted = this.context.repository.recordCentralRejection({ ...record, mutationId: rejection.mutationId, caseId: caseId ?? null, ticketId: ticketId ?? null });
    if (!inserted) return false;
    if (caseId && worked) this.context.repository.replaceWork(caseId, undone(this.context.repository.work(caseId), rejection.type, record), record.at);
    return true;
  }
}

/** The working data with the rejected decision taken back and the rejection noted. */
function undone(work: CaseWorkData, type: string, rejection: CentralRejection): CaseWorkData {
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
