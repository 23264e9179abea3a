import { randomBytes } from 'node:crypto';
import { uuidV7, type Case, type PrintRecord } from '@hall/shared';
import type { RenderedSlip, TicketPrinter } from '@hall/devices';
import { LocalRejection } from '../../store/store';
import type { CounterContext } from './context';
import type { StoredPrint } from './repository';
import type { CounterSignIn } from './signIn';

const NO_PRINTER = 'no printer configured at this counter';

/** What the screens see of a printed slip (the bytes stay on the station). */
export function printRecordOf(print: StoredPrint): PrintRecord {
  return {
    id: print.id,
    kind: print.kind,
    ...(print.ticketId ? { ticketId: print.ticketId } : {}),
    ...(print.caseId ? { caseId: print.caseId } : {}),
    at: print.at,
    preview: print.preview,
    printed: print.printed,
    ...(print.printerError ? { printerError: print.printerError } : {}),
  };
}

/** The counter's slips: printed on its printer and kept (preview, bytes) for the history and reprints. */
export class CounterPrinting {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly printer: TicketPrinter | undefined,
  ) {}

  /** Prints a slip on the counter's printer and keeps it (preview, bytes) for the history and reprints. */
  async print(kind: PrintRecord['kind'], slip: RenderedSlip, kase: Case): Promise<PrintRecord> {
    const id = uuidV7(this.context.now(), randomBytes(10));
    const at = this.context.at();
    const result = this.printer ? await this.printer.print(slip) : undefined;
    const printerError = result === undefined ? NO_PRINTER : result.ok ? undefined : result.error.message;
    this.context.repository.addPrint({
      id,
      kind,
      ticketId: kase.ticketId ?? null,
      caseId: kase.id,
      staffId: this.signIn.current()?.staffId ?? null,
      at,
      preview: slip.preview,
      escpos: slip.escpos,
      printed: result?.ok === true,
      printerError: printerError ?? null,
    });
    return this.record(id);
  }

  record(id: string): PrintRecord {
    return printRecordOf(this.stored(id));
  }

  /** 补打: the stored bytes again, so the reprint is exactly what was first printed. */
  async reprint(id: string): Promise<PrintRecord> {
    this.signIn.require();
    const stored = this.stored(id);
    const result = this.printer ? await this.printer.print({ escpos: new Uint8Array(stored.escpos), preview: stored.preview }) : undefined;
    const error = result === undefined ? NO_PRINTER : result.ok ? null : result.error.message;
    this.context.repository.markPrinted(id, result?.ok ? true : stored.printed, error);
    return this.record(id);
  }

  private stored(id: string): StoredPrint {
    const stored = this.context.repository.print(id);
    if (!stored) throw new LocalRejection('unknown_print', `slip ${id} is not known here`);
    return stored;
  }
}
