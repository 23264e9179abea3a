import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  claimedCodeKind,
  LocalRejection,
  refuseAtKiosk,
  StationCallError,
  parseReceiptQr,
  localDay,
  queueIntent,
  uuidV7,
  maskIdNumber,
  maskName,
  maskPhone,
  type Appointment,
  type CitizenRef,
  type DataKeyRing,
  type KioskAppointment,
  type DeviceStateSchema,
  type EventData,
  type FormField,
  type IssuedTicket,
  type KioskDevices,
  type KioskRefusal,
  type MatterCitizens,
  type MethodParsedParams,
  type MethodResult,
  type PrintOutcome,
  type A4PrintOutcome,
  type StationApiHandlers,
  type StationEvent,
  type Ticket,
  followUrlBase,
} from '@hall/shared';
import type { QueueCommandOf } from '@hall/shared';
import type { CodeScanner, DeviceHealth, IdCardReader } from '@hall/devices';
import {
  renderTicket,
  type RenderedSlip,
  type TicketPrinter,
  sampleTicket,
  renderA4Document,
  type A4Document,
  type A4Printer,
} from '@hall/devices';
import type { z } from 'zod';
import type { StationCore } from '../../core';
import { openResidenceFields } from '../../residence-code/personal';
import { StationCodeVerifier } from '../../residence-code/verifier';
import { AppointmentBook, appointmentTiming } from './appointments';
import { KioskBlacklist, type BarredCitizen } from './blacklist';
import { CitizenVault, InvalidIdNumberError, priorityGroupForAge, type CitizenRecord } from './citizens';
import { recordFromDocument } from './documents';
import { applicationFormDocument } from './applicationForm';
import { openTicketsOfCitizen } from './citizenTickets';
import { checkRelease, releaseClaim, type ReleaseCheck } from './release';
import { PrintRecord } from './kioskDb';
import { nextDayOpening, openingState } from './opening';
import { followLinkSigner } from './followLink';
import { noticeSlip, renderTicketSlip, ticketFacts } from './slips';
import { PromptVoice } from './speech';
import { progressByReceipt, progressOfCitizen } from './caseProgress';

type CardDocument = Parameters<typeof recordFromDocument>[0];

/**
 * How long a tap waits for a central blacklist answer still on its way (asked when the
 * citizen was identified): well inside the 300 ms from tap to number on screen.
 */
const BLACKLIST_GRACE_MS = 100;

/** The central API's answer to a blacklist check; undefined when it cannot be asked (offline). */
export type BlacklistCheck = (idHash: string, day: string) => Promise<{ blacklisted: false } | { blacklisted: true; until: string; reason: string; source?: string | undefined } | undefined>;

/** The hall's whole blacklist from the central API (hashes only); undefined when it cannot be asked. */
export type BlacklistList = () => Promise<BarredCitizen[] | undefined>;

export interface KioskRoleOptions {
  core: StationCore;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  /** The city's key for citizen hashes (CitizenRef.idHash). */
  idHashKey: string;
  idCardReader?: IdCardReader | undefined;
  codeScanner?: CodeScanner | undefined;
  ticketPrinter?: TicketPrinter | undefined;
  /** Application forms on A4 through CUPS; absent on kiosks without one. */
  a4Printer?: A4Printer | undefined;
  blacklist?: BlacklistCheck;
  /** The hall's list, fetched for the offline check (KioskBlacklist in kiosk.db). */
  blacklistList?: BlacklistList;
  /** Where citizens follow the queue; the ticket's QR code points below it. */
  followUrlBase: string;
  /** Off only for demos and tests run outside the hall's opening hours. */
  enforceOpeningHours?: boolean;
  /**
   * The kiosk's own database (openKioskDb): the residence-code key set and replay ledger
   * (verification is offline and survives restarts) and the record of printed tickets.
   */
  db: Database.Database;
  /** Whether the station reaches the central API right now (a submitted case says "queued" otherwise). */
  online?: () => boolean;
  /** Today's appointments of the hall from the central API; undefined when it cannot be asked (offline). */
  appointments?: (day: string) => Promise<Appointment[] | undefined>;
  voice?: PromptVoice;
  /** The residence-code data keys held (DataKeyKeeper): open the citizen's fields sealed in a code. */
  dataKeys?: () => DataKeyRing | undefined;
  now?: () => number;
}

type DeviceState = z.infer<typeof DeviceStateSchema>;

function deviceState(health: DeviceHealth | undefined): DeviceState {
  if (!health) return { state: 'absent' };
  if (!health.connected || health.level === 'offline') return { state: 'error', problem: 'disconnected' };
  const issue = health.issues.find((i) => i.level === health.level) ?? health.issues[0];
  if (health.level === 'ok') return { state: 'ok' };
  return { state: health.level, ...(issue ? { problem: issue.code.slice(0, 40) } : {}) };
}

/** Autofill sources the station can answer from a citizen record. */
function autofillValue(record: CitizenRecord, field: FormField, history: Record<string, string> | undefined): { value: string; source: string } | undefined {
  for (const source of field.autofill) {
    const fromCard = record.source === 'idcard' && source.startsWith('idcard.');
    const fromCode = record.source === 'residenceCode' && source.startsWith('residenceCode.');
    const value = (() => {
      if (fromCard || fromCode) {
        switch (source.split('.')[1]) {
          case 'name':
            return record.name;
          case 'idNumber':
            return record.idNumber;
          case 'sex':
            return field.kind === 'choice' ? (record.sex === '男' ? 'male' : record.sex === '女' ? 'female' : undefined) : record.sex;
          case 'nation':
            return record.nation;
          case 'birthDate':
            return record.birthDate;
          case 'address':
            return record.address;
          case 'issuer':
            return record.issuer;
          case 'phone':
            return record.phone;
        }
      }
      if (record.source === 'keypad' && field.kind === 'id_number' && source.endsWith('.idNumber')) return record.idNumber;
      if (source === 'history') return history?.[field.id];
      return undefined;
    })();
    if (value) return { value, source };
  }
  return undefined;
}

function maskedDisplay(field: FormField, value: string): string {
  if (!field.personal) return value;
  switch (field.kind) {
    case 'id_number':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
    case 'address':
      return value.length > 6 ? `${value.slice(0, 6)}****` : '****';
    default:
      return maskName(value);
  }
}

/**
 * The kiosk's station API beyond the common methods: identify a citizen (card, keypad),
 * check and issue tickets with printing, reprint, one-time notices, form prefill and
 * submission. Expected refusals come back as results; the renderer sees masked data only.
 */
export class KioskRole {
  readonly vault: CitizenVault;
  private readonly followReference: (ticketId: string) => string;
  private readonly now: () => number;
  /** Values of `history` fields by citizen hash: earlier submissions on this station, memory only. */
  private readonly history = new Map<string, Record<string, string>>();
  private readonly unsubscribers: (() => void)[] = [];
  readonly appointmentBook: AppointmentBook;
  private readonly voice: PromptVoice;
  /** The screen the renderer last reported; a fresh start shows home. */
  private screen = 'home';
  private printsInFlight = 0;
  /**
   * The card lying on the reader, as read when placed: the reader tells of a card only once, so an
   * identify screen opened after it was put down asks for it here. Memory only; gone when the card
   * is lifted and when the session ends (完成 or the idle reset), so a card left behind is not
   * offered to the next citizen.
   */
  private cardOnReader: CardDocument | undefined;
  /** Central blacklist checks under way, by ID hash (one at a time per citizen). */
  private readonly blacklistAsked = new Map<string, Promise<void>>();
  /** Filled forms of the current session by case id, for 打印申请表; cleared when the kiosk returns home. */
  private readonly printableForms = new Map<string, A4Document>();
  /** Residence codes: keys cached and nonces claimed in the kiosk's database (the key-set refresher fills `codes.keys`). */
  readonly codes: StationCodeVerifier;
  private readonly printed: PrintRecord;
  /** The hall's blacklist held here, so a barred citizen is refused offline too. */
  readonly blacklist: KioskBlacklist;

  constructor(private readonly options: KioskRoleOptions) {
    this.now = options.now ?? Date.now;
    this.vault = new CitizenVault({ hashKey: options.idHashKey, now: this.now });
    this.followReference = followLinkSigner(options.idHashKey);
    this.appointmentBook = new AppointmentBook(options.core.store.db);
    this.voice = options.voice ?? new PromptVoice();
    this.codes = new StationCodeVerifier(options.db, this.now);
    this.printed = new PrintRecord(options.db);
    this.blacklist = new KioskBlacklist(options.db);
    // The slip layout (QR, ESC/POS, SVG) costs tens of ms cold: paid at start, not by the
    // hall's first citizen of the morning between the tap and the number on screen.
    const warmUp = setTimeout(() => renderTicket(sampleTicket), 0);
    this.unsubscribers.push(() => clearTimeout(warmUp));
    const reader = options.idCardReader;
    if (reader) {
      const onCard = (read: { document: CardDocument }) => {
        this.cardOnReader = read.document;
        options.emit('idcard.read', this.cardView(read.document));
      };
      const onRemoved = () => (this.cardOnReader = undefined);
      reader.on('card', onCard);
      reader.on('removed', onRemoved);
      this.unsubscribers.push(() => reader.off('card', onCard), () => reader.off('removed', onRemoved));
    }
    const scanner = options.codeScanner;
    if (scanner) {
      const onScan = (scan: { code: string }) => {
        if (claimedCodeKind(scan.code) === 'residence') {
          // Single-use at this kiosk, across restarts: a photographed code cannot be replayed.
          const verified = this.codes.verify(scan.code, 'residence');
          if (!verified.ok) {
            options.emit('code.scanned', { kind: 'residenceCode' });
            return;
          }
          // The fields sealed in the code fill the form; a code without them (or one this kiosk
          // holds no data key for) still identifies the citizen, who then types the form.
          const opened = openResidenceFields(verified.payload, options.dataKeys?.(), this.now());
          const groups = this.options.core.store.catalogue?.callingRules.priorityGroups ?? [];
          const view = this.identified(this.vault.addResidenceCode(
            Buffer.from(verified.payload.subject).toString('hex'),
            opened.ok ? { fields: opened.fields, today: this.today(), groups } : undefined,
          ));
          options.emit('code.scanned', { kind: 'residenceCode', citizen: view });
          return;
        }
        // An acceptance receipt (办件进度查询): checked by kiosk.caseProgress, so a forged one is refused there in words.
        const code = scan.code.trim();
        if (parseReceiptQr(code)) {
          options.emit('code.scanned', { kind: 'receipt', receipt: code });
          return;
        }
        options.emit('code.scanned', { kind: /^[A-Z]\d{2,4}$/.test(scan.code) ? 'ticket' : 'unknown' });
      };
      scanner.on('scan', onScan);
      this.unsubscribers.push(() => scanner.off('scan', onScan));
    }
    for (const device of [reader, scanner, options.ticketPrinter, options.a4Printer]) {
      if (!device) continue;
      const onHealth = () => options.emit('kiosk.devices', this.devices());
      (device as { on(e: 'health', l: () => void): unknown }).on('health', onHealth);
    }
  }

  /** A card's citizen, held in the vault behind a fresh handle (masked view only). */
  private cardView(document: CardDocument): ReturnType<CitizenVault['add']> {
    const catalogue = this.options.core.store.catalogue;
    return this.identified(this.vault.add(recordFromDocument(document), this.today(), catalogue?.callingRules.priorityGroups ?? []));
  }

  private today(): string {
    const zone = this.options.core.store.catalogue?.hall.timeZone ?? 'Asia/Shanghai';
    return localDay(this.now(), zone);
  }

  devices(): KioskDevices {
    return {
      idCardReader: deviceState(this.options.idCardReader?.health),
      codeScanner: deviceState(this.options.codeScanner?.health),
      ticketPrinter: deviceState(this.options.ticketPrinter?.health),
      ...(this.options.a4Printer ? { a4Printer: deviceState(this.options.a4Printer.health) } : {}),
    };
  }

  private async refusal(params: MethodParsedParams<'kiosk.issue'>, citizen: CitizenRef | undefined): Promise<KioskRefusal | undefined> {
    const catalogue = this.options.core.store.catalogue;
    if (!catalogue) return { reason: 'no_catalogue' };
    const now = this.now();
    const { hall } = catalogue;
    if (this.options.enforceOpeningHours !== false) {
      const opening = openingState(hall.openingHours, hall.timeZone, now);
      if (!opening.open) return { reason: 'closed', opensAt: opening.opensAt };
    }
    const today = this.today();
    for (const serviceId of params.serviceIds) {
      const service = catalogue.services.find((s) => s.id === serviceId);
      if (!service) throw new StationCallError({ code: 'bad_request', message: `unknown service ${serviceId}` });
      const queue = catalogue.queues.find((q) => q.id === service.queueId);
      if (queue && !queue.kinds.includes(params.kind)) {
        // Pickup tickets come from the pickup queue, whatever service the certificate was for.
        if (params.kind !== 'pickup') return { reason: 'kind_not_offered', serviceId };
      }
      if (service.dailyCap !== undefined) {
        const issued = Object.values(this.options.core.store.live.queue.tickets).filter(
          (t) => t.day === today && t.serviceIds[0] === serviceId && t.kind !== 'pickup',
        ).length;
        if (issued >= service.dailyCap) {
          return { reason: 'daily_cap_reached', serviceId, opensAt: nextDayOpening(hall.openingHours, hall.timeZone, now) };
        }
      }
    }
    return citizen ? this.barred(citizen.idHash, today) : undefined;
  }

  /**
   * 黑名单: the central API's answer when it gives one in time (and the list here learns it),
   * else the hall's list held here. Barred citizens may neither take a ticket nor check in.
   */
  private async barred(idHash: string, today: string): Promise<KioskRefusal | undefined> {
    // Asked at identification, so the answer is usually here by the tap; a hung API costs
    // the citizen at most the grace, then the list held here decides (the answer still lands).
    const asking = this.blacklistAsked.get(idHash) ?? this.askBlacklist(idHash, today);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([asking, new Promise<void>((resolve) => (timer = setTimeout(resolve, BLACKLIST_GRACE_MS)))]);
    clearTimeout(timer);
    const bar = this.blacklist.barred(idHash, today);
    return bar ? { reason: 'blacklisted', until: bar.until, why: bar.reason, ...(bar.source ? { source: bar.source.slice(0, 20) } : {}) } : undefined;
  }

  /** Asks the central API about one citizen; the list held here learns the answer whenever it comes. */
  private askBlacklist(idHash: string, today = this.today()): Promise<void> {
    const check = this.options.blacklist;
    if (!check) return Promise.resolve();
    const asking = check(idHash, today)
      .then(
        (answer) => {
          if (answer) this.blacklist.learn(idHash, answer.blacklisted ? { reason: answer.reason, until: answer.until, source: answer.source } : undefined);
        },
        () => undefined,
      )
      .finally(() => this.blacklistAsked.delete(idHash));
    this.blacklistAsked.set(idHash, asking);
    return asking;
  }

  /** A citizen was identified: their blacklist answer is asked for now, before any tap needs it. */
  private identified<V extends { handle: string }>(view: V): V {
    const entry = this.vault.get(view.handle);
    if (entry && !this.blacklistAsked.has(entry.ref.idHash)) void this.askBlacklist(entry.ref.idHash);
    return view;
  }

  /** Fetches the hall's list into kiosk.db; false when the central API did not answer (the held list stays). */
  async refreshBlacklist(): Promise<boolean> {
    const list = await this.options.blacklistList?.().catch(() => undefined);
    if (!list) return false;
    this.blacklist.replace(list);
    return true;
  }

  /**
   * Nobody is using the kiosk: the home screen, no citizen held, nothing printing. Staged
   * updates install only then (the Electron main exposes this as the idle hook).
   */
  isIdle(): boolean {
    return this.screen === 'home' && this.vault.size === 0 && this.printsInFlight === 0;
  }

  private async print(rendered: RenderedSlip): Promise<PrintOutcome> {
    const printer = this.options.ticketPrinter;
    if (!printer) return { printed: false, problem: 'absent', preview: rendered.preview };
    this.printsInFlight += 1;
    const result = await printer.print(rendered).finally(() => (this.printsInFlight -= 1));
    if (result.ok) return { printed: true, preview: rendered.preview };
    return { printed: false, problem: result.error.code, preview: rendered.preview };
  }

  /**
   * A new ticket's slip goes to the printer in the background: the citizen sees the number
   * at once whatever the printer does (a stalled printer takes seconds to time out, a cold
   * link seconds to open), and `kiosk.printed` tells the screen how the slip ended.
   */
  private printBehind(ticket: Ticket, rendered: RenderedSlip): PrintOutcome {
    const printer = this.options.ticketPrinter;
    // Just after the answer: the record's own fsync is not the citizen's wait either, and it
    // still precedes the slip (a refusal that needs it comes only with a later sync).
    // Counted from now, so the kiosk is not idle (no update installs) between the answer and the slip.
    this.printsInFlight += 1;
    setImmediate(() => {
      try {
        this.printed.record(ticket, new Date(this.now()).toISOString());
        if (!printer) return;
        void this.print(rendered)
          .catch((): PrintOutcome => ({ printed: false, problem: 'error', preview: rendered.preview }))
          .then((print) => this.options.emit('kiosk.printed', { ticketId: ticket.id, print }));
      } finally {
        this.printsInFlight -= 1;
      }
    });
    if (!printer) return { printed: false, problem: 'absent', preview: rendered.preview };
    return { printed: false, printing: true, preview: rendered.preview };
  }

  /** The ticket as the screen shows it; `behind`: the slip prints after the answer (new tickets), else before it (reprints). */
  private async issued(ticket: Ticket, behind = false): Promise<IssuedTicket> {
    const catalogue = this.options.core.store.catalogue;
    if (!catalogue) throw new StationCallError({ code: 'unavailable', message: 'no catalogue' });
    const facts = ticketFacts(catalogue, this.options.core.store.live, ticket, this.now(), followUrlBase(catalogue.phoneLinks, this.options.followUrlBase), this.followReference);
    const rendered = renderTicketSlip(facts);
    if (behind) return { ...this.answer(ticket, facts), print: this.printBehind(ticket, rendered) };
    // Recorded before printing: the citizen may hold a slip (or need one) whatever the hall later decides.
    this.printed.record(ticket, new Date(this.now()).toISOString());
    return { ...this.answer(ticket, facts), print: await this.print(rendered) };
  }

  private answer(ticket: Ticket, facts: ReturnType<typeof ticketFacts>): Omit<IssuedTicket, 'print'> {
    return {
      ticket,
      serviceNames: facts.serviceNames,
      ahead: facts.ahead,
      ...(facts.estimatedWaitMinutes === undefined ? {} : { estimatedWaitMinutes: facts.estimatedWaitMinutes }),
      followUrl: facts.followUrl,
      counterNumbers: facts.counterNumbers,
    };
  }

  private citizen(handle: string | undefined) {
    if (handle === undefined) return undefined;
    const entry = this.vault.get(handle);
    return entry ?? this.noCitizen();
  }

  /**
   * What the kiosk's own rules decide for a ticket or case: the citizen is the document
   * identified here (card, keypad, residence code), the priority group follows from that
   * citizen's age by the hall's current calling rules. Nobody identified: neither.
   */
  private decided(entry: ReturnType<KioskRole['citizen']>): { citizen?: CitizenRef; priorityGroupId?: string } {
    if (!entry) return {};
    const groups = this.options.core.store.catalogue?.callingRules.priorityGroups ?? [];
    const priorityGroupId = priorityGroupForAge(groups, entry.view.age);
    return { citizen: entry.ref, ...(priorityGroupId ? { priorityGroupId } : {}) };
  }

  /** A citizen or priority group the screen sent is accepted only when it is what the kiosk decided. */
  private refuseUndecided(sent: { citizen?: CitizenRef | undefined; priorityGroupId?: string | undefined }, decided: { citizen?: CitizenRef; priorityGroupId?: string }): void {
    if (sent.citizen !== undefined && (sent.citizen.idHash !== decided.citizen?.idHash || sent.citizen.maskedName !== decided.citizen.maskedName)) {
      throw new LocalRejection('citizen_not_identified', 'the citizen is the one identified at this kiosk, not one the screen names');
    }
    if (sent.priorityGroupId !== undefined && sent.priorityGroupId !== decided.priorityGroupId) {
      throw new LocalRejection('priority_not_decided', `priority group ${sent.priorityGroupId} is not the one the hall's rules give this citizen`);
    }
  }

  /** ticket.issue at a kiosk: the kiosk's decisions, the screen's choice of service and kind; no slip. */
  private issueFromScreen(params: MethodParsedParams<'ticket.issue'>): Ticket {
    if (params.kind === 'appointment' || params.appointmentId !== undefined) {
      throw new LocalRejection('kind_not_decided', 'appointment tickets come from an appointment check-in (kiosk.checkIn)');
    }
    const decided = this.decided(this.citizen(params.citizenHandle));
    this.refuseUndecided(params, decided);
    return params.kind === 'pickup'
      ? this.issuePickup(params.serviceIds, decided.citizen)
      : this.options.core.issueTicket({ serviceIds: params.serviceIds, kind: params.kind, ...decided });
  }

  /** case.submit at a kiosk: the case's citizen is the one identified here, never one the screen names. */
  private submitFromScreen(params: MethodParsedParams<'case.submit'>) {
    const { citizenHandle, citizen: sent, ...draft } = params;
    const decided = this.decided(this.citizen(citizenHandle));
    this.refuseUndecided({ citizen: sent }, decided);
    return this.options.core.submitForm({ ...draft, ...(decided.citizen ? { citizen: decided.citizen } : {}) });
  }

  /** The floor guide's release password checked against the hall's verifiers: no network needed. */
  private release(code: string): ReleaseCheck {
    const { store } = this.options.core;
    return checkRelease(code, store.catalogue?.releases ?? [], this.today(), Object.values(store.live.queue.tickets));
  }

  releaseCheck(code: string): MethodResult<'kiosk.releaseCheck'> {
    const checked = this.release(code);
    if (!checked.ok) throw refuseAtKiosk({ reason: 'release_refused', code: checked.code });
    const { serial, kind, priorityGroupId } = checked.verifier;
    return { release: { serial, kind, ...(priorityGroupId === undefined ? {} : { priorityGroupId }), remaining: checked.remaining } };
  }

  /**
   * 现场号/特殊号 (导办放号): the password decides the ticket's release and, for a special
   * ticket, its priority group; daily caps do not apply (the hall's own decision, supervised
   * in the console). A citizen identified at the kiosk stays on the ticket.
   */
  private async issueReleased(params: MethodParsedParams<'kiosk.issue'>, release: NonNullable<MethodParsedParams<'kiosk.issue'>['release']>, citizen: CitizenRef | undefined): Promise<MethodResult<'kiosk.issue'>> {
    if (!this.options.core.store.catalogue) throw refuseAtKiosk({ reason: 'no_catalogue' });
    const checked = this.release(release.code);
    if (!checked.ok) throw refuseAtKiosk({ reason: 'release_refused', code: checked.code });
    if (params.kind === 'pickup') throw refuseAtKiosk({ reason: 'release_refused', code: 'release_mismatch' });
    const { verifier } = checked;
    let ticket: Ticket;
    try {
      ticket = this.options.core.issueTicket({
        serviceIds: params.serviceIds,
        kind: params.kind,
        ...(citizen ? { citizen } : {}),
        ...(verifier.kind === 'special' && verifier.priorityGroupId !== undefined ? { priorityGroupId: verifier.priorityGroupId } : {}),
        release: releaseClaim(checked, release.reason, release.note),
      });
    } catch (error) {
      if (error instanceof LocalRejection && (error.code === 'release_used' || error.code === 'release_mismatch')) {
        throw refuseAtKiosk({ reason: 'release_refused', code: error.code });
      }
      throw error;
    }
    return { issued: await this.issued(ticket, true) };
  }

  /** 一号联办 for a family: each member's handle as their citizen; a forgotten handle is refused like the citizen's own. */
  private matterCitizens(handles: Record<string, string> | undefined): MatterCitizens | undefined {
    if (handles === undefined || Object.keys(handles).length === 0) return undefined;
    return Object.fromEntries(Object.entries(handles).map(([serviceId, handle]) => [serviceId, this.citizen(handle)?.ref ?? this.noCitizen()]));
  }

  private noCitizen(): never {
    throw new LocalRejection('citizen_expired', 'the identification has expired; identify again');
  }

  async issue(params: MethodParsedParams<'kiosk.issue'>): Promise<MethodResult<'kiosk.issue'>> {
    const citizen = this.citizen(params.citizenHandle);
    const matterCitizens = this.matterCitizens(params.matterCitizenHandles);
    if (params.release) return this.issueReleased(params, params.release, citizen?.ref);
    const refusal = await this.refusal(params, citizen?.ref);
    if (refusal) throw refuseAtKiosk(refusal);
    // Every member of the family is held to the hall's blacklist, not only the one who came first.
    for (const member of Object.values(matterCitizens ?? {})) {
      const barred = await this.barred(member.idHash, this.today());
      if (barred) throw refuseAtKiosk(barred);
    }
    let ticket: Ticket;
    try {
      ticket =
        params.kind === 'pickup'
          ? this.issuePickup(params.serviceIds, citizen?.ref)
          : this.options.core.issueTicket({
              serviceIds: params.serviceIds,
              kind: params.kind,
              ...this.decided(citizen),
              ...(matterCitizens === undefined ? {} : { matterCitizens }),
            });
    } catch (error) {
      if (error instanceof LocalRejection) {
        const serviceId = params.serviceIds[0] ?? '';
        if (error.code === 'daily_cap_reached') throw refuseAtKiosk({ reason: 'daily_cap_reached', serviceId, opensAt: null });
        if (error.code === 'kind_not_offered') throw refuseAtKiosk({ reason: 'kind_not_offered', serviceId });
      }
      throw error;
    }
    return { issued: await this.issued(ticket, true) };
  }

  /**
   * 领证号: certificates are collected at the delivery counter, so the ticket goes to the
   * hall's pickup queue that lists the service, not to the service's own queue (which
   * StationCore.issueTicket uses). Numbered from this kiosk's leased block like any ticket.
   */
  private issuePickup(serviceIds: string[], citizen: CitizenRef | undefined): Ticket {
    const { core } = this.options;
    const catalogue = core.store.catalogue;
    const first = serviceIds[0] ?? '';
    const queue = catalogue?.queues.find((q) => q.kinds.includes('pickup') && q.serviceIds.includes(first));
    if (!queue) throw new LocalRejection('kind_not_offered', `no pickup queue lists service ${first}`);
    return this.commitNumbered(queue.id, (ticketId, sequence) => ({
      type: 'issueTicket',
      ticketId,
      queueId: queue.id,
      serviceIds,
      kind: 'pickup',
      sequence,
      deviceId: core.identity.deviceId,
      ...(citizen ? { citizen } : {}),
    }));
  }

  /** Commits a ticket numbered from this kiosk's leased block for `queueId`. */
  private commitNumbered(queueId: string, command: (ticketId: string, sequence: number) => QueueCommandOf<'issueTicket' | 'checkIn'>): Ticket {
    const { core } = this.options;
    const ticketId = uuidV7(this.now(), randomBytes(10));
    const at = new Date(this.now()).toISOString();
    const day = this.today();
    for (let attempt = 0; ; attempt++) {
      try {
        core.store.commitWithNumber(queueId, day, (sequence) => queueIntent({ ...command(ticketId, sequence), ...core.hallQueuedAt(at) }, at));
        break;
      } catch (error) {
        // A number already on a ticket is burnt and the next tried, as StationCore does.
        if (!(error instanceof LocalRejection) || error.code !== 'number_taken' || attempt >= 20) throw error;
        core.store.burnNumber(queueId, day);
      }
    }
    const ticket = core.store.live.queue.tickets[ticketId];
    if (!ticket) throw new LocalRejection('internal', `ticket ${ticketId} missing after commit`);
    return ticket;
  }

  /** Refreshes today's list from the central API when it answers; the cached list otherwise. */
  async refreshAppointments(): Promise<boolean> {
    if (!this.options.core.store.catalogue) return false;
    const day = this.today();
    const fetched = await this.options.appointments?.(day).catch(() => undefined);
    if (fetched) this.appointmentBook.replaceDay(day, fetched);
    return fetched !== undefined;
  }

  private appointmentViews(idHash: string): KioskAppointment[] {
    const catalogue = this.options.core.store.catalogue;
    if (!catalogue) return [];
    const day = this.today();
    const tickets = Object.values(this.options.core.store.live.queue.tickets);
    return this.appointmentBook.forCitizen(idHash, day).map((a) => ({
      id: a.id,
      serviceId: a.serviceId,
      ...(a.moreServiceIds === undefined ? {} : { moreServiceIds: a.moreServiceIds }),
      slot: a.slot,
      ...appointmentTiming(a, catalogue.callingRules, catalogue.hall.timeZone, this.now(), tickets.some((t) => t.appointmentId === a.id)),
    }));
  }

  async appointments(params: MethodParsedParams<'kiosk.appointments'>): Promise<MethodResult<'kiosk.appointments'>> {
    const entry = this.citizen(params.citizenHandle);
    const fresh = await this.refreshAppointments();
    return { appointments: entry ? this.appointmentViews(entry.ref.idHash) : [], fresh };
  }

  /**
   * 预约签到: numbered from this kiosk's lease like any ticket, so it works offline; the
   * central API checks the appointment again when the mutation syncs. Before the check-in
   * window the citizen is told when it opens; after the grace the ticket is an ordinary one.
   */
  async checkIn(params: MethodParsedParams<'kiosk.checkIn'>): Promise<MethodResult<'kiosk.checkIn'>> {
    const entry = this.citizen(params.citizenHandle);
    const catalogue = this.options.core.store.catalogue;
    if (!entry || !catalogue) throw refuseAtKiosk({ reason: 'no_catalogue' });
    const appointment = this.appointmentBook.forCitizen(entry.ref.idHash, this.today()).find((a) => a.id === params.appointmentId);
    const view = this.appointmentViews(entry.ref.idHash).find((a) => a.id === params.appointmentId);
    if (!appointment || !view) throw new LocalRejection('unknown_appointment', 'no such appointment today for this citizen');
    if (view.state === 'checked_in') throw refuseAtKiosk({ reason: 'appointment_checked_in' });
    if (view.state === 'early') throw refuseAtKiosk({ reason: 'appointment_early', serviceId: appointment.serviceId, opensAt: view.checkInFrom });
    const barred = await this.barred(entry.ref.idHash, this.today());
    if (barred) throw refuseAtKiosk(barred);
    if (this.options.enforceOpeningHours !== false) {
      const opening = openingState(catalogue.hall.openingHours, catalogue.hall.timeZone, this.now());
      if (!opening.open) throw refuseAtKiosk({ reason: 'closed', opensAt: opening.opensAt });
    }
    const queueId = catalogue.services.find((s) => s.id === appointment.serviceId)?.queueId;
    if (!queueId) throw new LocalRejection('unknown_service', `service ${appointment.serviceId} is not offered here`);
    const { id, serviceId, moreServiceIds, date, slot, status, citizen } = appointment;
    const ticket = this.commitNumbered(queueId, (ticketId, sequence) => ({
      type: 'checkIn',
      ticketId,
      appointment: { id, serviceId, ...(moreServiceIds === undefined ? {} : { moreServiceIds }), date, slot, status, citizen },
      sequence,
      deviceId: this.options.core.identity.deviceId,
    }));
    return { issued: await this.issued(ticket, true), late: view.state === 'late' };
  }

  async reprint(number: string): Promise<MethodResult<'kiosk.reprint'>> {
    const today = this.today();
    const ticket = Object.values(this.options.core.store.live.queue.tickets).find(
      (t) => t.number === number && t.day === today && t.issuedByDeviceId === this.options.core.identity.deviceId,
    );
    if (ticket) return this.issued(ticket);
    // Not in the hall's queue (the central API refused it on sync), but the citizen holds
    // this kiosk's slip: reprint it from the print record and say it was not accepted.
    const printed = this.printed.find(today, number);
    if (!printed) return null;
    return { ...(await this.issued(printed)), refused: { code: this.rejectionCode(printed.id) } };
  }

  /** Lost number: the identified citizen's open tickets of today, each slip printed again. */
  async reprintMine(handle: string): Promise<MethodResult<'kiosk.reprintMine'>> {
    const entry = this.citizen(handle);
    if (!entry) return { tickets: [] };
    const mine = openTicketsOfCitizen(Object.values(this.options.core.store.live.queue.tickets), entry.ref.idHash, this.today());
    const tickets: IssuedTicket[] = [];
    // One after the other: the printer takes one job at a time.
    for (const ticket of mine) tickets.push(await this.issued(ticket));
    return { tickets };
  }

  /** Why the central API refused the mutation that made `ticketId`, as kept in the outbox. */
  private rejectionCode(ticketId: string): string {
    const row = this.options.core.store
      .outbox()
      .find((r) => r.status === 'rejected' && (r.payload as { ticketId?: unknown }).ticketId === ticketId);
    return row?.code ?? 'not_accepted';
  }

  async printNotice(params: MethodParsedParams<'kiosk.printNotice'>): Promise<PrintOutcome> {
    const catalogue = this.options.core.store.catalogue;
    if (!catalogue) throw new StationCallError({ code: 'unavailable', message: 'no catalogue' });
    const notice = noticeSlip(catalogue, params.serviceId, params.answers, this.now());
    if (!notice) throw new StationCallError({ code: 'bad_request', message: `unknown service ${params.serviceId}` });
    return this.print(notice.rendered);
  }

  private form(formId: string) {
    const form = this.options.core.store.catalogue?.forms.find((f) => f.id === formId);
    if (!form) throw new StationCallError({ code: 'bad_request', message: `unknown form ${formId}` });
    return form;
  }

  prefill(params: MethodParsedParams<'kiosk.prefill'>): MethodResult<'kiosk.prefill'> {
    const entry = this.citizen(params.citizenHandle);
    if (!entry) return [];
    const history = this.history.get(entry.ref.idHash);
    const out: MethodResult<'kiosk.prefill'> = [];
    for (const field of this.form(params.formId).sections.flatMap((s) => s.fields)) {
      const found = autofillValue(entry.record, field, history);
      if (found) out.push({ fieldId: field.id, display: maskedDisplay(field, found.value), source: found.source });
    }
    return out;
  }

  submit(params: MethodParsedParams<'kiosk.submit'>): MethodResult<'kiosk.submit'> {
    const entry = this.citizen(params.citizenHandle);
    const form = this.form(params.formId);
    const values: Record<string, string | number | string[]> = { ...params.values };
    const fields = form.sections.flatMap((s) => s.fields);
    if (entry) {
      const history = this.history.get(entry.ref.idHash);
      for (const fieldId of params.autofilled) {
        const field = fields.find((f) => f.id === fieldId);
        const found = field ? autofillValue(entry.record, field, history) : undefined;
        if (found) values[fieldId] = found.value;
      }
    }
    for (const field of fields) {
      const value = values[field.id];
      if (field.required && (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))) {
        throw new StationCallError({ code: 'bad_request', message: `field ${field.id} is required` });
      }
    }
    const caseId = this.options.core.submitForm({
      serviceId: params.serviceId,
      ...(params.ticketId ? { ticketId: params.ticketId } : {}),
      ...(params.situationId ? { situationId: params.situationId } : {}),
      answers: params.answers,
      formId: params.formId,
      formVersion: params.formVersion,
      ...(entry ? { citizen: entry.ref } : {}),
      values,
    }).id;
    if (entry) {
      const remembered: Record<string, string> = { ...this.history.get(entry.ref.idHash) };
      for (const field of fields) {
        const value = values[field.id];
        if (field.autofill.includes('history') && typeof value === 'string') remembered[field.id] = value;
      }
      this.history.set(entry.ref.idHash, remembered);
    }
    // Kept (in memory, for this session only) so the citizen can print the form, and print again after a fault.
    const catalogue = this.options.core.store.catalogue;
    if (catalogue) {
      this.printableForms.set(
        caseId,
        applicationFormDocument({
          catalogue,
          serviceId: params.serviceId,
          situationId: params.situationId,
          form,
          values,
          caseId,
          now: this.now(),
        }),
      );
    }
    return { caseId, pendingSync: !(this.options.online?.() ?? false) };
  }

  /** 打印申请表: the form of a case submitted in this session, on the A4 printer. */
  async printForm(caseId: string): Promise<A4PrintOutcome> {
    const document = this.printableForms.get(caseId);
    if (!document) throw new StationCallError({ code: 'bad_request', message: 'no form of this session to print for that case' });
    const printer = this.options.a4Printer;
    if (!printer) return { printed: false, problem: 'absent' };
    this.printsInFlight += 1;
    try {
      const pdf = await renderA4Document(document);
      // Print servers log job titles: the case number only, never the citizen.
      const result = await printer.print({ pdf, title: `application-${caseId.slice(-12)}` });
      return result.ok ? { printed: true } : { printed: false, problem: result.error.code };
    } finally {
      this.printsInFlight -= 1;
    }
  }

  /** 办件进度查询: from the hall's cases this station holds (pulled and replicated), so it answers offline. */
  caseProgress(params: MethodParsedParams<'kiosk.caseProgress'>): MethodResult<'kiosk.caseProgress'> {
    const catalogue = this.options.core.store.catalogue;
    if (!catalogue) throw new StationCallError({ code: 'unavailable', message: 'no catalogue' });
    const cases = this.options.core.store.live.cases;
    if ('receipt' in params) return progressByReceipt(cases, params.receipt, catalogue, this.now());
    const entry = this.citizen(params.citizenHandle);
    return entry ? progressOfCitizen(cases, entry.ref.idHash, catalogue, this.now()) : { cases: [] };
  }

  /** 到号前短信提醒: a mutation like any other, so it waits in the outbox (and the hall mesh) while offline. */
  positionSms(params: MethodParsedParams<'kiosk.positionSms'>): MethodResult<'kiosk.positionSms'> {
    this.options.core.store.commit({ type: 'requestPositionSms', payload: { ticketId: params.ticketId, phone: params.phone, at: this.options.core.at() } });
    return { pendingSync: !(this.options.online?.() ?? false) };
  }

  handlers(): StationApiHandlers {
    return {
      'kiosk.identify': ({ idNumber }) => {
        try {
          return this.identified(this.vault.addTyped(idNumber, this.today(), this.options.core.store.catalogue?.callingRules.priorityGroups ?? []));
        } catch (error) {
          if (error instanceof InvalidIdNumberError) {
            throw new LocalRejection(`id_${error.problem}`, error.message);
          }
          throw error;
        }
      },
      'kiosk.forget': ({ handle }) => ({ forgotten: this.vault.forget(handle) }),
      'kiosk.devices': () => this.devices(),
      'kiosk.issue': (params) => this.issue(params),
      'kiosk.releaseCheck': ({ code }) => this.releaseCheck(code),
      // The core's ticket.issue and case.submit, with what the kiosk decides in place of what the screen says.
      'ticket.issue': (params) => this.issueFromScreen(params),
      'case.submit': (params) => this.submitFromScreen(params),
      'kiosk.reprint': ({ number }) => this.reprint(number),
      'kiosk.reprintMine': ({ citizenHandle }) => this.reprintMine(citizenHandle),
      'kiosk.printNotice': (params) => this.printNotice(params),
      'kiosk.prefill': (params) => this.prefill(params),
      'kiosk.submit': (params) => this.submit(params),
      'kiosk.printForm': ({ caseId }) => this.printForm(caseId),
      'kiosk.appointments': (params) => this.appointments(params),
      'kiosk.checkIn': (params) => this.checkIn(params),
      'kiosk.caseProgress': (params) => this.caseProgress(params),
      'kiosk.positionSms': (params) => this.positionSms(params),
      'kiosk.cardOnReader': () => (this.cardOnReader ? this.cardView(this.cardOnReader) : null),
      'kiosk.screen': ({ screen, sessionEnded }) => {
        this.screen = screen;
        if (sessionEnded) this.cardOnReader = undefined;
        // The session is over: its forms (personal data) go with it.
        if (screen === 'home') this.printableForms.clear();
        return { ok: true as const };
      },
      'kiosk.speak': ({ text, language }) =>
        this.voice.speak(text, language).catch((error: unknown) => {
          throw new StationCallError({ code: 'unavailable', message: `speech: ${error instanceof Error ? error.message : String(error)}` });
        }),
    };
  }

  close(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }
}
