import { randomBytes } from 'node:crypto';
import {
  caseStage,
  DEFAULT_CASE_RULES,
  maskName,
  normaliseIdNumber,
  parseIdNumber,
  parseReceiptQr,
  receiptMatches,
  uuidV7,
  type Case,
  type CaseFile,
  type CaseFileQuery,
  type CaseScan,
  type Catalogue,
  type ClerkSession,
  type Handover,
  type PrintRecord,
  type Service,
} from '@hall/shared';
import type { RenderedSlip } from '@hall/devices';
import type { StationCore } from '../../core';
import { LocalRejection } from '../../store/store';
import { imageSize } from './rules/imageSize';
import { caseMaterials } from './rules/materials';
import type { CounterRepository } from './repository';
import { counterSlip } from './slips';

/** What the case steps borrow from the counter role: the session, the ID-card reader, the printer. */
export interface CaseStepsRole {
  requireSession(): ClerkSession;
  readIdCard(): Promise<{ idNumber: string; name?: string }>;
  idHash(idNumber: string): string;
  print(kind: PrintRecord['kind'], slip: RenderedSlip, kase: Case): Promise<PrintRecord>;
  /** 物料流转: a hand-over moves the case's paper out of the hall too. */
  readonly handoffs?: { followHandover(caseId: string, to: 'citizen' | 'post'): void };
}

export type HandOverRequest =
  | { caseId: string; method: 'counter'; proxy: boolean; photo?: { mime: 'image/png' | 'image/jpeg'; dataBase64: string } | undefined }
  | { caseId: string; method: 'post'; courier: string; trackingNumber: string };

/** How many cases a look-up answers at most (an ID number of a citizen with a long history). */
const FIND_LIMIT = 50;

/**
 * The counter's steps on a case after its acceptance (issue 16): find any case of the hall in
 * the station's replicated state and take the steps a window takes — supplement, 即办 completion,
 * hand-over, withdrawal, consultation, change of delivery. Each step is one sync mutation the
 * shared executor decides the same way here and on the central API, so it works offline; the
 * role's clerk session proves each one.
 */
export class CounterCaseSteps {
  private readonly now: () => number;

  constructor(
    private readonly core: StationCore,
    private readonly repository: CounterRepository,
    private readonly role: CaseStepsRole,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  /* ---------- finding ---------- */

  find(query: CaseFileQuery): CaseFile[] {
    this.role.requireSession();
    const cases = Object.values(this.core.store.live.cases);
    let found: Case[];
    if ('number' in query) {
      const wanted = query.number.trim().toLowerCase();
      found = cases.filter((c) => c.number !== undefined && c.number.toLowerCase() === wanted);
    } else if ('receipt' in query) {
      const scan = this.receipt(query.receipt);
      found = scan.outcome === 'found' && scan.caseId ? [this.kase(scan.caseId)] : [];
      if (scan.outcome === 'token_mismatch') throw new LocalRejection('receipt_mismatch', 'the receipt does not match the case it names (forged or from another hall)');
    } else {
      if (!parseIdNumber(query.idNumber).ok) throw new LocalRejection('invalid_id_number', 'the ID number is not valid (check digit or date)');
      found = this.byIdHash(this.role.idHash(normaliseIdNumber(query.idNumber)));
    }
    return this.newestFirst(found).map((c) => this.view(c));
  }

  /** The citizen's cases by the ID card on the reader. */
  async findByCard(): Promise<CaseFile[]> {
    this.role.requireSession();
    const card = await this.role.readIdCard();
    return this.newestFirst(this.byIdHash(this.role.idHash(card.idNumber))).map((c) => this.view(c));
  }

  /** A receipt QR from the code scanner: the case it opens when its token matches (checked offline). */
  receipt(text: string): CaseScan {
    const at = new Date(this.now()).toISOString();
    const parsed = parseReceiptQr(text);
    const kase = parsed ? this.core.store.live.cases[parsed.caseId] : undefined;
    if (!parsed || !kase) return { outcome: 'unknown', at };
    return receiptMatches(kase, parsed.token) ? { outcome: 'found', caseId: kase.id, at } : { outcome: 'token_mismatch', at };
  }

  private byIdHash(hash: string): Case[] {
    return Object.values(this.core.store.live.cases).filter((c) => c.citizen?.idHash === hash);
  }

  private newestFirst(cases: Case[]): Case[] {
    return [...cases].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)).slice(0, FIND_LIMIT);
  }

  get(caseId: string): CaseFile {
    this.role.requireSession();
    return this.view(this.kase(caseId));
  }

  /* ---------- steps ---------- */

  /** Papers brought for the open supplement request or for materials accepted as pending; pages captured here count. */
  recordSupplement(caseId: string, materialIds: readonly string[], note?: string): CaseFile {
    const session = this.role.requireSession();
    const kase = this.kase(caseId);
    const newPages = this.newPages(kase);
    this.core.store.commit({
      type: 'recordSupplement',
      payload: {
        caseId,
        staffId: session.staffId,
        counterId: session.counterId,
        received: [...new Set(materialIds)].map((materialId) => ({ materialId, pageCount: newPages.get(materialId) ?? 0 })),
        ...(note ? { note } : {}),
        at: this.at(),
      },
    });
    return this.get(caseId);
  }

  complete(caseId: string, note?: string): CaseFile {
    const session = this.role.requireSession();
    this.core.store.commit({ type: 'completeCase', payload: { caseId, staffId: session.staffId, counterId: session.counterId, ...(note ? { note } : {}), at: this.at() } });
    return this.get(caseId);
  }

  async handOver(request: HandOverRequest): Promise<{ case: CaseFile; slip?: PrintRecord }> {
    const session = this.role.requireSession();
    const kase = this.kase(request.caseId);
    if (request.method === 'post') {
      const handover: Handover = { method: 'post', courier: request.courier, trackingNumber: request.trackingNumber, counterId: session.counterId };
      this.commitHandover(kase, handover, session);
      const slip = await this.role.print('mailing_slip', this.mailingSlip(kase, request.courier, request.trackingNumber), kase);
      return { case: this.get(kase.id), slip };
    }
    if (kase.status !== 'completed') throw new LocalRejection('case_wrong_status', `the result is handed over once the case is completed; it is ${kase.status}`);
    const card = await this.role.readIdCard();
    const idHash = this.role.idHash(card.idNumber);
    const own = kase.citizen !== undefined && kase.citizen.idHash === idHash;
    // Whoever is not the applicant collects as a proxy, on their own ID card, and the clerk says so.
    if (!own && !request.proxy) {
      throw new LocalRejection('not_the_applicant', 'the ID card on the reader is not the applicant\'s: confirm collection by a proxy (代领) with the proxy\'s own card');
    }
    const photoRef = request.photo ? this.keepPhoto(kase.id, request.photo) : undefined;
    const handover: Handover = {
      method: 'counter',
      counterId: session.counterId,
      collection: { maskedName: card.name ? maskName(card.name) : '—', idHash, proxy: !own, ...(photoRef ? { photoRef } : {}) },
    };
    this.commitHandover(kase, handover, session);
    return { case: this.get(kase.id) };
  }

  private commitHandover(kase: Case, handover: Handover, session: ClerkSession): void {
    this.core.store.commit({ type: 'handOverResult', payload: { caseId: kase.id, staffId: session.staffId, counterId: session.counterId, handover, at: this.at() } });
    if (handover.method === 'counter' || handover.method === 'post') this.role.handoffs?.followHandover(kase.id, handover.method === 'counter' ? 'citizen' : 'post');
  }

  /** The collector's photo stays on this station; the case names it only. */
  private keepPhoto(caseId: string, photo: { mime: 'image/png' | 'image/jpeg'; dataBase64: string }): string {
    const bytes = Buffer.from(photo.dataBase64, 'base64');
    const size = imageSize(photo.mime, bytes);
    if (!size || size.width < 16 || size.height < 16) throw new LocalRejection('bad_image', `the photo is not a readable ${photo.mime} image`);
    const id = uuidV7(this.now(), randomBytes(10));
    this.repository.keepCollectorPhoto({ id, caseId, mime: photo.mime, bytes, at: this.at() });
    return `counter-photo:${id}`;
  }

  private mailingSlip(kase: Case, courier: string, trackingNumber: string): RenderedSlip {
    return counterSlip(this.catalogue().hall.name.zh, '办件结果邮寄单', [
      { kind: 'text', text: `办件编号：${kase.number ?? kase.id}` },
      { kind: 'text', text: `事项：${this.service(kase.serviceId).name.zh}` },
      { kind: 'text', text: `申请人：${kase.citizen?.maskedName ?? '—'}` },
      { kind: 'text', text: `快递公司：${courier}` },
      { kind: 'text', text: `运单号：${trackingNumber}`, bold: true },
      { kind: 'qr', payload: trackingNumber, moduleSize: 4 },
      { kind: 'text', text: '请将本单随结果文书一并装入邮件袋', align: 'center' },
    ]);
  }

  requestWithdrawal(caseId: string, cause: 'citizen_request' | 'clerk_error', reason: string): CaseFile {
    const session = this.role.requireSession();
    this.core.store.commit({ type: 'requestWithdrawal', payload: { caseId, staffId: session.staffId, counterId: session.counterId, cause, reason, at: this.at() } });
    return this.get(caseId);
  }

  requestConsult(caseId: string, question: string): CaseFile {
    const session = this.role.requireSession();
    this.core.store.commit({ type: 'requestConsult', payload: { caseId, staffId: session.staffId, counterId: session.counterId, question, at: this.at() } });
    return this.get(caseId);
  }

  changeDelivery(caseId: string, delivery: 'counter' | 'post' | 'electronic', reason: string): CaseFile {
    const session = this.role.requireSession();
    const kase = this.kase(caseId);
    if (kase.delivery === delivery) throw new LocalRejection('same_delivery', `the result already goes by ${delivery}`);
    this.core.store.commit({ type: 'chooseDelivery', payload: { caseId, staffId: session.staffId, counterId: session.counterId, delivery, reason, at: this.at() } });
    return this.get(caseId);
  }

  /* ---------- the view ---------- */

  /** Pages captured at this counter beyond what the case already counts, per material: the supplement's pages. */
  private newPages(kase: Case): Map<string, number> {
    const captured = this.repository.pageCountsByMaterial(kase.id);
    const counted = new Map(kase.materials.map((m) => [m.materialId, m.pageCount]));
    return new Map([...captured].map(([materialId, n]) => [materialId, Math.max(0, n - (counted.get(materialId) ?? 0))]));
  }

  private view(kase: Case): CaseFile {
    const catalogue = this.catalogue();
    const service = this.service(kase.serviceId);
    const materials = caseMaterials(service, kase);
    const names = new Map(materials.map((m) => [m.id, m.name]));
    const counterNumber = (id: string | undefined) => (id === undefined ? undefined : (catalogue.counters.find((c) => c.id === id)?.number ?? id));
    const { stage, dueAt } = caseStage(kase, catalogue.caseRules ?? DEFAULT_CASE_RULES, catalogue.hall, catalogue.calendar);
    const newPages = this.newPages(kase);
    const recorded = new Map(kase.materials.map((m) => [m.materialId, m]));
    const ticket = kase.ticketId ? this.core.store.live.queue.tickets[kase.ticketId] : undefined;
    const h = kase.handover;
    return {
      caseId: kase.id,
      ...(kase.number ? { number: kase.number } : {}),
      serviceId: service.id,
      serviceName: service.name.zh,
      status: kase.status,
      stage,
      ...(dueAt ? { dueAt } : {}),
      ...(kase.citizen ? { citizenMaskedName: kase.citizen.maskedName } : {}),
      ...(ticket ? { ticketNumber: ticket.number } : {}),
      submittedAt: kase.submittedAt,
      ...(kase.acceptedAt ? { acceptedAt: kase.acceptedAt } : {}),
      ...(kase.completedAt ? { completedAt: kase.completedAt } : {}),
      ...(kase.deliveredAt ? { deliveredAt: kase.deliveredAt } : {}),
      ...(kase.delivery ? { delivery: kase.delivery } : {}),
      instant: service.guide.promisedDays === 0,
      acceptWithPendingMaterials: service.acceptWithPendingMaterials === true,
      materials: materials.map((m) => ({
        materialId: m.id,
        name: m.name,
        required: m.required,
        received: recorded.get(m.id)?.received ?? false,
        pending: kase.pendingMaterialIds.includes(m.id),
        pageCount: recorded.get(m.id)?.pageCount ?? 0,
        newPages: newPages.get(m.id) ?? 0,
      })),
      supplements: kase.supplements.map((s) => ({
        id: s.id,
        requestedAt: s.requestedAt,
        dueAt: s.dueAt,
        items: s.items.map((i) => ({ ...(i.materialId ? { materialId: i.materialId, materialName: names.get(i.materialId) ?? i.materialId } : {}), note: i.note })),
        ...(s.receivedAt ? { receivedAt: s.receivedAt } : {}),
        ...(s.receivedAtCounterId ? { receivedAtCounterNumber: counterNumber(s.receivedAtCounterId) } : {}),
      })),
      ...(kase.consult ? { consult: kase.consult } : {}),
      ...(h
        ? {
            handover:
              h.method === 'counter'
                ? { method: 'counter' as const, maskedName: h.collection.maskedName, proxy: h.collection.proxy, hasPhoto: h.collection.photoRef !== undefined }
                : h.method === 'post'
                  ? { method: 'post' as const, courier: h.courier, trackingNumber: h.trackingNumber }
                  : { method: h.method },
          }
        : {}),
      ...(kase.withdrawal
        ? {
            withdrawal: {
              requestedAt: kase.withdrawal.requestedAt,
              cause: kase.withdrawal.cause,
              reason: kase.withdrawal.reason,
              ...(kase.withdrawal.approvedAt ? { approvedAt: kase.withdrawal.approvedAt } : {}),
            },
          }
        : {}),
      ...(kase.refusalReason ? { refusalReason: kase.refusalReason } : {}),
      timeline: kase.timeline.map((s) => ({
        at: s.at,
        kind: s.kind,
        ...(s.note ? { note: s.note } : {}),
        ...(s.staffId ? { staffId: s.staffId } : {}),
        ...(s.counterId ? { counterNumber: counterNumber(s.counterId) } : {}),
      })),
    };
  }

  private catalogue(): Catalogue {
    const catalogue = this.core.store.catalogue;
    if (!catalogue) throw new LocalRejection('no_catalogue', 'the hall catalogue has not been downloaded yet');
    return catalogue;
  }

  private service(id: string): Service {
    const service = this.catalogue().services.find((s) => s.id === id);
    if (!service) throw new LocalRejection('unknown_service', `service ${id} does not exist`);
    return service;
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
