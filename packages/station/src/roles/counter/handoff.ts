import { randomBytes } from 'node:crypto';
import {
  caseMaterials,
  checkHandoffScan,
  handoffCases,
  handoffSlipCode,
  hallName,
  HANDOFF_STEP_NAMES,
  uuidV7,
  type Case,
  type Catalogue,
  type ClerkSession,
  type HandoffCandidate,
  type HandoffItem,
  type HandoffMark,
  type HandoffScanned,
  type HandoffView,
  type PrintRecord,
  localDay,
} from '@hall/shared';
import { renderSlip, type RenderedSlip } from '@hall/devices';
import type { StationCore } from '../../core';
import { LocalRejection } from '../../store/store';

/** What hand-offs borrow from the counter role: the session and the ticket printer. */
export interface HandoffRole {
  requireSession(): ClerkSession;
  print(kind: PrintRecord['kind'], slip: RenderedSlip, kase: Case): Promise<PrintRecord>;
}

/**
 * 物料流转 at the counter (issue 17): start a slip for cases just accepted (one, or several
 * bundled into a package for the runner) and print it; sign a slip in when the paper arrives
 * here (the delivery counter). Both are sync mutations decided by the shared executor, so the
 * counter does them offline and the hall agrees on the order.
 */
export class CounterHandoffs {
  constructor(
    private readonly core: StationCore,
    private readonly role: HandoffRole,
    private readonly now: () => number,
  ) {}

  /** The papers a case's slip lists by default: what the counter received, from the case's checklist. */
  defaultItems(caseId: string): HandoffItem[] {
    const kase = this.kase(caseId);
    const service = this.catalogue().services.find((s) => s.id === kase.serviceId);
    if (!service) return [];
    const received = new Set(kase.materials.filter((m) => m.received).map((m) => m.materialId));
    return caseMaterials(service, kase)
      .filter((m) => received.has(m.id))
      .map((m) => ({ id: m.id, name: m.name.slice(0, 80), copies: Math.max(1, m.originals + m.copies) }));
  }

  /** Cases accepted at this counter today whose paper is still here, newest first. */
  candidates(): HandoffCandidate[] {
    const session = this.role.requireSession();
    const today = this.core.today();
    const catalogue = this.catalogue();
    return Object.values(this.core.store.live.cases)
      .filter((c) => c.acceptedAt !== undefined && c.timeline.some((s) => s.kind === 'accepted' && s.counterId === session.counterId))
      .filter((c) => (c.handoff?.step ?? 'acceptance') === 'acceptance' && !['refused', 'withdrawn', 'closed'].includes(c.status))
      .filter((c) => localDay(Date.parse(c.acceptedAt!), catalogue.hall.timeZone) === today)
      .sort((a, b) => b.acceptedAt!.localeCompare(a.acceptedAt!))
      .map((c) => ({
        caseId: c.id,
        number: c.number ?? c.id.slice(0, 12),
        serviceName: catalogue.services.find((s) => s.id === c.serviceId)?.name.zh ?? c.serviceId,
        applicant: c.citizen?.maskedName ?? '—',
        acceptedAt: c.acceptedAt!,
        ...(c.handoff ? { handoffNumber: c.handoff.number } : {}),
        items: c.handoff?.items ?? this.defaultItems(c.id),
      }));
  }

  /** Starts one slip for these cases (a package when several), to this hall's desks or to another hall's (跨厅流转), and prints it. */
  async start(entries: readonly { caseId: string; items?: HandoffItem[] | undefined }[], toHallId?: string): Promise<{ handoff: HandoffView; slip: PrintRecord }> {
    const session = this.role.requireSession();
    if (entries.length === 0) throw new LocalRejection('not_in_package', 'choose at least one case for the slip');
    const destination = toHallId === undefined || toHallId === this.hallId() ? undefined : toHallId;
    if (destination && !this.catalogue().cityHalls?.some((h) => h.id === destination)) throw new LocalRejection('unknown_hall', `hall ${destination} is not a hall of this city`);
    const cases = entries.map((e) => ({ caseId: e.caseId, items: e.items && e.items.length > 0 ? e.items : this.defaultItems(e.caseId) }));
    const empty = cases.find((c) => c.items.length === 0);
    if (empty) throw new LocalRejection('unknown_item', `case ${this.kase(empty.caseId).number ?? empty.caseId} has no paper to hand off`);
    const handoffId = uuidV7(this.now(), randomBytes(10));
    const counter = this.catalogue().counters.find((c) => c.id === session.counterId);
    const number = `LZ${this.core.today().replaceAll('-', '')}-${(counter?.number ?? '00').padStart(2, '0')}-${randomBytes(3).toString('hex').toUpperCase()}`;
    const token = randomBytes(16).toString('base64url');
    this.core.store.commit({
      type: 'startHandoff',
      payload: { handoffId, number, token, staffId: session.staffId, counterId: session.counterId, cases, ...(destination ? { toHallId: destination } : {}), at: this.at() },
    });
    const started = handoffCases(this.core.store.live.cases, handoffId);
    const slip = await this.role.print('handoff_slip', this.slip(started, session), started[0]!);
    return { handoff: this.view(started), slip };
  }

  /**
   * A slip scanned at this counter signs its paper in here: at the delivery counter (the result
   * to hand out), or, given, another step. Refused plainly for another hall's slip, a forged code,
   * a second scan, or paper past this desk; nothing is sent then.
   */
  scan(code: string, options: ScanOptions = {}): HandoffView {
    const checked = this.check(code, options);
    this.core.store.commit({ type: 'signHandoff', payload: checked.payload });
    return this.view(handoffCases(this.core.store.live.cases, checked.payload.handoffId));
  }

  /**
   * The slip before its sign-in (the typed or pasted code): the clerk sees each case's papers and
   * marks what is missing or extra, then signs. Refused exactly as the scan would be; nothing is sent.
   */
  preview(code: string, options: Omit<ScanOptions, 'marks'> = {}): HandoffView {
    const checked = this.check(code, options);
    return this.view(handoffCases(this.core.store.live.cases, checked.payload.handoffId));
  }

  private check(code: string, options: ScanOptions) {
    const session = this.role.requireSession();
    const checked = checkHandoffScan(this.core.store.live, this.hallId(), code, {
      step: options.step ?? 'delivery',
      hallId: this.hallId(),
      staffId: session.staffId,
      counterId: session.counterId,
      at: this.at(),
      ...(options.marks ? { marks: options.marks } : {}),
    });
    if (!checked.ok) throw new LocalRejection(checked.code, checked.reason);
    return checked;
  }

  /**
   * Handing the result over also moves its paper out of the hall, when the case has a slip still
   * in the hall (the counter signs it to the citizen or the post). Nothing when it has none.
   */
  followHandover(caseId: string, to: 'citizen' | 'post'): void {
    const kase = this.core.store.live.cases[caseId];
    const h = kase?.handoff;
    if (!h || ['citizen', 'locker', 'post'].includes(h.step)) return;
    const session = this.role.requireSession();
    this.core.store.commit({
      type: 'signHandoff',
      payload: { handoffId: h.id, token: h.token, step: to, hallId: this.hallId(), staffId: session.staffId, counterId: session.counterId, caseIds: [caseId], marks: [], at: this.at() },
    });
  }

  view(cases: readonly Case[]): HandoffView {
    const first = cases[0]?.handoff;
    if (!first) throw new LocalRejection('forged_code', 'no slip of this hall has this code');
    const catalogue = this.catalogue();
    return {
      id: first.id,
      number: first.number,
      code: handoffSlipCode(this.hallId(), first),
      cases: cases.map((c) => ({
        caseId: c.id,
        number: c.number ?? c.id.slice(0, 12),
        serviceName: catalogue.services.find((s) => s.id === c.serviceId)?.name.zh ?? c.serviceId,
        applicant: c.citizen?.maskedName ?? '—',
        step: c.handoff!.step,
        items: c.handoff!.items,
        moves: c.handoff!.moves,
      })),
    };
  }

  /** 物料流转单 / 物料流转包: every case with its papers, applicants masked, and the code to scan. */
  private slip(cases: readonly Case[], session: ClerkSession): RenderedSlip {
    const catalogue = this.catalogue();
    const h = cases[0]!.handoff!;
    const lines = cases.flatMap((c) => {
      const service = catalogue.services.find((s) => s.id === c.serviceId);
      const department = catalogue.departments?.find((d) => d.id === (c.departmentId ?? service?.departmentId));
      return [
        { kind: 'rule' as const },
        { kind: 'text' as const, text: `办件编号：${c.number ?? c.id}`, bold: true },
        { kind: 'text' as const, text: `申请人：${c.citizen?.maskedName ?? '—'}` },
        { kind: 'text' as const, text: `事项：${(service?.name.zh ?? c.serviceId).slice(0, 60)}` },
        { kind: 'text' as const, text: `办件类型：${service?.guide.promisedDays === 0 ? '即办件' : '承诺件'} 部门：${department?.name.zh ?? '—'}` },
        ...c.handoff!.items.map((item) => ({ kind: 'text' as const, text: `□ ${item.name} ×${item.copies}` })),
      ];
    });
    return renderSlip({
      paper: '80mm',
      cut: 'partial',
      blocks: [
        { kind: 'text', text: catalogue.hall.name.zh.slice(0, 40), align: 'center', bold: true },
        { kind: 'text', text: cases.length > 1 ? '物料流转包' : '物料流转单', align: 'center', bold: true, size: 2 },
        { kind: 'text', text: `流转编号：${h.number}`, bold: true },
        { kind: 'text', text: `共 ${cases.length} 件 交出：${HANDOFF_STEP_NAMES.acceptance.zh} ${session.staffNumber}` },
        ...(h.toHallId ? [{ kind: 'text' as const, text: `流转至：${hallName(catalogue, h.toHallId).zh.slice(0, 40)}`, bold: true }] : []),
        ...lines,
        { kind: 'rule' },
        { kind: 'qr', payload: handoffSlipCode(this.hallId(), h), moduleSize: 4 },
        { kind: 'text', text: '各环节收件请核对材料后扫码签收', align: 'center' },
      ],
    });
  }

  private hallId(): string {
    return this.catalogue().hall.id;
  }

  private catalogue(): Catalogue {
    const catalogue = this.core.store.catalogue;
    if (!catalogue) throw new LocalRejection('no_catalogue', 'the hall catalogue has not been downloaded yet');
    return catalogue;
  }

  private kase(id: string): Case {
    const kase = this.core.store.live.cases[id];
    if (!kase) throw new LocalRejection('unknown_case', `case ${id} is not known here`);
    return kase;
  }

  private at(): string {
    return new Date(this.now()).toISOString();
  }
}

type ScanOptions = { step?: 'delivery' | 'citizen' | 'post'; marks?: HandoffMark[] | undefined };

/**
 * The counter's code scanner read a slip: show it for the check (untick missing papers, add extra
 * ones, then 签收), exactly as a typed code does, or say why not. A scan never signs by itself:
 * a missing or extra paper must be recorded, not ignored.
 */
export function handoffScanned(handoffs: Pick<CounterHandoffs, 'preview'>, code: string, now: () => number = Date.now): HandoffScanned {
  const at = new Date(now()).toISOString();
  try {
    return { outcome: 'check', handoff: handoffs.preview(code), slipCode: code.trim(), at };
  } catch (error) {
    if (error instanceof LocalRejection) return { outcome: 'refused', code: error.code, message: error.message, at };
    throw error;
  }
}
