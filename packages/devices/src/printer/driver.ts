import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { DeviceError, DeviceTimeoutError } from '../transport/errors';
import type { ByteLink } from '../transport/link';
import { SerialQueue, delay } from '../transport/timeout';
import { TypedEmitter } from '../transport/typedEmitter';
import type { RealtimeStatusKind } from './escpos/commands';
import { realtimeStatus } from './escpos/commands';
import type { RenderedSlip, TicketSlip } from './layout/ticket';
import { renderTicket } from './layout/ticket';
import type { ErrorCauseReply, OfflineCauseReply, PrinterHealth, PrinterHealthState, StatusMessage, StatusReport } from './status';
import {
  StatusReplyReader,
  healthFromStatus,
  parseErrorCause,
  parseOfflineCause,
  parsePaperSensor,
  parsePrinterStatus,
} from './status';

const NO_OFFLINE_CAUSE: OfflineCauseReply = { coverOpen: false, feedingByButton: false, paperEndStop: false, errorOccurred: false };
const NO_ERROR_CAUSE: ErrorCauseReply = { recoverableError: false, autocutterError: false, unrecoverableError: false, autoRecoverableError: false };

export type PrintErrorCode = Exclude<PrinterHealthState, 'ok' | 'paper-near-end'> | 'timeout' | 'disconnected';

export type StatusResult =
  | { ok: true; health: PrinterHealth; report: StatusReport }
  | { ok: false; error: { code: 'timeout' | 'disconnected'; message: string } };

export type PrintResult =
  | { ok: true; bytes: number; health: PrinterHealth }
  | {
      ok: false;
      error: { code: PrintErrorCode; message: string };
      /** The slip, so the caller can show it on screen instead: nothing is lost. */
      rendered: RenderedSlip;
      /** True when bytes were sent before the fault showed: part of the slip may be out. */
      partial: boolean;
    };

export type TicketPrinterEvents = {
  health: [health: DeviceHealth];
  /** Status bytes we did not ask for (ASB blocks, GS r replies, junk); for diagnostics. */
  unsolicited: [message: StatusMessage];
};

export interface TicketPrinter {
  readonly description: string;
  readonly health: DeviceHealth;
  start(): void;
  status(): Promise<StatusResult>;
  print(rendered: RenderedSlip): Promise<PrintResult>;
  printTicket(ticket: TicketSlip): Promise<PrintResult>;
  on<K extends keyof TicketPrinterEvents & string>(event: K, listener: (...args: TicketPrinterEvents[K]) => void): unknown;
  close(): Promise<void>;
}

export interface EscPosPrinterOptions {
  /** Per DLE EOT query; real printers answer within a few ms. */
  statusTimeoutMs?: number;
  /** How long print() waits for an unplugged printer to come back. */
  openTimeoutMs?: number;
  deviceName?: string;
}

const PRINT_ERROR_TEXT: Record<PrintErrorCode, string> = {
  'paper-out': 'printer is out of paper',
  'cover-open': 'printer cover is open',
  offline: 'printer is offline',
  error: 'printer reports an error',
  timeout: 'printer did not answer the status query',
  disconnected: 'printer is not connected',
};

const HEALTH_ISSUE: Record<Exclude<PrinterHealthState, 'ok'>, { level: 'warning' | 'error'; message: string }> = {
  'paper-near-end': { level: 'warning', message: 'paper roll nearly empty' },
  'paper-out': { level: 'error', message: 'out of paper' },
  'cover-open': { level: 'error', message: 'cover open' },
  offline: { level: 'error', message: 'printer offline' },
  error: { level: 'error', message: 'printer error (cutter or mechanism)' },
};

/**
 * ESC/POS ticket printer over any ByteLink (serial, TCP 9100, USB printer-class
 * character device). Expected failures come back as results, not exceptions, and a
 * failed print always returns the rendered slip for on-screen fallback.
 */
export class EscPosPrinter extends TypedEmitter<TicketPrinterEvents> implements TicketPrinter {
  readonly #link: ByteLink;
  readonly #reader = new StatusReplyReader();
  readonly #queue = new SerialQueue();
  readonly #tracker: HealthTracker;
  readonly #statusTimeoutMs: number;
  readonly #openTimeoutMs: number;
  #waiter: ((byte: number) => void) | undefined;
  /** Set after a timed-out query: its late reply must not answer the next one. */
  #mayHaveLateReply = false;

  constructor(link: ByteLink, options: EscPosPrinterOptions = {}) {
    super();
    this.#link = link;
    this.#statusTimeoutMs = options.statusTimeoutMs ?? 1000;
    this.#openTimeoutMs = options.openTimeoutMs ?? 2000;
    this.#tracker = new HealthTracker(options.deviceName ?? 'ticket-printer');
    this.#tracker.on('health', (health) => this.emit('health', health));
    link.on('data', (chunk) => this.#onData(chunk));
    link.on('open', () => this.#tracker.setConnected(true));
    link.on('disconnect', () => this.#tracker.setConnected(false));
  }

  get description(): string {
    return this.#link.description;
  }

  get health(): DeviceHealth {
    return this.#tracker.current;
  }

  start(): void {
    this.#link.start();
  }

  async close(): Promise<void> {
    await this.#link.close();
    this.#tracker.setConnected(false);
  }

  status(): Promise<StatusResult> {
    return this.#queue.run(() => this.#readStatus());
  }

  printTicket(ticket: TicketSlip): Promise<PrintResult> {
    return this.print(renderTicket(ticket));
  }

  print(rendered: RenderedSlip): Promise<PrintResult> {
    return this.#queue.run(async () => {
      const fail = (code: PrintErrorCode, partial: boolean, detail?: string): PrintResult => ({
        ok: false,
        error: { code, message: detail ? `${PRINT_ERROR_TEXT[code]}: ${detail}` : PRINT_ERROR_TEXT[code] },
        rendered,
        partial,
      });
      try {
        await this.#link.waitOpen(this.#openTimeoutMs);
      } catch {
        return fail('disconnected', false, this.#link.description);
      }
      const before = await this.#readStatus();
      if (!before.ok) return fail(before.error.code, false);
      if (!before.health.canPrint) return fail(before.health.state as PrintErrorCode, false, before.health.reasons.join(', '));
      try {
        await this.#link.write(rendered.escpos);
      } catch (error) {
        return fail('disconnected', true, error instanceof Error ? error.message : String(error));
      }
      // DLE EOT is answered on receipt, ahead of buffered print data, so this sees a
      // fault that stopped the printer during the job only once the bytes reached it.
      const after = await this.#readStatus();
      if (!after.ok) return fail(after.error.code, true);
      if (!after.health.canPrint) return fail(after.health.state as PrintErrorCode, true, after.health.reasons.join(', '));
      return { ok: true, bytes: rendered.escpos.length, health: after.health };
    });
  }

  async #readStatus(): Promise<StatusResult> {
    try {
      const printer = parsePrinterStatus(await this.#query(1));
      // A printer that is online has no offline or error cause to report (each of them takes
      // it offline), so the two cause queries are asked only when it is not: two round trips
      // instead of four before and after every slip. The paper sensor is always read, for
      // the near-end warning.
      const offlineCause = printer.offline ? parseOfflineCause(await this.#query(2)) : NO_OFFLINE_CAUSE;
      const errorCause = printer.offline ? parseErrorCause(await this.#query(3)) : NO_ERROR_CAUSE;
      const paper = parsePaperSensor(await this.#query(4));
      const report: StatusReport = { printer, offlineCause, errorCause, paper };
      const health = healthFromStatus(report);
      this.#applyHealth(health);
      return { ok: true, health, report };
    } catch (error) {
      if (error instanceof DeviceTimeoutError) {
        this.#tracker.raise({ code: 'no-reply', level: 'error', message: 'printer does not answer status queries' });
        return { ok: false, error: { code: 'timeout', message: error.message } };
      }
      if (error instanceof DeviceError) return { ok: false, error: { code: 'disconnected', message: error.message } };
      throw error;
    }
  }

  #applyHealth(health: PrinterHealth): void {
    this.#tracker.clear('no-reply');
    for (const [state, issue] of Object.entries(HEALTH_ISSUE)) {
      if (state === health.state) this.#tracker.raise({ code: state, ...issue });
      else this.#tracker.clear(state);
    }
  }

  async #query(n: RealtimeStatusKind): Promise<number> {
    if (this.#mayHaveLateReply) {
      await delay(Math.min(100, this.#statusTimeoutMs));
      this.#mayHaveLateReply = false;
    }
    const reply = new Promise<number>((resolve) => {
      this.#waiter = resolve;
    });
    try {
      await this.#link.write(realtimeStatus(n));
    } catch (error) {
      this.#waiter = undefined;
      throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#waiter = undefined;
        this.#mayHaveLateReply = true;
        reject(new DeviceTimeoutError(`DLE EOT ${n} on ${this.#link.description}`, this.#statusTimeoutMs));
      }, this.#statusTimeoutMs);
    });
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #onData(chunk: Buffer): void {
    for (const message of this.#reader.push(chunk)) {
      const waiter = this.#waiter;
      if (message.kind === 'realtime' && waiter) {
        this.#waiter = undefined;
        waiter(message.byte);
      } else {
        this.emit('unsolicited', message);
      }
    }
  }
}
