import { HealthTracker, type DeviceHealth } from '../health';
import { TypedEmitter } from '../transport/typedEmitter';
import { decodeIppResponse, encodeIppRequest, ippSucceeded, IPP_OPERATION, type IppAttributeValue } from './ipp';
import type { A4PrintErrorCode, A4Printer, A4PrinterEvents, A4PrintJob, A4PrintResult } from './printer';

export interface IppPrinterOptions {
  /** The queue's IPP address over HTTP, e.g. `http://127.0.0.1:631/printers/hall-a4` (`ipp://` is accepted). */
  url: string;
  /** Per request; CUPS answers in milliseconds, a dead host must not hang the kiosk. */
  timeoutMs?: number;
  /** requesting-user-name: the station, never the citizen. */
  userName?: string;
}

/** printer-state-reasons (RFC 8011 §5.4.12) that stop a job, by what we tell the citizen. */
const STOPPING_REASONS: ReadonlyArray<[prefix: string, code: A4PrintErrorCode]> = [
  ['media-empty', 'paper-out'],
  ['media-needed', 'paper-out'],
  ['media-jam', 'jammed'],
  ['door-open', 'stopped'],
  ['cover-open', 'stopped'],
];
const PRINTER_STOPPED = 5;

class IppHttpError extends Error {
  constructor(
    readonly code: A4PrintErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function ippHttpUrl(url: string): string {
  const parsed = new URL(url.replace(/^ipps?:/, (scheme) => (scheme === 'ipps:' ? 'https:' : 'http:')));
  if (!parsed.port && url.startsWith('ipp')) parsed.port = '631';
  return parsed.toString();
}

/**
 * An A4 printer behind a CUPS (or any IPP) print server. Before each job it asks the
 * printer's state, so paper out or a stopped queue is told at once instead of the job
 * waiting silently in the spooler; the caller keeps the document for a retry.
 */
export class IppA4Printer extends TypedEmitter<A4PrinterEvents> implements A4Printer {
  readonly description: string;
  readonly #tracker: HealthTracker;
  readonly #httpUrl: string;
  readonly #timeoutMs: number;
  #requestId = 1;

  constructor(private readonly options: IppPrinterOptions) {
    super();
    this.#httpUrl = ippHttpUrl(options.url);
    this.#timeoutMs = options.timeoutMs ?? 8_000;
    this.description = `IPP ${options.url}`;
    this.#tracker = new HealthTracker('a4-printer');
    this.#tracker.on('health', (health) => this.emit('health', health));
  }

  get health(): DeviceHealth {
    return this.#tracker.current;
  }

  async #call(operation: number, attributes: Parameters<typeof encodeIppRequest>[0]['operationAttributes'], document?: Uint8Array) {
    const body = Buffer.concat([
      encodeIppRequest({
        operation,
        requestId: this.#requestId++,
        operationAttributes: [
          { name: 'printer-uri', tag: 'uri', values: [this.options.url] },
          { name: 'requesting-user-name', tag: 'name', values: [this.options.userName ?? 'hall-kiosk'] },
          ...attributes,
        ],
      }),
      ...(document ? [Buffer.from(document)] : []),
    ]);
    let response: Response;
    try {
      response = await fetch(this.#httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/ipp' },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new IppHttpError(timedOut ? 'timeout' : 'unreachable', timedOut ? `no answer from ${this.#httpUrl}` : `cannot reach ${this.#httpUrl}`);
    }
    if (!response.ok) throw new IppHttpError(response.status === 404 ? 'unreachable' : 'refused', `HTTP ${response.status} from ${this.#httpUrl}`);
    return decodeIppResponse(Buffer.from(await response.arrayBuffer()));
  }

  /** Why the printer cannot print now, from its attributes; undefined when it can. */
  #blocker(attributes: Map<string, IppAttributeValue[]>): { code: A4PrintErrorCode; message: string } | undefined {
    const reasons = (attributes.get('printer-state-reasons') ?? []).map(String);
    for (const [prefix, code] of STOPPING_REASONS) {
      const reason = reasons.find((r) => r.startsWith(prefix) && !r.endsWith('-report'));
      if (reason) return { code, message: `printer reports ${reason}` };
    }
    if (attributes.get('printer-is-accepting-jobs')?.[0] === false) return { code: 'stopped', message: 'printer is not accepting jobs' };
    if (attributes.get('printer-state')?.[0] === PRINTER_STOPPED) return { code: 'stopped', message: 'printer is stopped' };
    return undefined;
  }

  #record(blocker: { code: A4PrintErrorCode; message: string } | undefined): void {
    this.#tracker.setConnected(true);
    for (const code of ['paper-out', 'jammed', 'stopped', 'refused']) if (code !== blocker?.code) this.#tracker.clear(code);
    if (blocker) this.#tracker.raise({ code: blocker.code, level: 'error', message: blocker.message });
  }

  async #state(): Promise<{ code: A4PrintErrorCode; message: string } | undefined> {
    const response = await this.#call(IPP_OPERATION.getPrinterAttributes, [
      { name: 'requested-attributes', tag: 'keyword', values: ['printer-state', 'printer-state-reasons', 'printer-is-accepting-jobs'] },
    ]);
    if (!ippSucceeded(response.statusCode)) {
      throw new IppHttpError('unreachable', `the print server has no such queue (IPP status 0x${response.statusCode.toString(16)})`);
    }
    const blocker = this.#blocker(response.attributes);
    this.#record(blocker);
    return blocker;
  }

  async refresh(): Promise<DeviceHealth> {
    try {
      await this.#state();
    } catch (error) {
      this.#lost(error);
    }
    return this.health;
  }

  #lost(error: unknown): { code: A4PrintErrorCode; message: string } {
    const failure = error instanceof IppHttpError ? { code: error.code, message: error.message } : { code: 'refused' as const, message: String(error) };
    if (failure.code === 'unreachable' || failure.code === 'timeout') this.#tracker.setConnected(false);
    return failure;
  }

  async print(job: A4PrintJob): Promise<A4PrintResult> {
    try {
      const blocker = await this.#state();
      if (blocker) return { ok: false, error: blocker };
      const response = await this.#call(
        IPP_OPERATION.printJob,
        [
          { name: 'job-name', tag: 'name', values: [job.title] },
          { name: 'document-format', tag: 'mimeMediaType', values: ['application/pdf'] },
        ],
        job.pdf,
      );
      if (!ippSucceeded(response.statusCode)) {
        return { ok: false, error: { code: 'refused', message: `the print server refused the job (IPP status 0x${response.statusCode.toString(16)})` } };
      }
      const jobId = Number(response.attributes.get('job-id')?.[0] ?? 0);
      return { ok: true, jobId };
    } catch (error) {
      return { ok: false, error: this.#lost(error) };
    }
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing held open.
  }
}
