import type Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import {
  clerkMayServe,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  parseIdNumber,
  queueIntent,
  receiptQrPayload,
  uuidV7,
  type Case,
  type CaseForm,
  type CentralRejection,
  type CaseFormQuery,
  type CaseFormResult,
  type CaseWork,
  type Catalogue,
  type ChecklistItem,
  type ClerkSession,
  type Counter,
  type DeliveryMethod,
  type EventData,
  type HistoryEntry,
  type IdentityCheck,
  type PrintRecord,
  type Rating,
  type RatingRequest,
  type Rejection,
  type ResidenceFields,
  type Service,
  type StationEvent,
  type Ticket,
  localDay,
  matterCitizen,
} from '@hall/shared';
import type { IdCardRead, IdCardReader } from '@hall/devices';
import { combinePagesToPdf, scanPages, type SaneEnvironment, renderSlip, type RenderedSlip, type TicketPrinter } from '@hall/devices';
import type { StationCore } from '../../core';
import { openClerkSession, type ClerkSessionProver } from '../../clerk/session';
import { SyncHttpError, type SyncClient } from '../../sync/client';
import { LocalRejection } from '../../store/store';
import { ClerkAuth, type CentralLogin, type DepartmentNames, type DepositCodeIssuer } from './clerkAuth';
import type { OfflineDepositIssuer } from './depositDelegation';
import { answerLabels, caseMaterials, materialLine, missingRequired, situationName } from './materials';
import { imageSize } from './imageSize';
import { CounterCaseSteps } from './caseSteps';
import { acceptanceReceipt, confirmationSlip, oneTimeNotice } from '../slipWording';
import { counterKeeps, forgetCounterPastDays } from './retention';
import { CounterAnnouncements } from './announcements';
import { CounterHandoffs } from './handoff';

/** Scans pages on a SANE scanner: the devices package's scanimage driver behind a small seam. */
export type PageScanner = (pages: number) => Promise<{ mime: 'image/png' | 'image/jpeg'; bytes: Uint8Array; resolutionDpi?: number }[]>;

/** The counter's SANE scanner (`scanimage`), grey PNG pages at a resolution fit for archiving. */
export function saneScanner(device: string, env: SaneEnvironment = {}, resolutionDpi = 200): PageScanner {
  return async (pages) =>
    (await scanPages({ ...env, device, pages, resolutionDpi, mode: 'Gray', format: 'png' })).map((p) => ({
      mime: 'image/png' as const,
      bytes: p.bytes,
      resolutionDpi: p.resolutionDpi,
    }));
}

/** A citizen's standing from the central API by keyed ID hash; undefined when it cannot be asked in time. */
export type CitizenStanding = (idHash: string) => Promise<IdentityCheck['standing']>;

export interface CounterRoleOptions {
  core: StationCore;
  /** 信用情况 shown with an identity check (no-shows, a bar); omitted offline. */
  standing?: CitizenStanding;
  db: Database.Database;
  central: CentralLogin;
  /**
   * Tells the central API the clerk signed out, so the session proves nothing made later.
   * Best effort: offline, the session simply ends with its hours.
   */
  signOut?: (end: { keyId: string; session: string; endedAt: string }) => void;
  /**
   * The central API's address as citizens' phones reach it: the acceptance receipt's QR is then
   * a link to its /track page; without it the QR is the hall-only `hall:case:` text.
   */
  publicBaseUrl?: string;
  /** 存件码 from the central locker service. */
  depositCodes?: DepositCodeIssuer;
  /**
   * 存件码 signed here with the counter's delegated key (depositDelegation.ts) when the central
   * locker service cannot be reached: an offline sign-in, sync offline, or the request failed
   * for want of the network.
   */
  offlineDepositCodes?: OfflineDepositIssuer;
  /** The hall's department names (central API); cached here for offline sign-ins. */
  departments?: () => Promise<DepartmentNames | undefined>;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  printer?: TicketPrinter;
  idCardReader?: IdCardReader;
  scanner?: PageScanner;
  /** 回显: the kiosk's forms from the central API (see syncCaseForms); absent means always offline. */
  caseForms?: CaseFormFetcher;
  /**
   * Whether sync reaches the central API now (the station's sync status). While it does not,
   * a kiosk form the hall mesh brought answers at once instead of after the fetch's timeout.
   */
  online?: () => boolean;
  /** The city's key for citizen id hashes (CitizenRef.idHash): HMAC-SHA256 over the normalised number. */
  idHashKey: string;
  now?: () => number;
}

/** Fetches kiosk forms from the central API; expected failures are results, not exceptions. */
export type CaseFormFetcher = (
  query: CaseFormQuery,
) => Promise<{ status: 'ok'; forms: CaseForm[] } | { status: 'offline' | 'not_found'; message: string }>;

/** The station's sync client as the counter's form source: network trouble means offline. */
export function syncCaseForms(client: Pick<SyncClient, 'caseForms'>): CaseFormFetcher {
  return async (query) => {
    try {
      return { status: 'ok', forms: (await client.caseForms(query)).forms };
    } catch (error) {
      if (error instanceof SyncHttpError && error.status === 404) return { status: 'not_found', message: error.message };
      if (error instanceof SyncHttpError && error.transient) return { status: 'offline', message: 'the central system is not reachable: the kiosk form is not available offline' };
      throw error;
    }
  };
}

/** The counter's per-case working data, stored as JSON beside the case. */
interface WorkData {
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
  /** The central API rejected this counter's last decision on the case (see centralRejected). */
  centralRejection?: CentralRejection;
  /** Field ids last filled from a residence code (码上受理). */
  fromResidenceCode?: string[];
}

/** Counter decisions whose rejection by the central API changes what this counter recorded. */
const DECISION_TYPES: ReadonlySet<string> = new Set(['acceptCase', 'refuseCase', 'chooseDelivery', 'recordEvaluation']);

interface PageRow {
  id: string;
  case_id: string;
  material_id: string;
  position: number;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  source: 'camera' | 'scanner';
}

interface PrintRow {
  id: string;
  kind: PrintRecord['kind'];
  ticket_id: string | null;
  case_id: string | null;
  at: string;
  preview: string;
  escpos: Buffer;
  printed: number;
  printer_error: string | null;
}

/**
 * What a counter station does beyond the shared queue core: the clerk's session, the
 * cases of the ticket being served (checklist, identity, capture), printed slips and
 * the rating. Every queue action still goes through the core (one local transaction
 * with its outbox entry), so calling works offline exactly like online.
 */
export class CounterRole {
  readonly auth: ClerkAuth;
  /** The steps on any case of the hall after acceptance (办件查询, 补正, 办结, 发证, 撤销). */
  readonly caseSteps: CounterCaseSteps;
  /** 系统通知公告 the signed-in clerk has still to read (issue 20). */
  readonly announcements: CounterAnnouncements;
  /** 物料流转: slips started, printed and signed in at this counter. */
  readonly handoffs: CounterHandoffs;
  private session: ClerkSession | null = null;
  /** The clerk's central API token (online sign-ins only); memory only, gone at sign-out. */
  private token: string | undefined;
  /**
   * The ID number and name read or typed at the counter, per case: needed for the locker's
   * deposit code, kept in memory only and dropped when the ticket is finished.
   */
  private readonly identities = new Map<string, { idNumber: string; name?: string }>();
  /** The card the reader saw last (it polls): used once by the next ID-card check, then dropped. */
  private lastCard: { read: IdCardRead; at: number } | undefined;
  /** `clerk`: the session the rated ticket was served in; the rating may arrive after the clerk signed out. */
  private pendingRating:
    | { request: RatingRequest; timer: ReturnType<typeof setTimeout>; staffId: string; counterId: string; clerk: ClerkSessionProver | undefined }
    | undefined;
  private readonly core: StationCore;
  private readonly db: Database.Database;
  private readonly emit: CounterRoleOptions['emit'];
  private readonly now: () => number;

  constructor(private readonly options: CounterRoleOptions) {
    this.core = options.core;
    this.db = options.db;
    this.emit = options.emit;
    this.now = options.now ?? Date.now;
    this.auth = new ClerkAuth(options.db, options.central, this.now);
    this.handoffs = new CounterHandoffs(this.core, this, this.now);
    this.caseSteps = new CounterCaseSteps(this.core, this.db, this, this.now);
    this.announcements = new CounterAnnouncements(this.core, this.db, this, this.now);
    options.idCardReader?.on('card', (read) => {
      this.lastCard = { read, at: this.now() };
    });
    options.idCardReader?.on('removed', () => {
      this.lastCard = undefined;
    });
    // counter.db forgets past hall-days when the station store does (retention.ts).
    this.stopRetention = this.core.store.onRetention((policy) => {
      forgetCounterPastDays(this.db, policy, counterKeeps(this.core.store.live, this.core.store.replayedPayloads()));
    });
  }

  private readonly stopRetention: () => void;

  /* ---------- session ---------- */

  currentSession(): ClerkSession | null {
    return this.session;
  }

  async login(login: string, password: string, counterId?: string): Promise<ClerkSession> {
    const catalogue = this.catalogue();
    const chosen = counterId ?? this.core.identity.counterId;
    const counter = catalogue.counters.find((c) => c.id === chosen);
    if (!counter) throw new LocalRejection('unknown_counter', `counter ${chosen ?? '?'} is not in this hall`);
    // The central API lets this device act for the counter it is bound to only: a clerk signs in there.
    const bound = this.core.boundCounterId;
    if (bound !== undefined && counter.id !== bound) {
      const number = catalogue.counters.find((c) => c.id === bound)?.number ?? bound;
      throw new LocalRejection('not_own_counter', `this station serves counter ${number}; sign in at counter ${counter.number}'s own station`);
    }
    if (this.session && this.session.staffId !== undefined) {
      throw new LocalRejection('session_open', `${this.session.displayName} is signed in at this window; sign out first`);
    }
    const outcome = await this.auth.login(login, password);
    if (!outcome.ok) throw new LocalRejection(outcome.code, outcome.message);
    // The console's assignment travels in the catalogue, so the same rule holds offline (the
    // verifier cached at the last online sign-in) and online; the central API checks it again.
    if (!clerkMayServe(catalogue, outcome.staff.id, counter.id)) {
      const theirs = (catalogue.clerkCounters?.[outcome.staff.id] ?? []).map((id) => catalogue.counters.find((c) => c.id === id)?.number ?? id);
      throw new LocalRejection(
        'counter_not_assigned',
        `${outcome.staff.displayName} is not assigned to counter ${counter.number} (${counter.name.zh}); assigned: ${theirs.join(', ')}`,
      );
    }
    const departmentId = counter.departmentId ?? outcome.staff.departmentId;
    const departmentName = departmentId ? (await this.departmentNames())[departmentId] : undefined;
    // The window is chosen at sign-in; every later counter action uses it (never an id sent per call).
    this.core.identity.counterId = counter.id;
    // Counter commands carry the clerk from now on, so central statistics know who served, and
    // the session's proof, so the central API knows the clerk signed in here (clerk/session.ts).
    openClerkSession(this.core, outcome.clerkKey, { staffId: outcome.staff.id, counterId: counter.id });
    this.session = {
      staffId: outcome.staff.id,
      login: outcome.staff.login,
      displayName: outcome.staff.displayName,
      staffNumber: outcome.staff.staffNumber,
      ...(departmentId ? { departmentId } : {}),
      ...(departmentName ? { departmentName } : {}),
      counterId: counter.id,
      offline: outcome.offline,
      since: this.at(),
    };
    this.token = outcome.token;
    // A window opens when its clerk signs in (the signs show it ready), so the first call is one step.
    if (this.counterState(counter.id) === 'closed') this.core.counterCommand('openCounter');
    this.emit('clerk.session', this.session);
    return this.session;
  }

  private async departmentNames(): Promise<DepartmentNames> {
    const fresh = await this.options.departments?.();
    if (fresh) {
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('departments', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(fresh));
      return fresh;
    }
    const cached = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'departments'").get();
    return cached ? (JSON.parse(cached.value) as DepartmentNames) : {};
  }

  private counterState(counterId: string): string {
    return this.core.store.live.queue.counters[counterId]?.state.status ?? 'closed';
  }

  /** Signing out closes an idle or paused window; one still holding a citizen stays as it is. */
  logout(): void {
    const counterId = this.session?.counterId;
    if (counterId && ['open', 'paused'].includes(this.counterState(counterId))) {
      try {
        this.core.counterCommand('closeCounter');
      } catch {
        // Closing is a courtesy to the signs; signing out must not fail because of it.
      }
    }
    const ending = this.core.clerkSession();
    this.session = null;
    this.token = undefined;
    this.core.setClerkSession(undefined);
    this.identities.clear();
    this.emit('clerk.session', null);
    // A rating still to come belongs to the session: it ends once the rating is recorded.
    if (ending && this.pendingRating?.clerk !== ending) this.endSession(ending, this.at());
  }

  private endSession(session: ClerkSessionProver, endedAt: string): void {
    this.options.signOut?.({ keyId: session.facts.keyId, session: session.facts.session, endedAt });
  }

  requireSession(): ClerkSession {
    if (!this.session) throw new LocalRejection('not_signed_in', 'a clerk must sign in at this window first');
    return this.session;
  }

  /* ---------- queue actions that need counter-side follow-up ---------- */

  finish(ticketId: string): Ticket {
    const session = this.requireSession();
    const ticket = this.core.ticketCommand('finish', ticketId);
    for (const kase of Object.values(this.core.store.live.cases)) if (kase.ticketId === ticketId) this.identities.delete(kase.id);
    this.db
      .prepare('INSERT INTO served (ticket_id, staff_id, day, at) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING')
      .run(ticketId, session.staffId, this.core.today(), this.at());
    this.requestRating(ticket, session);
    return ticket;
  }

  /** Serving starts: remembered so history shows the clerk's tickets even if finished elsewhere later. */
  startServing(ticketId: string): Ticket {
    const session = this.requireSession();
    const ticket = this.core.ticketCommand('startServing', ticketId);
    this.db
      .prepare('INSERT INTO served (ticket_id, staff_id, day, at) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING')
      .run(ticketId, session.staffId, this.core.today(), this.at());
    return ticket;
  }

  /** 一号联办: the matter joins the ticket (synced) and gets a case of its own at the counter. */
  addMatter(ticketId: string, serviceId: string): Ticket {
    const session = this.requireSession();
    this.service(serviceId);
    this.core.store.commit(queueIntent({ type: 'addService', ticketId, serviceId }, this.at(), session.staffId));
    return this.ticket(ticketId);
  }

  /* ---------- rating ---------- */

  private requestRating(ticket: Ticket, session: ClerkSession): void {
    if (this.pendingRating) this.recordRating(this.pendingRating.request.ticketId, 'satisfied', true);
    const seconds = this.catalogue().callingRules.ratingTimeoutSeconds;
    const request: RatingRequest = {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      counterNumber: this.counter().number,
      staffNumber: session.staffNumber,
      deadline: new Date(this.now() + seconds * 1000).toISOString(),
      timeoutSeconds: seconds,
    };
    // No answer in time counts as "good" (好评), as the hall's rules say.
    const timer = setTimeout(() => this.recordRating(ticket.id, 'satisfied', true), seconds * 1000);
    timer.unref?.();
    this.pendingRating = { request, timer, staffId: session.staffId, counterId: session.counterId, clerk: this.core.clerkSession() };
    this.emit('rating.requested', request);
  }

  ratingPending(): RatingRequest | null {
    return this.pendingRating?.request ?? null;
  }

  submitRating(ticketId: string, rating: Rating): void {
    if (this.pendingRating?.request.ticketId !== ticketId) {
      throw new LocalRejection('no_rating_pending', 'this ticket is not waiting for a rating');
    }
    this.recordRating(ticketId, rating, false);
  }

  private recordRating(ticketId: string, rating: Rating, defaulted: boolean): void {
    const pending = this.pendingRating;
    if (!pending || pending.request.ticketId !== ticketId) return;
    clearTimeout(pending.timer);
    this.pendingRating = undefined;
    const at = this.at();
    try {
      const record = () =>
        this.core.store.commit({
          type: 'recordEvaluation',
          payload: { evaluationId: uuidV7(this.now(), randomBytes(10)), ticketId, counterId: pending.counterId, staffId: pending.staffId, rating, defaulted, at },
        });
      if (pending.clerk) this.core.withClerkSession(pending.clerk, record);
      else record();
    } catch (error) {
      // Already rated (another path recorded it) or the ticket is gone: the local record below still holds.
      if (!(error instanceof LocalRejection)) throw error;
    }
    this.db
      .prepare(
        'INSERT INTO ratings (ticket_id, staff_id, counter_id, rating, defaulted, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING',
      )
      .run(ticketId, pending.staffId, pending.counterId, rating, defaulted ? 1 : 0, at);
    this.emit('rating.recorded', { ticketId, rating, defaulted });
    if (pending.clerk && this.core.clerkSession() !== pending.clerk) this.endSession(pending.clerk, at);
  }

  /* ---------- cases ---------- */

  private catalogue(): Catalogue {
    const catalogue = this.core.store.catalogue;
    if (!catalogue) throw new LocalRejection('no_catalogue', 'the hall catalogue has not been downloaded yet');
    return catalogue;
  }

  private counter(): Counter {
    const id = this.requireSession().counterId;
    const counter = this.catalogue().counters.find((c) => c.id === id);
    if (!counter) throw new LocalRejection('unknown_counter', `counter ${id} is not in this hall`);
    return counter;
  }

  private service(id: string): Service {
    const service = this.catalogue().services.find((s) => s.id === id);
    if (!service) throw new LocalRejection('unknown_service', `service ${id} does not exist`);
    return service;
  }

  private ticket(id: string): Ticket {
    const ticket = this.core.store.live.queue.tickets[id];
    if (!ticket) throw new LocalRejection('unknown_ticket', `ticket ${id} is not known here`);
    return ticket;
  }

  private kase(id: string): Case {
    const kase = this.core.store.live.cases[id];
    if (!kase) throw new LocalRejection('unknown_case', `case ${id} is not known here`);
    return kase;
  }

  private work(caseId: string): WorkData {
    const row = this.db.prepare<[string], { data: string }>('SELECT data FROM case_work WHERE case_id = ?').get(caseId);
    return row ? (JSON.parse(row.data) as WorkData) : { received: [], values: {} };
  }

  private saveWork(kase: Case, work: WorkData): void {
    this.db
      .prepare(
        `INSERT INTO case_work (case_id, ticket_id, service_id, data, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (case_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      )
      .run(kase.id, kase.ticketId ?? null, kase.serviceId, JSON.stringify(work), this.at());
  }

  private pages(caseId: string, materialId?: string): PageRow[] {
    const rows = this.db
      .prepare<[string], PageRow>(
        'SELECT id, case_id, material_id, position, mime, width, height, source FROM pages WHERE case_id = ? ORDER BY material_id, position',
      )
      .all(caseId);
    return materialId === undefined ? rows : rows.filter((r) => r.material_id === materialId);
  }

  caseView(caseId: string): CaseWork {
    const kase = this.kase(caseId);
    const service = this.service(kase.serviceId);
    const work = this.work(caseId);
    const received = new Set(work.received);
    const pages = this.pages(caseId);
    const checklist: ChecklistItem[] = caseMaterials(service, kase).map((m) => ({
      materialId: m.id,
      name: m.name,
      required: m.required,
      originals: m.originals,
      copies: m.copies,
      received: received.has(m.id),
      pages: pages
        .filter((p) => p.material_id === m.id)
        .map((p) => ({ id: p.id, position: p.position, width: p.width, height: p.height, source: p.source })),
    }));
    const situation = situationName(service, kase);
    return {
      caseId: kase.id,
      ...(kase.ticketId ? { ticketId: kase.ticketId } : {}),
      serviceId: service.id,
      serviceName: service.name.zh,
      ...(situation ? { situationName: situation } : {}),
      answers: answerLabels(service, kase.answers),
      status: work.status ?? kase.status,
      ...(kase.citizen ? { citizen: kase.citizen } : {}),
      ...(kase.formId ? { formId: kase.formId } : service.formId ? { formId: service.formId } : {}),
      values: this.maskedValues(kase.formId ?? service.formId, work.values),
      ...(work.fromResidenceCode?.length ? { fromResidenceCode: work.fromResidenceCode } : {}),
      checklist,
      ...(work.identity ? { identity: work.identity } : {}),
      ...(work.delivery ? { delivery: work.delivery } : {}),
      ...(work.depositCode ? { depositCode: work.depositCode } : {}),
      ...(work.depositCodeExpiresAt ? { depositCodeExpiresAt: work.depositCodeExpiresAt } : {}),
      ...(work.caseNumber ? { caseNumber: work.caseNumber } : {}),
      ...(work.refusalReason ? { refusalReason: work.refusalReason } : {}),
      ...(work.centralRejection ? { centralRejection: work.centralRejection } : {}),
      ...(kase.consult ? { consult: kase.consult } : {}),
      ...(service.acceptWithPendingMaterials ? { acceptWithPendingMaterials: true } : {}),
      ...(kase.pendingMaterialIds.length > 0 ? { pendingMaterialIds: kase.pendingMaterialIds } : {}),
    };
  }

  /** Personal fields leave the station only masked: the screen faces the counter, not only the clerk. */
  private maskedValues(formId: string | undefined, values: WorkData['values']): WorkData['values'] {
    const form = this.catalogue().forms.find((f) => f.id === formId);
    const fields = new Map(form?.sections.flatMap((s) => s.fields).map((f) => [f.id, f]) ?? []);
    const out: WorkData['values'] = {};
    for (const [key, value] of Object.entries(values)) {
      const field = fields.get(key);
      if (field?.personal && typeof value === 'string') {
        out[key] = field.kind === 'id_number' ? maskIdNumber(value) : field.kind === 'phone' ? value.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2') : maskName(value);
      } else out[key] = value;
    }
    return out;
  }

  /**
   * 回显: the kiosk's forms, fetched online. A case still open here without the clerk's own
   * values takes the kiosk's values as its working values, so edits start from what the
   * citizen typed and the acceptance carries the final form. The renderer sees them masked.
   */
  async caseForm(query: CaseFormQuery): Promise<CaseFormResult> {
    this.requireSession();
    const fetched = await this.kioskForms(query);
    if (fetched.status !== 'ok') throw new LocalRejection(fetched.status, fetched.message);
    const catalogue = this.catalogue();
    return {
      forms: fetched.forms.map((form) => {
        const kase = this.core.store.live.cases[form.caseId];
        const work = kase ? this.work(kase.id) : undefined;
        if (kase && work && !work.status && Object.keys(work.values).length === 0 && Object.keys(form.values).length > 0) {
          this.saveWork(kase, { ...work, values: form.values });
        }
        const service = catalogue.services.find((s) => s.id === form.serviceId);
        const situation = service ? situationName(service, { answers: form.answers, ...(form.situationId ? { situationId: form.situationId } : {}) }) : undefined;
        return {
          ...form,
          serviceName: service?.name.zh ?? form.serviceId,
          ...(situation ? { situationName: situation } : {}),
          values: this.maskedValues(form.formId ?? service?.formId, form.values),
        };
      }),
    };
  }

  /**
   * The kiosk's forms: the central API's, else those the hall mesh brought (the kiosk's
   * submitForm with its values, sealed on the wire) when the form has not reached the API yet
   * or the API is away. With the API known unreachable the hall's answer at once: a hung API
   * would otherwise hold the clerk for the whole fetch timeout, for the same values.
   */
  private async kioskForms(query: CaseFormQuery): Promise<Awaited<ReturnType<CaseFormFetcher>>> {
    if (this.options.online?.() === false) {
      const known = this.core.store.peerCaseForms(query);
      if (known.length > 0) return { status: 'ok', forms: known };
    }
    const fromApi = this.options.caseForms
      ? await this.options.caseForms(query)
      : { status: 'offline' as const, message: 'this counter has no connection to the central system: the kiosk form is not available offline' };
    const fromHall = fromApi.status === 'ok' ? [] : this.core.store.peerCaseForms(query);
    return fromHall.length > 0 ? { status: 'ok', forms: fromHall } : fromApi;
  }

  casesForTicket(ticketId: string): CaseWork[] {
    this.requireSession();
    const ticket = this.ticket(ticketId);
    return Object.values(this.core.store.live.cases)
      .filter((c) => c.ticketId === ticket.id)
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
      .map((c) => this.caseView(c.id));
  }

  openCase(ticketId: string, serviceId: string): CaseWork {
    this.requireSession();
    const ticket = this.ticket(ticketId);
    this.service(serviceId);
    const citizen = matterCitizen(ticket, serviceId);
    const kase = this.core.submitForm({
      serviceId,
      ticketId: ticket.id,
      answers: {},
      values: {},
      // 一号联办 for a family: the case belongs to the member the matter is for.
      ...(citizen ? { citizen } : {}),
    });
    return this.caseView(kase.id);
  }

  private editable(caseId: string): { kase: Case; work: WorkData } {
    this.requireSession();
    const kase = this.kase(caseId);
    const work = this.work(caseId);
    if (work.status) throw new LocalRejection('case_decided', `case is already ${work.status}`);
    return { kase, work };
  }

  updateForm(caseId: string, values: Record<string, string | number | string[]>): CaseWork {
    const { kase, work } = this.editable(caseId);
    // A field the clerk typed over is the clerk's, no longer "read from the residence code".
    const fromResidenceCode = work.fromResidenceCode?.filter((id) => !(id in values));
    this.saveWork(kase, { ...work, values: { ...work.values, ...values }, ...(fromResidenceCode ? { fromResidenceCode } : {}) });
    return this.caseView(caseId);
  }

  checkMaterial(caseId: string, materialId: string, received: boolean): CaseWork {
    const { kase, work } = this.editable(caseId);
    if (!caseMaterials(this.service(kase.serviceId), kase).some((m) => m.id === materialId)) {
      throw new LocalRejection('unknown_material', `material ${materialId} is not on this case's list`);
    }
    const set = new Set(work.received);
    if (received) set.add(materialId);
    else set.delete(materialId);
    this.saveWork(kase, { ...work, received: [...set] });
    return this.caseView(caseId);
  }

  /** The card on the counter's reader: one placed in the last minute was already read by the reader's polling. */
  async readIdCard(): Promise<{ idNumber: string; name?: string }> {
    const reader = this.options.idCardReader;
    if (!reader) throw new LocalRejection('no_reader', 'no ID-card reader is configured at this counter');
    const recent = this.lastCard && this.now() - this.lastCard.at < 60_000 ? this.lastCard.read : undefined;
    this.lastCard = undefined;
    const read = recent ?? (await reader.read());
    if (!read) throw new LocalRejection('no_card', 'no card lies on the reader');
    const doc = read.document as unknown as { idNumber: string; name?: string; chineseName?: string; englishName?: string };
    const name = doc.name ?? doc.chineseName ?? doc.englishName;
    return { idNumber: doc.idNumber, ...(name ? { name } : {}) };
  }

  /** CitizenRef.idHash of an ID number: the city's keyed hash over the normalised number. */
  idHash(idNumber: string): string {
    return createHmac('sha256', this.options.idHashKey).update(normaliseIdNumber(idNumber)).digest('hex');
  }

  async checkIdentity(caseId: string, method: IdentityCheck['method'], typed?: { idNumber?: string; name?: string }): Promise<CaseWork> {
    const { kase, work } = this.editable(caseId);
    const read = method === 'id_card' ? await this.readIdCard() : undefined;
    const idNumber = read?.idNumber ?? typed?.idNumber;
    const name = read ? read.name : typed?.name;
    if (!idNumber) throw new LocalRejection('bad_request', 'an ID number is needed');
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) throw new LocalRejection('invalid_id_number', 'the ID number is not valid (check digit or date)');
    const normalised = normaliseIdNumber(idNumber);
    const hash = this.idHash(normalised);
    const ticketCitizen = kase.citizen ?? (kase.ticketId ? this.core.store.live.queue.tickets[kase.ticketId]?.citizen : undefined);
    const standing = await this.options.standing?.(hash).catch(() => undefined);
    const identity: IdentityCheck = {
      method,
      maskedName: name ? maskName(name) : '—',
      maskedIdNumber: maskIdNumber(normalised),
      matchesTicket: ticketCitizen ? ticketCitizen.idHash === hash : null,
      at: this.at(),
      ...(standing ? { standing } : {}),
    };
    // Only the masked forms and the verdict are stored; the raw values stay in memory for this visit.
    this.identities.set(caseId, { idNumber: normalised, ...(name ? { name } : {}) });
    this.saveWork(kase, { ...work, identity });
    return this.caseView(caseId);
  }

  /**
   * 码上受理: the citizen's fields opened from a verified residence code fill the case's form
   * where the form asks for them (its residenceCode.* autofill sources) and nothing is entered
   * yet: what the citizen typed at the kiosk or the clerk typed here is never overwritten.
   * Answers the field ids filled; the values stay in this station's working data until the
   * decision, as typed values do.
   */
  fillFromResidenceCode(caseId: string, fields: ResidenceFields): string[] {
    const kase = this.kase(caseId);
    const work = this.work(caseId);
    if (work.status) return [];
    const formId = kase.formId ?? this.catalogue().services.find((s) => s.id === kase.serviceId)?.formId;
    const form = this.catalogue().forms.find((f) => f.id === formId);
    const values = { ...work.values };
    const filled: string[] = [];
    for (const field of form?.sections.flatMap((s) => s.fields) ?? []) {
      const current = values[field.id];
      if (current !== undefined && current !== '') continue;
      const value = field.autofill
        .map((source) => (source.startsWith('residenceCode.') ? fields[source.slice('residenceCode.'.length) as keyof ResidenceFields] : undefined))
        .find((v) => v);
      if (value) {
        values[field.id] = value;
        filled.push(field.id);
      }
    }
    if (filled.length > 0) this.saveWork(kase, { ...work, values, fromResidenceCode: [...new Set([...(work.fromResidenceCode ?? []), ...filled])] });
    return filled;
  }

  /** An identity check decided elsewhere (a residence code from the scanner): kept like any other, on an undecided case only. */
  recordIdentity(caseId: string, identity: IdentityCheck): boolean {
    const kase = this.kase(caseId);
    const work = this.work(caseId);
    if (work.status) return false;
    this.saveWork(kase, { ...work, identity });
    return true;
  }

  /* ---------- decisions and slips ---------- */

  private caseNumber(counter: Counter): string {
    const day = this.core.today().replaceAll('-', '');
    const count = this.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM prints WHERE kind = 'acceptance_receipt'").get()?.n ?? 0;
    return `${day}-${counter.number.padStart(2, '0')}-${String(count + 1).padStart(4, '0')}-${randomBytes(2).toString('hex')}`;
  }

  async accept(caseId: string, pendingMaterialIds: readonly string[] = []): Promise<{ case: CaseWork; receipt: PrintRecord }> {
    const { kase, work } = this.editable(caseId);
    const session = this.requireSession();
    const service = this.service(kase.serviceId);
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
    const counter = this.counter();
    const catalogue = this.catalogue();
    // The decision goes to the outbox first: if the case was decided elsewhere meanwhile, nothing is printed.
    const pageCounts = new Map<string, number>();
    for (const page of this.pages(caseId)) pageCounts.set(page.material_id, (pageCounts.get(page.material_id) ?? 0) + 1);
    const caseNumber = this.caseNumber(counter);
    const receiptToken = randomBytes(16).toString('base64url');
    this.core.store.commit({
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
        at: this.at(),
      },
    });
    const facts = {
      caseNumber,
      applicantMasked: kase.citizen?.maskedName.includes('*') ? kase.citizen.maskedName : work.identity?.maskedName.includes('*') ? work.identity.maskedName : '*（未登记）',
      counterNumber: counter.number,
      acceptedAt: this.at(),
      staffNumber: session.staffNumber,
      pending: pending.map((m) => m.name),
      received: caseMaterials(service, kase).filter((m) => work.received.includes(m.id)).map(materialLine),
      qrPayload: receiptQrPayload({ id: caseId, receiptToken }, catalogue.phoneLinks?.baseUrl ?? this.options.publicBaseUrl),
    };
    const slip = acceptanceReceipt(catalogue, service, facts);
    const confirmation = confirmationSlip(catalogue, service, facts);
    // The final form now travels in the outbox (scrubbed once acknowledged); the counter keeps no copy.
    this.saveWork(kase, { ...withoutRejection(work), values: {}, status: 'accepted', caseNumber, staffId: session.staffId });
    const receipt = await this.print('acceptance_receipt', slip, kase);
    // The department's copy (受理确认单) only where the console asked for one.
    if (confirmation) await this.print('confirmation_slip', confirmation, kase);
    return { case: this.caseView(caseId), receipt };
  }

  async refuse(caseId: string, reason?: string): Promise<{ case: CaseWork; notice: PrintRecord }> {
    const { kase, work } = this.editable(caseId);
    const session = this.requireSession();
    const service = this.service(kase.serviceId);
    const missing = missingRequired(caseMaterials(service, kase), new Set(work.received));
    if (missing.length === 0) {
      throw new LocalRejection('nothing_missing', 'every required material is here: accept the case instead');
    }
    const catalogue = this.catalogue();
    const slip = oneTimeNotice(catalogue, service, {
      materials: missing.map((m) => materialLine(m)),
      notes: [reason, ...missing.flatMap((m) => m.reviewPoints.slice(0, 2))].filter((n): n is string => Boolean(n)),
      issuedAt: this.at(),
      counterNumber: this.counter().number,
    });
    const refusalReason = (reason?.trim() || `材料不全：${missing.map((m) => m.name).join('、')}`).slice(0, 200);
    this.core.store.commit({
      type: 'refuseCase',
      payload: { caseId, staffId: session.staffId, counterId: this.counter().id, reason: refusalReason, missingMaterialIds: missing.map((m) => m.id), at: this.at() },
    });
    this.saveWork(kase, { ...withoutRejection(work), values: {}, status: 'refused', refusalReason, staffId: session.staffId });
    const notice = await this.print('one_time_notice', slip, kase);
    return { case: this.caseView(caseId), notice };
  }

  async setDelivery(
    caseId: string,
    delivery: DeliveryMethod,
    locker: { phone?: string; size?: 'small' | 'medium' | 'large' } = {},
  ): Promise<{ case: CaseWork; slip?: PrintRecord }> {
    const session = this.requireSession();
    const kase = this.kase(caseId);
    const work = this.work(caseId);
    if (work.status !== 'accepted') throw new LocalRejection('not_accepted', 'choose delivery after the case is accepted');
    const commitDelivery = () =>
      this.core.store.commit({ type: 'chooseDelivery', payload: { caseId, staffId: session.staffId, delivery, at: this.at() } });
    if (delivery !== 'locker') {
      commitDelivery();
      const { depositCode: _code, depositCodeExpiresAt: _expires, ...rest } = withoutRejection(work);
      this.saveWork(kase, { ...rest, delivery });
      return { case: this.caseView(caseId) };
    }
    const identity = this.identities.get(caseId);
    if (!identity?.name) throw new LocalRejection('identity_needed', "check the citizen's ID (number and name) first: the locker code is issued to them");
    if (!locker.phone) throw new LocalRejection('phone_needed', "the citizen's mobile number is needed: the pickup code is sent there");
    const item = {
      caseNumber: work.caseNumber ?? kase.id.slice(0, 40),
      size: locker.size ?? 'medium',
      idNumber: identity.idNumber,
      name: identity.name,
      phone: locker.phone,
    } as const;
    // The central locker service when it answers (it records the parcel at once); the
    // counter's own delegated key only when it cannot be reached.
    const offline = this.options.offlineDepositCodes;
    const central = this.token && this.options.depositCodes && this.options.online?.() !== false ? this.options.depositCodes : undefined;
    let issued: { ok: true; code: string; expiresAt: string } | { ok: false; unreachable: boolean; message: string };
    let signedHere = false;
    if (central && this.token) issued = await central(this.token, item);
    else issued = { ok: false, unreachable: true, message: 'the central system is not reachable' };
    if (!issued.ok && issued.unreachable && offline) {
      const local = offline(item);
      issued = local.ok ? local : { ok: false, unreachable: true, message: `${issued.message}; ${local.message}` };
      signedHere = local.ok;
    }
    if (!issued.ok && issued.unreachable && !offline && !central) {
      throw new LocalRejection('locker_offline', 'locker deposit codes come from the central system: sign in online, or choose another delivery');
    }
    if (!issued.ok) throw new LocalRejection(issued.unreachable ? 'locker_offline' : 'locker_refused', `no deposit code: ${issued.message}`);
    commitDelivery();
    this.saveWork(kase, { ...withoutRejection(work), delivery, depositCode: issued.code, depositCodeExpiresAt: issued.expiresAt });
    const catalogue = this.catalogue();
    const slip = renderSlip({
      paper: '80mm',
      cut: 'partial',
      blocks: [
        { kind: 'text', text: catalogue.hall.name.zh, align: 'center', bold: true },
        { kind: 'text', text: '24小时文件柜 存件码', align: 'center', bold: true, size: 2 },
        { kind: 'rule' },
        { kind: 'text', text: `办件编号：${work.caseNumber ?? kase.id}` },
        { kind: 'text', text: `申请人：${work.identity?.maskedName ?? ''}` },
        { kind: 'text', text: `有效期至：${issued.expiresAt.slice(0, 10)}` },
        ...(signedHere ? [{ kind: 'text' as const, text: '（中心系统离线，本窗口签发）' }] : []),
        { kind: 'qr', payload: issued.code, moduleSize: signedHere ? 3 : 4 },
        { kind: 'text', text: '办结后在文件柜扫码存件；存件后系统短信通知申请人取件码', align: 'center' },
      ],
    });
    return { case: this.caseView(caseId), slip: await this.print('deposit_code', slip, kase) };
  }

  /** Prints a slip on the counter's printer and keeps it (preview, bytes) for the history and reprints. */
  async print(kind: PrintRecord['kind'], slip: RenderedSlip, kase: Case): Promise<PrintRecord> {
    const id = uuidV7(this.now(), randomBytes(10));
    const at = this.at();
    const result = this.options.printer ? await this.options.printer.print(slip) : undefined;
    const printed = result?.ok === true;
    const printerError = result === undefined ? 'no printer configured at this counter' : result.ok ? undefined : result.error.message;
    this.db
      .prepare(
        `INSERT INTO prints (id, kind, ticket_id, case_id, staff_id, at, preview, escpos, printed, printer_error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, kind, kase.ticketId ?? null, kase.id, this.session?.staffId ?? null, at, slip.preview, Buffer.from(slip.escpos), printed ? 1 : 0, printerError ?? null);
    return this.printRecord(id);
  }

  printRecord(id: string): PrintRecord {
    const row = this.db.prepare<[string], PrintRow>('SELECT * FROM prints WHERE id = ?').get(id);
    if (!row) throw new LocalRejection('unknown_print', `slip ${id} is not known here`);
    return {
      id: row.id,
      kind: row.kind,
      ...(row.ticket_id ? { ticketId: row.ticket_id } : {}),
      ...(row.case_id ? { caseId: row.case_id } : {}),
      at: row.at,
      preview: row.preview,
      printed: row.printed === 1,
      ...(row.printer_error ? { printerError: row.printer_error } : {}),
    };
  }

  /** 补打: the stored bytes again, so the reprint is exactly what was first printed. */
  async reprint(id: string): Promise<PrintRecord> {
    this.requireSession();
    const row = this.db.prepare<[string], PrintRow>('SELECT * FROM prints WHERE id = ?').get(id);
    if (!row) throw new LocalRejection('unknown_print', `slip ${id} is not known here`);
    const result = this.options.printer ? await this.options.printer.print({ escpos: new Uint8Array(row.escpos), preview: row.preview }) : undefined;
    const error = result === undefined ? 'no printer configured at this counter' : result.ok ? null : result.error.message;
    this.db.prepare('UPDATE prints SET printed = ?, printer_error = ? WHERE id = ?').run(result?.ok ? 1 : row.printed, error, id);
    return this.printRecord(id);
  }

  /* ---------- capture ---------- */

  addPage(caseId: string, materialId: string, mime: 'image/png' | 'image/jpeg', bytes: Uint8Array, source: 'camera' | 'scanner', dpi?: number): CaseWork {
    const { kase } = this.editableForCapture(caseId);
    if (!caseMaterials(this.service(kase.serviceId), kase).some((m) => m.id === materialId)) {
      throw new LocalRejection('unknown_material', `material ${materialId} is not on this case's list`);
    }
    const size = imageSize(mime, bytes);
    if (!size || size.width < 16 || size.height < 16) throw new LocalRejection('bad_image', `the page is not a readable ${mime} image`);
    const position = this.pages(caseId, materialId).length;
    this.db
      .prepare('INSERT INTO pages (id, case_id, material_id, position, mime, width, height, source, bytes, dpi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(uuidV7(this.now(), randomBytes(10)), caseId, materialId, position, mime, size.width, size.height, source, Buffer.from(bytes), dpi ?? null);
    return this.caseView(caseId);
  }

  async scan(caseId: string, materialId: string, pages: number): Promise<CaseWork> {
    const scanner = this.options.scanner;
    if (!scanner) throw new LocalRejection('no_scanner', 'no scanner is configured at this counter');
    let scanned: Awaited<ReturnType<PageScanner>>;
    try {
      scanned = await scanner(pages);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'failed';
      throw new LocalRejection(`scan_${code}`, `scanner: ${error instanceof Error ? error.message : String(error)}`);
    }
    let view = this.caseView(caseId);
    for (const page of scanned) view = this.addPage(caseId, materialId, page.mime, page.bytes, 'scanner', page.resolutionDpi);
    return view;
  }

  /** Capture stays possible after acceptance (a late page), but not on a refused case. */
  private editableForCapture(caseId: string): { kase: Case } {
    this.requireSession();
    const kase = this.kase(caseId);
    if (this.work(caseId).status === 'refused') throw new LocalRejection('case_decided', 'case was refused');
    return { kase };
  }

  reorder(caseId: string, materialId: string, pageIds: readonly string[]): CaseWork {
    this.editableForCapture(caseId);
    const existing = this.pages(caseId, materialId).map((p) => p.id);
    if (existing.length !== pageIds.length || new Set(pageIds).size !== pageIds.length || !pageIds.every((id) => existing.includes(id))) {
      throw new LocalRejection('bad_order', 'the new order must name every page of the material exactly once');
    }
    const update = this.db.prepare('UPDATE pages SET position = ? WHERE id = ?');
    this.db.transaction(() => pageIds.forEach((id, i) => update.run(i, id)))();
    return this.caseView(caseId);
  }

  removePage(caseId: string, pageId: string): CaseWork {
    this.editableForCapture(caseId);
    const page = this.pages(caseId).find((p) => p.id === pageId);
    if (!page) throw new LocalRejection('unknown_page', `page ${pageId} is not on this case`);
    const update = this.db.prepare('UPDATE pages SET position = ? WHERE id = ?');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM pages WHERE id = ?').run(pageId);
      this.pages(caseId, page.material_id).forEach((p, i) => update.run(i, p.id));
    })();
    return this.caseView(caseId);
  }

  pageImage(pageId: string): { mime: 'image/png' | 'image/jpeg'; dataBase64: string } {
    this.requireSession();
    const row = this.db.prepare<[string], { mime: 'image/png' | 'image/jpeg'; bytes: Buffer }>('SELECT mime, bytes FROM pages WHERE id = ?').get(pageId);
    if (!row) throw new LocalRejection('unknown_page', `page ${pageId} is not known here`);
    return { mime: row.mime, dataBase64: row.bytes.toString('base64') };
  }

  async materialPdf(caseId: string, materialId: string): Promise<{ dataBase64: string; pages: number }> {
    this.requireSession();
    const kase = this.kase(caseId);
    const rows = this.db
      .prepare<[string, string], { bytes: Buffer; dpi: number | null }>(
        'SELECT bytes, dpi FROM pages WHERE case_id = ? AND material_id = ? ORDER BY position',
      )
      .all(caseId, materialId);
    if (rows.length === 0) throw new LocalRejection('no_pages', 'nothing captured for this material yet');
    const material = caseMaterials(this.service(kase.serviceId), kase).find((m) => m.id === materialId);
    // Camera pages carry no scan resolution: 72 dpi makes one pixel one PDF point.
    const pdf = await combinePagesToPdf(
      rows.map((r) => ({ bytes: r.bytes, resolutionDpi: r.dpi ?? 72 })),
      { title: material?.name ?? materialId },
    );
    return { dataBase64: Buffer.from(pdf).toString('base64'), pages: rows.length };
  }

  /* ---------- the central API's answer ---------- */

  /**
   * A decision of this counter the central API rejected on sync (a material missing by its
   * rule, the case decided meanwhile by another window, a rating already given…). The local
   * decision it had assumed is undone in counter.db — history and the case show the rejection
   * instead of "accepted", and the clerk may decide again — and the rejection is kept. Once
   * per mutation: replaying the station's rejections after a restart changes nothing twice.
   * Returns whether anything was recorded.
   */
  centralRejected(rejection: Rejection): boolean {
    if (!DECISION_TYPES.has(rejection.type)) return false;
    const payload = this.core.store.outbox().find((row) => row.id === rejection.mutationId)?.payload as { caseId?: unknown; ticketId?: unknown } | undefined;
    const caseId = typeof payload?.caseId === 'string' ? payload.caseId : undefined;
    const stored = caseId ? this.db.prepare<[string], { ticket_id: string | null }>('SELECT ticket_id FROM case_work WHERE case_id = ?').get(caseId) : undefined;
    const ticketId = typeof payload?.ticketId === 'string' ? payload.ticketId : (stored?.ticket_id ?? (caseId ? this.core.store.live.cases[caseId]?.ticketId : undefined));
    const record: CentralRejection = { type: rejection.type, code: rejection.code, reason: rejection.reason, at: this.at() };
    const inserted = this.db
      .prepare('INSERT INTO central_rejections (mutation_id, type, case_id, ticket_id, code, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mutation_id) DO NOTHING')
      .run(rejection.mutationId, record.type, caseId ?? null, ticketId ?? null, record.code, record.reason, record.at);
    if (inserted.changes === 0) return false;
    if (caseId && stored) {
      const work = this.work(caseId);
      let next: WorkData = { ...work, centralRejection: record };
      if (rejection.type === 'acceptCase' || rejection.type === 'refuseCase') {
        // Not decided after all: the central state (rebased already) says what the case is.
        const { status: _status, caseNumber: _number, refusalReason: _reason, staffId: _staff, ...undecided } = next;
        next = undecided;
      } else if (rejection.type === 'chooseDelivery') {
        const { delivery: _delivery, ...rest } = next;
        next = rest;
      }
      this.db.prepare('UPDATE case_work SET data = ?, updated_at = ? WHERE case_id = ?').run(JSON.stringify(next), record.at, caseId);
    }
    return true;
  }

  /* ---------- history ---------- */

  history(): HistoryEntry[] {
    const session = this.requireSession();
    const day = this.core.today();
    const ids = this.db
      .prepare<[string, string], { ticket_id: string }>('SELECT ticket_id FROM served WHERE staff_id = ? AND day = ? ORDER BY at DESC')
      .all(session.staffId, day)
      .map((r) => r.ticket_id);
    const live = this.core.store.live;
    const printsFor = this.db.prepare<[string], PrintRow>('SELECT * FROM prints WHERE ticket_id = ? ORDER BY at');
    const ratingFor = this.db.prepare<[string], { rating: Rating; defaulted: number }>('SELECT rating, defaulted FROM ratings WHERE ticket_id = ?');
    const ratingRejectionFor = this.db.prepare<[string], CentralRejection>(
      "SELECT type, code, reason, at FROM central_rejections WHERE ticket_id = ? AND type = 'recordEvaluation' ORDER BY at DESC LIMIT 1",
    );
    return ids.flatMap((id) => {
      const ticket = live.queue.tickets[id];
      if (!ticket) return [];
      const rating = ratingFor.get(id);
      const ratingRejection = ratingRejectionFor.get(id);
      return [
        {
          ticket,
          cases: Object.values(live.cases)
            .filter((c) => c.ticketId === id)
            .map((c) => {
              const work = this.work(c.id);
              return {
                caseId: c.id,
                serviceName: this.catalogue().services.find((s) => s.id === c.serviceId)?.name.zh ?? c.serviceId,
                status: work.status ?? c.status,
                ...(work.caseNumber ? { caseNumber: work.caseNumber } : {}),
                ...(work.centralRejection ? { centralRejection: work.centralRejection } : {}),
              };
            }),
          prints: printsFor.all(id).map((p) => {
            const { preview: _preview, ...record } = this.printRecord(p.id);
            return record;
          }),
          ...(rating ? { rating: rating.rating, ratingDefaulted: rating.defaulted === 1 } : {}),
          ...(ratingRejection ? { ratingRejection } : {}),
        },
      ];
    });
  }

  private at(): string {
    return new Date(this.now()).toISOString();
  }

  /** The hall-local day, for callers without a catalogue check of their own. */
  day(): string {
    const catalogue = this.core.store.catalogue;
    return catalogue ? localDay(this.now(), catalogue.hall.timeZone) : new Date(this.now()).toISOString().slice(0, 10);
  }

  close(): void {
    this.stopRetention();
    if (this.pendingRating) clearTimeout(this.pendingRating.timer);
  }
}

function withoutRejection(work: WorkData): WorkData {
  const { centralRejection: _rejection, ...rest } = work;
  return rest;
}
