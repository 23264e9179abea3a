import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyPress } from './keyboardWedge';
import { WedgeAssembler, classifyKeys, decodeKeyboardReport, encodeKeyboardReports } from './keyboardWedge';

/** Decodes reports stamped at `start + i * gapMs` (fixed timestamps, no clocks). */
function decodeAll(reports: Uint8Array[], start: number, gapMs: number): KeyPress[] {
  let held = new Set<number>();
  const presses: KeyPress[] = [];
  reports.forEach((report, i) => {
    const out = decodeKeyboardReport(report, held, start + i * gapMs);
    held = out.held;
    presses.push(...out.presses);
  });
  return presses;
}

const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ0189-_=+[]{};:\'",.<>/?!@#$%^&*() `~|\\'.split('')), minLength: 1, maxLength: 40 });

describe('keyboard wedge decoding', () => {
  it('turns reports back into the typed text, shift included (property)', () => {
    fc.assert(
      fc.property(printable, (text) => {
        const presses = decodeAll(encodeKeyboardReports(text), 0, 1);
        expect(presses.map((p) => (p.key === 'char' ? p.char : '\n')).join('')).toBe(`${text}\n`);
      }),
    );
  });

  it('ignores held keys, key-up reports and rollover errors', () => {
    const a = Uint8Array.of(0, 0, 0x04, 0, 0, 0, 0, 0);
    const first = decodeKeyboardReport(a, new Set(), 0);
    expect(first.presses).toHaveLength(1);
    expect(decodeKeyboardReport(a, first.held, 1).presses).toHaveLength(0);
    expect(decodeKeyboardReport(Uint8Array.of(0, 0, 1, 1, 1, 1, 1, 1), first.held, 2).presses).toHaveLength(0);
  });

  it('never throws on arbitrary reports (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 16 }), (report) => void decodeKeyboardReport(report, new Set(), 0)));
  });
});

describe('telling a scanner from a person', () => {
  it('classifies a fast burst ended by Enter as one scan', () => {
    const presses = decodeAll(encodeKeyboardReports('HALL-A023'), 1000, 2);
    expect(classifyKeys(presses).inputs).toEqual([{ kind: 'scan', code: 'HALL-A023' }]);
  });

  it('classifies the same keys typed 120 ms apart as typing', () => {
    const presses = decodeAll(encodeKeyboardReports('HALL-A023'), 1000, 60);
    expect(classifyKeys(presses).inputs).toEqual([{ kind: 'typing', text: 'HALL-A023' }]);
  });

  it('treats one slow gap inside a burst as typing, and short bursts as typing', () => {
    const fast = decodeAll(encodeKeyboardReports('123456'), 0, 2);
    const slowed = fast.map((p, i) => (i >= 3 ? { ...p, at: p.at + 500 } : p));
    expect(classifyKeys(slowed).inputs[0]?.kind).toBe('typing');
    expect(classifyKeys(decodeAll(encodeKeyboardReports('12'), 0, 2)).inputs[0]?.kind).toBe('typing');
  });

  it('keeps text after the last Enter for the next call', () => {
    const presses = decodeAll(encodeKeyboardReports('ABCD'), 0, 2).slice(0, -1);
    expect(classifyKeys(presses)).toMatchObject({ inputs: [], rest: { length: 4 } });
  });

  it('assembles live input: a scan, then abandoned typing reported when keys resume', () => {
    const assembler = new WedgeAssembler({ maxScanGapMs: 30, minScanLength: 4, abandonAfterMs: 1000 });
    const out = decodeAll(encodeKeyboardReports('QR123456'), 0, 2).flatMap((p) => assembler.push(p));
    expect(out).toEqual([{ kind: 'scan', code: 'QR123456' }]);
    assembler.push({ key: 'char', char: 'x', at: 5000 });
    expect(assembler.push({ key: 'char', char: 'y', at: 9000 })).toEqual([{ kind: 'typing', text: 'x' }]);
  });
});
