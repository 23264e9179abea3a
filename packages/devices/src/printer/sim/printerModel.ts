import type { CutKind, QrErrorCorrection } from '../escpos/commands';
import type { PrinterCondition } from '../status';
import { realtimeStatusByte } from '../status';
import type { DecodedEvent, TextStyle } from './decoder';
import { EscPosDecoder } from './decoder';

export type PrintedItem =
  | ({ type: 'text'; text: string } & TextStyle)
  | { type: 'qr'; payload: string; byteLength: number; model: number; moduleSize: number; errorCorrection: QrErrorCorrection }
  | { type: 'feed'; lines: number };

/** Everything between two cuts. */
export interface PrintedJob {
  items: PrintedItem[];
  cut: CutKind;
}

export interface PrinterRecord {
  jobs: PrintedJob[];
  /** Printed but not yet cut off. */
  uncut: PrintedItem[];
  /** Bytes the decoder did not understand, with the reason. */
  unknown: { offset: number; bytes: number[]; reason: string }[];
  statusQueries: { n: number; reply: number | null }[];
  /** Print data that arrived while the printer could not print (paper out, cover open, offline). */
  droppedBytes: number;
  condition: PrinterCondition;
}

export const healthyCondition = (): PrinterCondition => ({
  coverOpen: false,
  paperOut: false,
  paperNearEnd: false,
  offline: false,
  autocutterError: false,
  unrecoverableError: false,
});

const isStopped = (c: PrinterCondition): boolean =>
  c.coverOpen || c.paperOut || c.offline || c.autocutterError || c.unrecoverableError;

/** Bounds memory for long simulator runs fed junk. */
const MAX_UNKNOWN = 200;
const MAX_QUERIES = 1000;
/** The near-end sensor trips with roughly this much paper left. */
const NEAR_END_LINES = 100;

/**
 * The printer behind the cable: feeds received bytes to the decoder, keeps the
 * record, and returns the bytes the printer sends back. DLE EOT is answered the
 * way real firmware does it, straight from the receive stream, even in the middle
 * of another command's data or while the printer is stopped.
 */
export class PrinterModel {
  #decoder = new EscPosDecoder();
  #condition: PrinterCondition = healthyCondition();
  #jobs: PrintedJob[] = [];
  #uncut: PrintedItem[] = [];
  #unknown: PrinterRecord['unknown'] = [];
  #queries: PrinterRecord['statusQueries'] = [];
  #dropped = 0;
  /** Last two bytes of the previous chunk, to catch a DLE EOT n split across chunks. */
  #tail: number[] = [];

  /** Lines of paper left on the roll; undefined = endless. */
  #paperLines: number | undefined;

  constructor(condition: Partial<PrinterCondition> = {}, options: { paperLines?: number } = {}) {
    this.setCondition(condition);
    this.#paperLines = options.paperLines;
  }

  /** Loads a roll with `lines` lines left (undefined = endless) and clears paper out. */
  loadPaper(lines?: number): void {
    this.#paperLines = lines;
    this.setCondition({ paperOut: false, paperNearEnd: false });
  }

  setCondition(patch: Partial<PrinterCondition>): void {
    const wasStopped = isStopped(this.#condition);
    this.#condition = { ...this.#condition, ...patch };
    // A stopped printer discards the half-received command it was parsing.
    if (!wasStopped && isStopped(this.#condition)) this.#decoder = new EscPosDecoder();
  }

  get condition(): PrinterCondition {
    return { ...this.#condition };
  }

  /** Handles bytes from the host; returns the reply bytes (possibly empty). */
  receive(chunk: Uint8Array): Uint8Array {
    const replies = this.#realtime(chunk);
    if (isStopped(this.#condition)) {
      this.#dropped += chunk.length;
      return Uint8Array.from(replies);
    }
    for (const event of this.#decoder.push(chunk)) {
      if (isStopped(this.#condition)) break; // the roll ran out part-way through this chunk
      const reply = this.#apply(event);
      if (reply !== undefined) replies.push(reply);
    }
    return Uint8Array.from(replies);
  }

  #realtime(chunk: Uint8Array): number[] {
    const window = [...this.#tail, ...chunk];
    const replies: number[] = [];
    for (let i = 0; i + 2 < window.length; i++) {
      const n = window[i + 2] ?? 0;
      if (window[i] === 0x10 && window[i + 1] === 0x04 && i + 2 >= this.#tail.length) {
        const reply = n >= 1 && n <= 4 ? realtimeStatusByte(n, this.#condition) : null;
        this.#queries.push({ n, reply });
        if (this.#queries.length > MAX_QUERIES) this.#queries.shift();
        if (reply !== null) replies.push(reply);
      }
    }
    this.#tail = window.slice(-2);
    return replies;
  }

  #apply(event: DecodedEvent): number | undefined {
    switch (event.kind) {
      case 'text': {
        const { kind: _kind, ...rest } = event;
        this.#uncut.push({ type: 'text', ...rest });
        this.#usePaper(event.height);
        return undefined;
      }
      case 'qr': {
        const { kind: _kind, ...rest } = event;
        this.#uncut.push({ type: 'qr', ...rest });
        return undefined;
      }
      case 'feed':
        this.#uncut.push({ type: 'feed', lines: event.lines });
        this.#usePaper(event.lines);
        return undefined;
      case 'cut':
        this.#jobs.push({ items: this.#uncut, cut: event.cut });
        this.#uncut = [];
        return undefined;
      case 'transmit-status':
        // GS r 1: paper sensor, bits 0-1 near end, 2-3 paper end; other n: nothing to report.
        if (event.n === 1 || event.n === 49) return this.#condition.paperNearEnd ? 0x03 : 0x00;
        return event.n === 2 || event.n === 50 ? 0x00 : undefined;
      case 'unknown':
        if (this.#unknown.length < MAX_UNKNOWN) {
          const { kind: _kind, ...rest } = event;
          this.#unknown.push(rest);
        }
        return undefined;
      default:
        return undefined;
    }
  }

  #usePaper(lines: number): void {
    if (this.#paperLines === undefined) return;
    this.#paperLines = Math.max(0, this.#paperLines - lines);
    if (this.#paperLines === 0) this.setCondition({ paperOut: true, paperNearEnd: true });
    else if (this.#paperLines < NEAR_END_LINES) this.setCondition({ paperNearEnd: true });
  }

  /** A JSON-safe copy of everything printed so far. */
  record(): PrinterRecord {
    return structuredClone({
      jobs: this.#jobs,
      uncut: this.#uncut,
      unknown: this.#unknown,
      statusQueries: this.#queries,
      droppedBytes: this.#dropped,
      condition: this.#condition,
    });
  }

  /** Forgets what was printed (between test cases); keeps the condition. */
  clearRecord(): void {
    this.#jobs = [];
    this.#uncut = [];
    this.#unknown = [];
    this.#queries = [];
    this.#dropped = 0;
  }
}
