import type Database from 'better-sqlite3';
import { renderTicket, sampleTicket, type A4Printer, type CodeScanner, type IdCardReader, type TicketPrinter } from '@hall/devices';
import { StationCallError, type Appointment, type DataKeyRing, type EventData, type KioskDevices, type MethodParsedParams, type MethodResult, type PrintOutcome, type StationApiHandlers, type StationEvent } from '@hall/shared';
import type { StationCore } from '../../core';
import { StationCodeVerifier } from '../../residence-code/verifier';
import { KioskAppointments } from './appointments';
import { BlacklistGate, type BlacklistCheck, type BlacklistList } from './blacklist';
import { KioskCases } from './cases';
import type { CitizenVault } from './citizens';
import { KioskContext } from './context';
import { kioskDevices, onDeviceHealth } from './deviceStates';
import { followLinkSigner } from './followLink';
import { KioskIdentification } from './identification';
import { KioskPrinting } from './printing';
import { AppointmentBook, KioskBlacklist, PrintRecord } from './repository';
import { PromptVoice } from './speech';
import { TicketIssue } from './ticketIssue';


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

/**
 * The kiosk's station API beyond the common methods: identify a citizen (card, keypad),
 * check and issue tickets with printing, reprint, one-time notices, form prefill and
 * submission. Expected refusals come back as results; the renderer sees masked data only.
 * Each concern lives in its own module; this class wires them and maps the station API.
 */
export class KioskRole {
  readonly vault: CitizenVault;
  /** Residence codes: keys cached and nonces claimed in the kiosk's database (the key-set refresher fills `codes.keys`). */
  readonly codes: StationCodeVerifier;
  /** The hall's blacklist held here, so a barred citizen is refused offline too. */
  readonly blacklist: KioskBlacklist;
  readonly appointmentBook: AppointmentBook;
  private readonly identification: KioskIdentification;
  private readonly blacklistGate: BlacklistGate;
  private readonly printing: KioskPrinting;
  private readonly tickets: TicketIssue;
  private readonly bookings: KioskAppointments;
  private readonly cases: KioskCases;
  private readonly voice: PromptVoice;
  /** The screen the renderer last reported; a fresh start shows home. */
  private screen = 'home';
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly options: KioskRoleOptions) {
    const context = new KioskContext(options.core, options.emit, options.now ?? Date.now, options.online ?? (() => false));
    const enforceOpeningHours = options.enforceOpeningHours !== false;
    this.voice = options.voice ?? new PromptVoice();
    this.codes = new StationCodeVerifier(options.db, context.now);
    this.blacklist = new KioskBlacklist(options.db);
    this.blacklistGate = new BlacklistGate(this.blacklist, { check: options.blacklist, list: options.blacklistList }, () => context.today());
    this.identification = new KioskIdentification(context, {
      idHashKey: options.idHashKey,
      idCardReader: options.idCardReader,
      codeScanner: options.codeScanner,
      codes: this.codes,
      dataKeys: options.dataKeys,
      onIdentified: (idHash) => this.blacklistGate.askAhead(idHash),
    });
    this.vault = this.identification.vault;
    this.printing = new KioskPrinting(context, {
      ticketPrinter: options.ticketPrinter,
      a4Printer: options.a4Printer,
      printed: new PrintRecord(options.db),
      followUrlBase: options.followUrlBase,
      followReference: followLinkSigner(options.idHashKey),
    });
    this.tickets = new TicketIssue(context, this.identification, this.blacklistGate, this.printing, enforceOpeningHours);
    this.appointmentBook = new AppointmentBook(options.core.store.db);
    this.bookings = new KioskAppointments(context, this.appointmentBook, {
      identification: this.identification,
      blacklist: this.blacklistGate,
      printing: this.printing,
      fetch: options.appointments,
      enforceOpeningHours,
    });
    this.cases = new KioskCases(context, this.identification, this.printing);
    // The slip layout (QR, ESC/POS, SVG) costs tens of ms cold: paid at start, not by the
    // hall's first citizen of the morning between the tap and the number on screen.
    const warmUp = setTimeout(() => renderTicket(sampleTicket), 0);
    this.unsubscribers.push(() => clearTimeout(warmUp), () => this.identification.close());
    onDeviceHealth(options, () => options.emit('kiosk.devices', this.devices()));
  }

  devices(): KioskDevices {
    return kioskDevices(this.options);
  }

  /** Fetches the hall's list into kiosk.db; false when the central API did not answer (the held list stays). */
  refreshBlacklist(): Promise<boolean> {
    return this.blacklistGate.refresh();
  }

  /** Refreshes today's list from the central API when it answers; the cached list otherwise. */
  refreshAppointments(): Promise<boolean> {
    return this.bookings.refresh();
  }

  /**
   * Nobody is using the kiosk: the home screen, no citizen held, nothing printing. Staged
   * updates install only then (the Electron main exposes this as the idle hook).
   */
  isIdle(): boolean {
    return this.screen === 'home' && this.vault.size === 0 && !this.printing.busy;
  }

  issue(params: MethodParsedParams<'kiosk.issue'>): Promise<MethodResult<'kiosk.issue'>> {
    return this.tickets.issue(params);
  }

  releaseCheck(code: string): MethodResult<'kiosk.releaseCheck'> {
    return this.tickets.releaseCheck(code);
  }

  positionSms(params: MethodParsedParams<'kiosk.positionSms'>): MethodResult<'kiosk.positionSms'> {
    return this.tickets.positionSms(params);
  }

  appointments(params: MethodParsedParams<'kiosk.appointments'>): Promise<MethodResult<'kiosk.appointments'>> {
    return this.bookings.appointments(params);
  }

  /** 预约签到: see KioskAppointments.checkIn. */
  checkIn(params: MethodParsedParams<'kiosk.checkIn'>): Promise<MethodResult<'kiosk.checkIn'>> {
    return this.bookings.checkIn(params);
  }

  reprint(number: string): Promise<MethodResult<'kiosk.reprint'>> {
    return this.printing.reprint(number);
  }

  /** Lost number: the identified citizen's open tickets of today, each slip printed again. */
  reprintMine(handle: string): Promise<MethodResult<'kiosk.reprintMine'>> {
    return this.printing.reprintMine(this.identification.citizen(handle));
  }

  printNotice(params: MethodParsedParams<'kiosk.printNotice'>): Promise<PrintOutcome> {
    return this.printing.printNotice(params);
  }

  prefill(params: MethodParsedParams<'kiosk.prefill'>): MethodResult<'kiosk.prefill'> {
    return this.cases.prefill(params);
  }

  submit(params: MethodParsedParams<'kiosk.submit'>): MethodResult<'kiosk.submit'> {
    return this.cases.submit(params);
  }

  /** 打印申请表: the form of a case submitted in this session, on the A4 printer. */
  printForm(caseId: string): Promise<MethodResult<'kiosk.printForm'>> {
    return this.cases.printForm(caseId);
  }

  caseProgress(params: MethodParsedParams<'kiosk.caseProgress'>): MethodResult<'kiosk.caseProgress'> {
    return this.cases.caseProgress(params);
  }

  handlers(): StationApiHandlers {
    return {
      'kiosk.identify': ({ idNumber }) => this.identification.identifyTyped(idNumber),
      'kiosk.forget': ({ handle }) => ({ forgotten: this.vault.forget(handle) }),
      'kiosk.devices': () => this.devices(),
      'kiosk.issue': (params) => this.issue(params),
      'kiosk.releaseCheck': ({ code }) => this.releaseCheck(code),
      // The core's ticket.issue and case.submit, with what the kiosk decides in place of what the screen says.
      'ticket.issue': (params) => this.tickets.issueFromScreen(params),
      'case.submit': (params) => this.cases.submitFromScreen(params),
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
      'kiosk.cardOnReader': () => this.identification.cardStillOnReader(),
      'kiosk.screen': ({ screen, sessionEnded }) => {
        this.screen = screen;
        if (sessionEnded) this.identification.sessionEnded();
        // The session is over: its forms (personal data) go with it.
        if (screen === 'home') this.cases.forgetSessionForms();
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
