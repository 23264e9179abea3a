import type {
  CaseFormQuery,
  CaseFormResult,
  CaseWork,
  Case,
  ClerkSession,
  DeliveryMethod,
  HistoryEntry,
  IdentityCheck,
  PrintRecord,
  Rating,
  RatingRequest,
  Rejection,
  ResidenceFields,
  Ticket,
} from '@hall/shared';
import type { RenderedSlip } from '@hall/devices';
import { CounterAnnouncements } from './announcements';
import { CounterCapture } from './capture';
import { CounterCaseSteps } from './caseSteps';
import { CounterCaseWork } from './caseWork';
import { CounterContext } from './context';
import { ClerkAuth } from './clerkAuth';
import { CounterDecisions } from './decisions';
import { CounterDelivery } from './delivery';
import { CounterHandoffs } from './handoff';
import { CounterHistory } from './history';
import { CounterIdentities, type CitizenIdentity } from './identity';
import { CounterKioskForms } from './kioskForms';
import type { CounterRoleOptions } from './options';
import { CounterPrinting } from './printing';
import { CounterRating } from './rating';
import { CounterRejections } from './rejections';
import { CounterRepository, type PageMime } from './repository';
import { counterKeeps } from './rules/retention';
import { CounterServing } from './serving';
import { CounterSignIn } from './signIn';

export type { CitizenStanding, CounterRoleOptions } from './options';
export { saneScanner, type PageScanner } from './capture';
export { syncCaseForms, type CaseFormFetcher } from './kioskForms';

/**
 * What a counter station does beyond the shared queue core: the clerk's session, the
 * cases of the ticket being served (checklist, identity, capture), printed slips and
 * the rating. Every queue action still goes through the core (one local transaction
 * with its outbox entry), so calling works offline exactly like online.
 *
 * The role only assembles its concerns (one module each, over the typed CounterRepository)
 * and answers the station API and the other counter modules through them.
 */
export class CounterRole {
  readonly auth: ClerkAuth;
  /** The steps on any case of the hall after acceptance (办件查询, 补正, 办结, 发证, 撤销). */
  readonly caseSteps: CounterCaseSteps;
  /** 系统通知公告 the signed-in clerk has still to read (issue 20). */
  readonly announcements: CounterAnnouncements;
  /** 物料流转: slips started, printed and signed in at this counter. */
  readonly handoffs: CounterHandoffs;
  private readonly context: CounterContext;
  private readonly signIn: CounterSignIn;
  private readonly identities: CounterIdentities;
  private readonly rating: CounterRating;
  private readonly serving: CounterServing;
  private readonly caseWork: CounterCaseWork;
  private readonly kioskForms: CounterKioskForms;
  private readonly printing: CounterPrinting;
  private readonly capture: CounterCapture;
  private readonly decisions: CounterDecisions;
  private readonly delivery: CounterDelivery;
  private readonly rejections: CounterRejections;
  private readonly todaysHistory: CounterHistory;
  private readonly stopRetention: () => void;

  constructor(private readonly options: CounterRoleOptions) {
    const core = options.core;
    const repository = new CounterRepository(options.db);
    const context = new CounterContext(core, repository, options.now ?? Date.now);
    this.context = context;
    this.auth = new ClerkAuth(repository, options.central, context.now);
    this.signIn = new CounterSignIn(context, this.auth, options);
    this.identities = new CounterIdentities(options.idCardReader, options.idHashKey, context.now);
    this.rating = new CounterRating(context, this.signIn, options.emit);
    this.serving = new CounterServing(context, this.signIn, this.identities, this.rating);
    this.caseWork = new CounterCaseWork(context, this.signIn, this.identities, options.standing);
    this.kioskForms = new CounterKioskForms(context, this.signIn, options);
    this.printing = new CounterPrinting(context, this.signIn, options.printer);
    this.capture = new CounterCapture(context, this.signIn, this.caseWork, options.scanner);
    this.decisions = new CounterDecisions(context, this.signIn, this.caseWork, this.printing, options.publicBaseUrl);
    this.delivery = new CounterDelivery(context, this.signIn, this.identities, this.caseWork, this.printing, options);
    this.rejections = new CounterRejections(context);
    this.todaysHistory = new CounterHistory(context, this.signIn);
    this.handoffs = new CounterHandoffs(core, this, context.now);
    this.caseSteps = new CounterCaseSteps(core, repository, this, context.now);
    this.announcements = new CounterAnnouncements(core, repository, this, context.now);
    // counter.db forgets past hall-days when the station store does (rules/retention.ts says what stays).
    this.stopRetention = core.store.onRetention((policy) => {
      repository.forgetPastDays(policy, counterKeeps(core.store.live, core.store.replayedPayloads()));
    });
  }

  /* ---------- session (signIn.ts) ---------- */

  currentSession(): ClerkSession | null {
    return this.signIn.current();
  }

  login(login: string, password: string, counterId?: string): Promise<ClerkSession> {
    return this.signIn.login(login, password, counterId);
  }

  /** Signing out forgets the visit's identities; a rating still to come keeps the session open at the central API until it is recorded. */
  logout(): void {
    const ending = this.signIn.logout();
    this.identities.forgetAll();
    if (ending && !this.rating.awaitsIn(ending)) this.signIn.endSession(ending, this.context.at());
  }

  requireSession(): ClerkSession {
    return this.signIn.require();
  }

  /* ---------- queue actions with counter-side follow-up (serving.ts) ---------- */

  finish(ticketId: string): Ticket {
    return this.serving.finish(ticketId);
  }

  startServing(ticketId: string): Ticket {
    return this.serving.startServing(ticketId);
  }

  addMatter(ticketId: string, serviceId: string): Ticket {
    return this.serving.addMatter(ticketId, serviceId);
  }

  /* ---------- rating (rating.ts) ---------- */

  ratingPending(): RatingRequest | null {
    return this.rating.current();
  }

  submitRating(ticketId: string, rating: Rating): void {
    this.rating.submit(ticketId, rating);
  }

  /* ---------- case work (caseWork.ts, kioskForms.ts, identity.ts) ---------- */

  caseView(caseId: string): CaseWork {
    return this.caseWork.view(caseId);
  }

  caseForm(query: CaseFormQuery): Promise<CaseFormResult> {
    return this.kioskForms.caseForm(query);
  }

  casesForTicket(ticketId: string): CaseWork[] {
    return this.caseWork.casesForTicket(ticketId);
  }

  openCase(ticketId: string, serviceId: string): CaseWork {
    return this.caseWork.openCase(ticketId, serviceId);
  }

  updateForm(caseId: string, values: Record<string, string | number | string[]>): CaseWork {
    return this.caseWork.updateForm(caseId, values);
  }

  checkMaterial(caseId: string, materialId: string, received: boolean): CaseWork {
    return this.caseWork.checkMaterial(caseId, materialId, received);
  }

  readIdCard(): Promise<CitizenIdentity> {
    return this.identities.readIdCard();
  }

  idHash(idNumber: string): string {
    return this.identities.idHash(idNumber);
  }

  checkIdentity(caseId: string, method: IdentityCheck['method'], typed?: { idNumber?: string; name?: string }): Promise<CaseWork> {
    return this.caseWork.checkIdentity(caseId, method, typed);
  }

  fillFromResidenceCode(caseId: string, fields: ResidenceFields): string[] {
    return this.caseWork.fillFromResidenceCode(caseId, fields);
  }

  recordIdentity(caseId: string, identity: IdentityCheck): boolean {
    return this.caseWork.recordIdentity(caseId, identity);
  }

  /* ---------- decisions (decisions.ts, delivery.ts) ---------- */

  accept(caseId: string, pendingMaterialIds: readonly string[] = []): Promise<{ case: CaseWork; receipt: PrintRecord }> {
    return this.decisions.accept(caseId, pendingMaterialIds);
  }

  refuse(caseId: string, reason?: string): Promise<{ case: CaseWork; notice: PrintRecord }> {
    return this.decisions.refuse(caseId, reason);
  }

  setDelivery(caseId: string, delivery: DeliveryMethod, locker: { phone?: string; size?: 'small' | 'medium' | 'large' } = {}): Promise<{ case: CaseWork; slip?: PrintRecord }> {
    return this.delivery.setDelivery(caseId, delivery, locker);
  }

  /* ---------- printing (printing.ts) ---------- */

  print(kind: PrintRecord['kind'], slip: RenderedSlip, kase: Case): Promise<PrintRecord> {
    return this.printing.print(kind, slip, kase);
  }

  reprint(id: string): Promise<PrintRecord> {
    return this.printing.reprint(id);
  }

  /* ---------- capture (capture.ts) ---------- */

  addPage(caseId: string, materialId: string, mime: PageMime, bytes: Uint8Array, source: 'camera' | 'scanner', dpi?: number): CaseWork {
    return this.capture.addPage(caseId, materialId, mime, bytes, source, dpi);
  }

  scan(caseId: string, materialId: string, pages: number): Promise<CaseWork> {
    return this.capture.scan(caseId, materialId, pages);
  }

  reorder(caseId: string, materialId: string, pageIds: readonly string[]): CaseWork {
    return this.capture.reorder(caseId, materialId, pageIds);
  }

  removePage(caseId: string, pageId: string): CaseWork {
    return this.capture.removePage(caseId, pageId);
  }

  pageImage(pageId: string): { mime: PageMime; dataBase64: string } {
    return this.capture.pageImage(pageId);
  }

  materialPdf(caseId: string, materialId: string): Promise<{ dataBase64: string; pages: number }> {
    return this.capture.materialPdf(caseId, materialId);
  }

  /* ---------- the central API's answer (rejections.ts) ---------- */

  centralRejected(rejection: Rejection): boolean {
    return this.rejections.centralRejected(rejection);
  }

  /* ---------- history (history.ts) ---------- */

  history(): HistoryEntry[] {
    return this.todaysHistory.today();
  }

  close(): void {
    this.stopRetention();
    this.rating.close();
  }
}
