/**
 * Printer → host status bytes. Every reply carries fixed bits that say which
 * command it answers (Epson ESC/POS "identification of send status"):
 *
 *   DLE EOT reply        0xx1 xx10
 *   ASB, first byte      0xx1 xx00   (then three bytes 0xx0 xxxx, XON/XOFF excepted)
 *   GS r / GS I reply    0xx0 xxxx
 *   XON 0x11, XOFF 0x13
 *
 * so a reader can tell a DLE EOT answer apart from an ASB block or a GS r reply
 * that was still queued behind print data.
 */

export const XON = 0x11;
export const XOFF = 0x13;

export type StatusByteClass = 'realtime' | 'asb-first' | 'transmit' | 'xon' | 'xoff' | 'invalid';

export function classifyStatusByte(byte: number): StatusByteClass {
  if (byte === XON) return 'xon';
  if (byte === XOFF) return 'xoff';
  if ((byte & 0x93) === 0x12) return 'realtime';
  if ((byte & 0x93) === 0x10) return 'asb-first';
  if ((byte & 0x90) === 0x00) return 'transmit';
  return 'invalid';
}

export type StatusMessage =
  | { kind: 'realtime'; byte: number }
  | { kind: 'asb'; bytes: [number, number, number, number] }
  | { kind: 'transmit'; byte: number }
  | { kind: 'xon' }
  | { kind: 'xoff' }
  | { kind: 'garbage'; byte: number };

/**
 * Splits the printer's reply stream into messages. Incremental (bytes may arrive
 * in any chunking) and total: any byte sequence yields messages, never an exception.
 */
export class StatusReplyReader {
  #asb: number[] | undefined;

  push(chunk: Uint8Array): StatusMessage[] {
    const out: StatusMessage[] = [];
    for (const byte of chunk) {
      const cls = classifyStatusByte(byte);
      if (cls === 'xon' || cls === 'xoff') {
        out.push({ kind: cls });
        continue;
      }
      if (this.#asb) {
        if (cls === 'transmit') {
          this.#asb.push(byte);
          if (this.#asb.length === 4) {
            out.push({ kind: 'asb', bytes: this.#asb as [number, number, number, number] });
            this.#asb = undefined;
          }
          continue;
        }
        // A broken ASB block: report what we had and resynchronise on this byte.
        for (const b of this.#asb) out.push({ kind: 'garbage', byte: b });
        this.#asb = undefined;
      }
      switch (cls) {
        case 'realtime':
          out.push({ kind: 'realtime', byte });
          break;
        case 'asb-first':
          this.#asb = [byte];
          break;
        case 'transmit':
          out.push({ kind: 'transmit', byte });
          break;
        default:
          out.push({ kind: 'garbage', byte });
      }
    }
    return out;
  }
}

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

/** DLE EOT 1 */
export interface PrinterStatusReply {
  offline: boolean;
  drawerPin3High: boolean;
  waitingForOnlineRecovery: boolean;
  feedButtonPressed: boolean;
}

/** DLE EOT 2 */
export interface OfflineCauseReply {
  coverOpen: boolean;
  feedingByButton: boolean;
  paperEndStop: boolean;
  errorOccurred: boolean;
}

/** DLE EOT 3 */
export interface ErrorCauseReply {
  recoverableError: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
}

/** DLE EOT 4 */
export interface PaperSensorReply {
  nearEnd: boolean;
  paperOut: boolean;
}

export class StatusReplyError extends Error {
  constructor(
    readonly byte: number,
    expected: string,
  ) {
    super(`0x${byte.toString(16).padStart(2, '0')} is not a ${expected} reply`);
    this.name = 'StatusReplyError';
  }
}

function requireRealtime(byte: number, what: string): void {
  if (!Number.isInteger(byte) || byte < 0 || byte > 255 || classifyStatusByte(byte) !== 'realtime') {
    throw new StatusReplyError(byte, what);
  }
}

export function parsePrinterStatus(byte: number): PrinterStatusReply {
  requireRealtime(byte, 'DLE EOT 1');
  return {
    drawerPin3High: bit(byte, 2),
    offline: bit(byte, 3),
    waitingForOnlineRecovery: bit(byte, 5),
    feedButtonPressed: bit(byte, 6),
  };
}

export function parseOfflineCause(byte: number): OfflineCauseReply {
  requireRealtime(byte, 'DLE EOT 2');
  return { coverOpen: bit(byte, 2), feedingByButton: bit(byte, 3), paperEndStop: bit(byte, 5), errorOccurred: bit(byte, 6) };
}

export function parseErrorCause(byte: number): ErrorCauseReply {
  requireRealtime(byte, 'DLE EOT 3');
  return {
    recoverableError: bit(byte, 2),
    autocutterError: bit(byte, 3),
    unrecoverableError: bit(byte, 5),
    autoRecoverableError: bit(byte, 6),
  };
}

/** Either sensor bit of a pair counts: some firmware sets only one of the two. */
export function parsePaperSensor(byte: number): PaperSensorReply {
  requireRealtime(byte, 'DLE EOT 4');
  return { nearEnd: (byte & 0x0c) !== 0, paperOut: (byte & 0x60) !== 0 };
}

export interface StatusReport {
  printer: PrinterStatusReply;
  offlineCause: OfflineCauseReply;
  errorCause: ErrorCauseReply;
  paper: PaperSensorReply;
}

export type PrinterHealthState = 'ok' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline' | 'error';

export interface PrinterHealth {
  state: PrinterHealthState;
  /** False when a print would not come out now. */
  canPrint: boolean;
  /** For a technician: which bits led to the state. */
  reasons: string[];
}

/**
 * Most specific cause first: an open cover also sets "offline", and paper out
 * also sets "near end", so the cause the citizen or clerk can fix wins.
 */
export function healthFromStatus(report: StatusReport): PrinterHealth {
  const reasons: string[] = [];
  const { printer, offlineCause, errorCause, paper } = report;
  if (offlineCause.coverOpen) reasons.push('cover open');
  if (paper.paperOut || offlineCause.paperEndStop) reasons.push('paper out');
  if (errorCause.autocutterError) reasons.push('autocutter error');
  if (errorCause.unrecoverableError) reasons.push('unrecoverable error');
  if (errorCause.autoRecoverableError) reasons.push('auto-recoverable error (e.g. head temperature)');
  if (errorCause.recoverableError) reasons.push('recoverable error');
  if (offlineCause.errorOccurred && !errorCause.autocutterError && !errorCause.unrecoverableError) reasons.push('error');
  if (printer.offline) reasons.push('offline');
  if (paper.nearEnd) reasons.push('paper near end');

  let state: PrinterHealthState;
  if (offlineCause.coverOpen) state = 'cover-open';
  else if (paper.paperOut || offlineCause.paperEndStop) state = 'paper-out';
  else if (
    offlineCause.errorOccurred ||
    errorCause.autocutterError ||
    errorCause.unrecoverableError ||
    errorCause.autoRecoverableError ||
    errorCause.recoverableError
  )
    state = 'error';
  else if (printer.offline) state = 'offline';
  else if (paper.nearEnd) state = 'paper-near-end';
  else state = 'ok';
  return { state, canPrint: state === 'ok' || state === 'paper-near-end', reasons };
}

/** What DLE EOT 1..4 answer for a given condition; the simulator's side of the same table. */
export interface PrinterCondition {
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  offline: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
}

export function realtimeStatusByte(n: number, c: PrinterCondition): number {
  const fixed = 0x12;
  const stopped = c.coverOpen || c.paperOut || c.offline || c.autocutterError || c.unrecoverableError;
  switch (n) {
    case 1:
      return fixed | (stopped ? 0x08 : 0);
    case 2:
      return (
        fixed |
        (c.coverOpen ? 0x04 : 0) |
        (c.paperOut ? 0x20 : 0) |
        (c.autocutterError || c.unrecoverableError ? 0x40 : 0)
      );
    case 3:
      return fixed | (c.autocutterError ? 0x08 : 0) | (c.unrecoverableError ? 0x20 : 0);
    case 4:
      return fixed | (c.paperNearEnd || c.paperOut ? 0x0c : 0) | (c.paperOut ? 0x60 : 0);
    default:
      throw new RangeError(`DLE EOT ${n} is not defined`);
  }
}
