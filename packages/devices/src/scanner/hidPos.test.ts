import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidPosAssembler, decodeHidPosReport, encodeHidPosReports } from './hidPos';
import { HidCodeScanner } from './hidScanner';
import type { HidReportSource } from './hidScanner';
import { encodeKeyboardReports } from './keyboardWedge';
import type { Scan } from './types';

describe('HID POS reports', () => {
  it('roundtrips codes of any length across continued reports (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), (code) => {
        const assembler = new HidPosAssembler();
        const results = encodeHidPosReports(code).map((r) => assembler.push(r));
        expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
        expect(results.at(-1)).toEqual({ kind: 'code', data: Buffer.from(code), symbology: ']Q1' });
      }),
    );
  });

  it('never throws on arbitrary reports and rejects impossible lengths (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => void decodeHidPosReport(bytes)));
    const report = encodeHidPosReports(Buffer.from('x'))[0] ?? new Uint8Array();
    report[1] = 99;
    expect(decodeHidPosReport(report)).toEqual({ ok: false, error: 'HID POS report claims 99 data bytes, capacity 56' });
  });
});

/** Reports pushed by the test; stands in for node-hid, which has no device here. */
class ReportFeed implements HidReportSource {
  handlers: Parameters<HidReportSource['start']>[0] | undefined;
  start(handlers: Parameters<HidReportSource['start']>[0]): void {
    this.handlers = handlers;
    handlers.connected(true);
  }
  async close(): Promise<void> {}
  push(report: Uint8Array): void {
    this.handlers?.report(report);
  }
}

describe('HidCodeScanner', () => {
  it('emits one scan per POS code, and an error for a broken report', () => {
    const feed = new ReportFeed();
    const scanner = new HidCodeScanner({ source: feed, mode: 'pos', now: () => 42 });
    const scans: Scan[] = [];
    const errors: string[] = [];
    scanner.on('scan', (s) => scans.push(s));
    scanner.on('error', (e) => errors.push(e.message));
    scanner.start();
    for (const r of encodeHidPosReports(Buffer.from('粤居码:' + 'Z'.repeat(80)))) feed.push(r);
    feed.push(Uint8Array.of(9, 9, 9));
    expect(scans).toEqual([{ code: '粤居码:' + 'Z'.repeat(80), source: 'hid-pos', symbology: ']Q1', at: 42 }]);
    expect(errors[0]).toMatch(/HID POS report of 3 bytes/);
    expect(scanner.health.connected).toBe(true);
  });

  it('separates wedge scans from typing by report timestamps', () => {
    const feed = new ReportFeed();
    let clock = 0;
    let step = 2;
    const scanner = new HidCodeScanner({ source: feed, mode: 'wedge', now: () => (clock += step) });
    const scans: string[] = [];
    const typed: string[] = [];
    scanner.on('scan', (s) => scans.push(s.code));
    scanner.on('typing', (t) => typed.push(t));
    scanner.start();
    for (const r of encodeKeyboardReports('A023-XYZ')) feed.push(r);
    step = 150;
    for (const r of encodeKeyboardReports('hello')) feed.push(r);
    expect(scans).toEqual(['A023-XYZ']);
    expect(typed).toEqual(['hello']);
  });
});
