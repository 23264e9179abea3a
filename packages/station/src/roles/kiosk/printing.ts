import {
  followUrlBase,
  type A4PrintOutcome,
  type IssuedTicket,
  type MethodParsedParams,
  type MethodResult,
  type PrintOutcome,
  type Ticket,
  StationCallError,
} from '@hall/shared';
import { renderA4Document, type A4Document, type A4Printer, type RenderedSlip, type TicketPrinter } from '@hall/devices';
import { openTicketsOfCitizen } from './rules/citizenTickets';
import type { KioskContext } from './context';
import type { IdentifiedCitizen } from './identification';
import type { PrintRecord } from './repository';
import { noticeSlip, renderTicketSlip, ticketFacts } from './slips';

export interface KioskPrintingOptions {
  ticketPrinter?: TicketPrinter | undefined;
  /** Application forms on A4 through CUPS; absent on kiosks without one. */
  a4Printer?: A4Printer | undefined;
  /** The tickets this kiosk printed, kept for reprints. */
  printed: PrintRecord;
  /** Where citizens follow the queue; the ticket's QR code points below it. */
  followUrlBase: string;
  /** The signed reference of a ticket in its follow link. */
  followReference: (ticketId: string) => string;
}

/**
 * Everything the kiosk puts on paper: ticket slips (new, reprinted, by citizen), one-time
 * notices and application forms. Counts the jobs under way, so the kiosk is not idle (no
 * update installs) while one is printing.
 */
export class KioskPrinting {
  private inFlight = 0;

  constructor(
    private readonly context: KioskContext,
    private readonly options: KioskPrintingOptions,
  ) {}

  /** A slip or a form is being printed (or about to be). */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async print(rendered: RenderedSlip): Promise<PrintOutcome> {
    const printer = this.options.ticketPrinter;
    if (!printer) return { printed: false, problem: 'absent', preview: rendered.preview };
    this.inFlight += 1;
    const result = await printer.print(rendered).finally(() => (this.inFlight -= 1));
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
    this.inFlight += 1;
    setImmediate(() => {
      try {
        this.options.printed.record(ticket, new Date(this.context.now()).toISOString());
        if (!printer) return;
        void this.print(rendered)
          .catch((): PrintOutcome => ({ printed: false, problem: 'error', preview: rendered.preview }))
          .then((print) => this.context.emit('kiosk.printed', { ticketId: ticket.id, print }));
      } finally {
        this.inFlight -= 1;
      }
    });
    if (!printer) return { printed: false, problem: 'absent', preview: rendered.preview };
    return { printed: false, printing: true, preview: rendered.preview };
  }

  /** The ticket as the screen shows it; `behind`: the slip prints after the answer (new tickets), else before it (reprints). */
  async issued(ticket: Ticket, behind = false): Promise<IssuedTicket> {
    const catalogue = this.context.requireCatalogue();
    const link = followUrlBase(catalogue.phoneLinks, this.options.followUrlBase);
    const facts = ticketFacts(catalogue, this.context.core.store.live, ticket, this.context.now(), link, this.options.followReference);
    const rendered = renderTicketSlip(facts);
    const answer: Omit<IssuedTicket, 'print'> = {
      ticket,
      serviceNames: facts.serviceNames,
      ahead: facts.ahead,
      ...(facts.estimatedWaitMinutes === undefined ? {} : { estimatedWaitMinutes: facts.estimatedWaitMinutes }),
      followUrl: facts.followUrl,
      counterNumbers: facts.counterNumbers,
    };
    if (behind) return { ...answer, print: this.printBehind(ticket, rendered) };
    // Recorded before printing: the citizen may hold a slip (or need one) whatever the hall later decides.
    this.options.printed.record(ticket, new Date(this.context.now()).toISOString());
    return { ...answer, print: await this.print(rendered) };
  }

  async reprint(number: string): Promise<MethodResult<'kiosk.reprint'>> {
    const today = this.context.today();
    const deviceId = this.context.core.identity.deviceId;
    const ticket = this.context.tickets().find((t) => t.number === number && t.day === today && t.issuedByDeviceId === deviceId);
    if (ticket) return this.issued(ticket);
    // Not in the hall's queue (the central API refused it on sync), but the citizen holds
    // this kiosk's slip: reprint it from the print record and say it was not accepted.
    const printed = this.options.printed.find(today, number);
    if (!printed) return null;
    return { ...(await this.issued(printed)), refused: { code: this.rejectionCode(printed.id) } };
  }

  /** Lost number: the identified citizen's open tickets of today, each slip printed again. */
  async reprintMine(entry: IdentifiedCitizen | undefined): Promise<MethodResult<'kiosk.reprintMine'>> {
    if (!entry) return { tickets: [] };
    const mine = openTicketsOfCitizen(this.context.tickets(), entry.ref.idHash, this.context.today());
    const tickets: IssuedTicket[] = [];
    // One after the other: the printer takes one job at a time.
    for (const ticket of mine) tickets.push(await this.issued(ticket));
    return { tickets };
  }

  /** Why the central API refused the mutation that made `ticketId`, as kept in the outbox. */
  private rejectionCode(ticketId: string): string {
    const row = this.context.core.store
      .outbox()
      .find((r) => r.status === 'rejected' && (r.payload as { ticketId?: unknown }).ticketId === ticketId);
    return row?.code ?? 'not_accepted';
  }

  async printNotice(params: MethodParsedParams<'kiosk.printNotice'>): Promise<PrintOutcome> {
    const catalogue = this.context.requireCatalogue();
    const notice = noticeSlip(catalogue, params.serviceId, params.answers, this.context.now());
    if (!notice) throw new StationCallError({ code: 'bad_request', message: `unknown service ${params.serviceId}` });
    return this.print(notice.rendered);
  }

  /** An application form on the A4 printer; its job title names the case only, never the citizen. */
  async printForm(document: A4Document, caseId: string): Promise<A4PrintOutcome> {
    const printer = this.options.a4Printer;
    if (!printer) return { printed: false, problem: 'absent' };
    this.inFlight += 1;
    try {
      const pdf = await renderA4Document(document);
      // Print servers log job titles: the case number only, never the citizen.
      const result = await printer.print({ pdf, title: `application-${caseId.slice(-12)}` });
      return result.ok ? { printed: true } : { printed: false, problem: result.error.code };
    } finally {
      this.inFlight -= 1;
    }
  }
}
