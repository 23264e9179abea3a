import type { CentralRejection, Rejection } from '@hall/shared';
import type { CounterContext } from './context';
import { rejectionUndoesDecision, workWithDecisionUndone } from './rules/rejectedDecision';

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
    if (!rejectionUndoesDecision(rejection.type)) return false;
    const payload = this.context.core.store.outbox().find((row) => row.id === rejection.mutationId)?.payload as { caseId?: unknown; ticketId?: unknown } | undefined;
    const caseId = typeof payload?.caseId === 'string' ? payload.caseId : undefined;
    const worked = caseId ? this.context.repository.workedCase(caseId) : undefined;
    const ticketId = typeof payload?.ticketId === 'string' ? payload.ticketId : (worked?.ticketId ?? (caseId ? this.context.core.store.live.cases[caseId]?.ticketId : undefined));
    const record: CentralRejection = { type: rejection.type, code: rejection.code, reason: rejection.reason, at: this.context.at() };
    const inserted = this.context.repository.recordCentralRejection({ ...record, mutationId: rejection.mutationId, caseId: caseId ?? null, ticketId: ticketId ?? null });
    if (!inserted) return false;
    if (caseId && worked) this.context.repository.replaceWork(caseId, workWithDecisionUndone(this.context.repository.work(caseId), rejection.type, record), record.at);
    return true;
  }
}
