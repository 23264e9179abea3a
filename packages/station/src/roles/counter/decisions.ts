import { randomBytes } from 'node:crypto';
import { receiptQrPayload, type CaseWork, type Counter, type PrintRecord } from '@hall/shared';
import { LocalRejection } from '../../store/store';
import { acceptanceReceipt, confirmationSlip, oneTimeNotice } from '../slipWording';
import type { CounterCaseWork } from './caseWork';
import type { CounterContext } from './context';
import { caseMaterials, materialLine, missingRequired } from './rules/materials';
import type { CounterPrinting } from './printing';
import type { CounterSignIn } from './signIn';
import { withoutRejection } from './rules/workData';

/**
 * 受理 / 不予受理: the counter's decision on a case, committed to the outbox first (so nothing
 * is printed for a case decided elsewhere meanwhile), then its slip: the acceptance receipt
 * (and the department's confirmation where the console asks for one) or the one-time notice.
 */
export class CounterDecisions {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly caseWork: CounterCaseWork,
    private readonly printing: CounterPrinting,
    /** The central API's address as phones reach it, for the receipt's QR (see CounterRoleOptions). */
    private readonly publicBaseUrl: string | undefined,
  ) {}

  async accept(caseId: string, pendingMaterialIds: readonly string[] = []): Promise<{ case: CaseWork; receipt: PrintRecord }> {
    const { kase, work } = this.caseWork.editable(caseId);
    const session = this.signIn.require();
    const service = this.context.service(kase.serviceId);
    const pendingIds = new Set(pendingMaterialIds);
    if (pendingIds.size > 0 && !service.acceptWithPendingMaterials) {
      throw new LocalRejection('pending_not_allowed', `${service.name.zh} does not allow acceptance with pending materials (容缺受理)`);
    }
    const missing = missingRequired(caseMaterials(service, kase), new Set(work.received));
    const unexcused = missing.filter((m) => !pendingIds.has(m.id));
    if (unexcused.length > 0) {
      throw new LocalRejection('materials_missing', `required materials not received: ${unexcused.map((m) => m.name).join('、')}`);
    }
    // Only what is really missing can be pending: a received material named pending is dropped.
    const pending = missing.filter((m) => pendingIds.has(m.id));
    const counter = this.signIn.counter();
    const catalogue = this.context.catalogue();
    // The decision goes to the outbox first: if the case was decided elsewhere meanwhile, nothing is printed.
    const pageCounts = this.context.repository.pageCountsByMaterial(caseId);
    const caseNumber = this.caseNumber(counter);
    const receiptToken = randomBytes(16).toString('base64url');
    this.context.core.store.commit({
      type: 'acceptCase',
      payload: {
        caseId,
        staffId: session.staffId,
        counterId: counter.id,
        values: work.values,
        received: work.received.map((materialId) => ({ materialId, pageCount: pageCounts.get(materialId) ?? 0 })),
        caseNumber,
        receiptToken,
        ...(pending.length > 0 ? { pendingMaterialIds: pending.map((m) => m.id) } : {}),
        at: this.context.at(),
      },
    });
    const facts = {
      caseNumber,
      applicantMasked: kase.citizen?.maskedName.includes('*') ? kase.citizen.maskedName : work.identity?.maskedName.includes('*') ? work.identity.maskedName : '*（未登记）',
      counterNumber: counter.number,
      acceptedAt: this.context.at(),
      staffNumber: session.staffNumber,
      pending: pending.map((m) => m.name),
      received: caseMaterials(service, kase).filter((m) => work.received.includes(m.id)).map(materialLine),
      qrPayload: receiptQrPayload({ id: caseId, receiptToken }, catalogue.phoneLinks?.baseUrl ?? this.publicBaseUrl),
    };
    const slip = acceptanceReceipt(catalogue, service, facts);
    const confirmation = confirmationSlip(catalogue, service, facts);
    // The final form now travels in the outbox (scrubbed once acknowledged); the counter keeps no copy.
    this.caseWork.save(kase, { ...withoutRejection(work), values: {}, status: 'accepted', caseNumber, staffId: session.staffId });
    const receipt = await this.printing.print('acceptance_receipt', slip, kase);
    // The department's copy (受理确认单) only where the console asked for one.
    if (confirmation) await this.printing.print('confirmation_slip', confirmation, kase);
    return { case: this.caseWork.view(caseId), receipt };
  }

  async refuse(caseId: string, reason?: string): Promise<{ case: CaseWork; notice: PrintRecord }> {
    const { kase, work } = this.caseWork.editable(caseId);
    const session = this.signIn.require();
    const service = this.context.service(kase.serviceId);
    const missing = missingRequired(caseMaterials(service, kase), new Set(work.received));
    if (missing.length === 0) {
      throw new LocalRejection('nothing_missing', 'every required material is here: accept the case instead');
    }
    const catalogue = this.context.catalogue();
    const slip = oneTimeNotice(catalogue, service, {
      materials: missing.map((m) => materialLine(m)),
      notes: [reason, ...missing.flatMap((m) => m.reviewPoints.slice(0, 2))].filter((n): n is string => Boolean(n)),
      issuedAt: this.context.at(),
      counterNumber: this.signIn.counter().number,
    });
    const refusalReason = (reason?.trim() || `材料不全：${missing.map((m) => m.name).join('、')}`).slice(0, 200);
    this.context.core.store.commit({
      type: 'refuseCase',
      payload: { caseId, staffId: session.staffId, counterId: this.signIn.counter().id, reason: refusalReason, missingMaterialIds: missing.map((m) => m.id), at: this.context.at() },
    });
    this.caseWork.save(kase, { ...withoutRejection(work), values: {}, status: 'refused', refusalReason, staffId: session.staffId });
    const notice = await this.printing.print('one_time_notice', slip, kase);
    return { case: this.caseWork.view(caseId), notice };
  }

  /** 办件编号: the hall-day, the window, this counter's running count and a random tail (two offline counters never collide). */
  private caseNumber(counter: Counter): string {
    const day = this.context.core.today().replaceAll('-', '');
    const count = this.context.repository.acceptanceReceiptCount();
    return `${day}-${counter.number.padStart(2, '0')}-${String(count + 1).padStart(4, '0')}-${randomBytes(2).toString('hex')}`;
  }
}
