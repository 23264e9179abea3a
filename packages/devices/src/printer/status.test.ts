import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PrinterCondition, StatusMessage } from './status';
import {
  StatusReplyError,
  StatusReplyReader,
  classifyStatusByte,
  healthFromStatus,
  parseErrorCause,
  parseOfflineCause,
  parsePaperSensor,
  parsePrinterStatus,
  realtimeStatusByte,
} from './status';

const report = (p: number, o: number, e: number, s: number) => ({
  printer: parsePrinterStatus(p),
  offlineCause: parseOfflineCause(o),
  errorCause: parseErrorCause(e),
  paper: parsePaperSensor(s),
});

describe('status byte identification', () => {
  it('tells DLE EOT, ASB, GS r and XON/XOFF apart by their fixed bits', () => {
    expect(classifyStatusByte(0x12)).toBe('realtime'); // 0001 0010
    expect(classifyStatusByte(0x7e)).toBe('realtime');
    expect(classifyStatusByte(0x10)).toBe('asb-first'); // 0001 0000
    expect(classifyStatusByte(0x0f)).toBe('transmit'); // GS r: paper near end + end
    expect(classifyStatusByte(0x00)).toBe('transmit');
    expect(classifyStatusByte(0x11)).toBe('xon');
    expect(classifyStatusByte(0x13)).toBe('xoff');
    expect(classifyStatusByte(0x80)).toBe('invalid'); // bit 7 is always 0
    expect(classifyStatusByte(0x17)).toBe('invalid'); // 0001 0111
  });

  it('reads the Epson reference examples', () => {
    // Online printer, nothing wrong.
    expect(healthFromStatus(report(0x12, 0x12, 0x12, 0x12))).toEqual({ state: 'ok', canPrint: true, reasons: [] });
    // Out of paper: offline (bit 3), paper-end stop (bit 5), both sensor pairs set.
    const out = healthFromStatus(report(0x1a, 0x32, 0x12, 0x7e));
    expect(out.state).toBe('paper-out');
    expect(out.canPrint).toBe(false);
    // Near end only: still prints.
    expect(healthFromStatus(report(0x12, 0x12, 0x12, 0x1e))).toMatchObject({ state: 'paper-near-end', canPrint: true });
    // Cover open wins over the offline bit it causes.
    expect(healthFromStatus(report(0x1a, 0x16, 0x12, 0x12)).state).toBe('cover-open');
    // Autocutter error.
    expect(healthFromStatus(report(0x1a, 0x52, 0x1a, 0x12))).toMatchObject({ state: 'error', canPrint: false });
    // Offline with no cause given (e.g. waiting for online recovery).
    expect(healthFromStatus(report(0x3a, 0x12, 0x12, 0x12)).state).toBe('offline');
  });

  it('rejects a byte that is not a DLE EOT reply', () => {
    expect(() => parsePrinterStatus(0x0c)).toThrow(StatusReplyError);
    expect(() => parsePaperSensor(0x10)).toThrow(/not a DLE EOT 4 reply/);
  });

  it('round-trips every printer condition through the simulator table and the parser', () => {
    const condition = fc.record<PrinterCondition>({
      coverOpen: fc.boolean(),
      paperOut: fc.boolean(),
      paperNearEnd: fc.boolean(),
      offline: fc.boolean(),
      autocutterError: fc.boolean(),
      unrecoverableError: fc.boolean(),
    });
    fc.assert(
      fc.property(condition, (c) => {
        const bytes = [1, 2, 3, 4].map((n) => realtimeStatusByte(n, c));
        for (const b of bytes) expect(classifyStatusByte(b)).toBe('realtime');
        const health = healthFromStatus(report(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!));
        const expected = c.coverOpen
          ? 'cover-open'
          : c.paperOut
            ? 'paper-out'
            : c.autocutterError || c.unrecoverableError
              ? 'error'
              : c.offline
                ? 'offline'
                : c.paperNearEnd
                  ? 'paper-near-end'
                  : 'ok';
        expect(health.state).toBe(expected);
      }),
    );
  });
});

describe('StatusReplyReader', () => {
  it('separates DLE EOT replies from an ASB block and XOFF inside it', () => {
    const reader = new StatusReplyReader();
    const messages = reader.push(Uint8Array.from([0x14, 0x00, 0x13, 0x00, 0x0c, 0x12, 0x03]));
    expect(messages).toEqual<StatusMessage[]>([
      { kind: 'xoff' },
      { kind: 'asb', bytes: [0x14, 0x00, 0x00, 0x0c] },
      { kind: 'realtime', byte: 0x12 },
      { kind: 'transmit', byte: 0x03 },
    ]);
  });

  it('reports a broken ASB block as garbage and resynchronises', () => {
    const reader = new StatusReplyReader();
    expect(reader.push(Uint8Array.from([0x10, 0x00]))).toEqual([]);
    expect(reader.push(Uint8Array.from([0x12]))).toEqual([
      { kind: 'garbage', byte: 0x10 },
      { kind: 'garbage', byte: 0x00 },
      { kind: 'realtime', byte: 0x12 },
    ]);
  });

  it('never throws, and every byte ends up in exactly one message, however the stream is chunked', () => {
    const countBytes = (messages: StatusMessage[]): number =>
      messages.reduce((n, m) => n + (m.kind === 'asb' ? 4 : 1), 0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const whole = new StatusReplyReader().push(bytes);
        const chunked = new StatusReplyReader();
        const messages: StatusMessage[] = [];
        let start = 0;
        for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
          messages.push(...chunked.push(bytes.subarray(start, Math.max(start, cut))));
          start = Math.max(start, cut);
        }
        messages.push(...chunked.push(bytes.subarray(start)));
        expect(messages).toEqual(whole);
        // Bytes still held are the start of an unfinished ASB block (at most 3).
        const held = bytes.length - countBytes(whole);
        expect(held).toBeGreaterThanOrEqual(0);
        expect(held).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('parsers accept exactly the realtime-class bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (byte) => {
        const isRealtime = classifyStatusByte(byte) === 'realtime';
        for (const parse of [parsePrinterStatus, parseOfflineCause, parseErrorCause, parsePaperSensor]) {
          if (isRealtime) expect(() => parse(byte)).not.toThrow();
          else expect(() => parse(byte)).toThrow(StatusReplyError);
        }
      }),
    );
  });
});
