import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { concatBytes, cut, encodeText, initialize, lineFeed, qrCode, realtimeStatus } from '../escpos/commands';
import type { DecodedEvent } from './decoder';
import { EscPosDecoder } from './decoder';
import { PrinterModel } from './printerModel';

function decodeInChunks(bytes: Uint8Array, cuts: number[]): DecodedEvent[] {
  const decoder = new EscPosDecoder();
  const events: DecodedEvent[] = [];
  let start = 0;
  for (const c of cuts.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b)) {
    events.push(...decoder.push(bytes.subarray(start, Math.max(start, c))));
    start = Math.max(start, c);
  }
  events.push(...decoder.push(bytes.subarray(start)));
  return events;
}

describe('EscPosDecoder', () => {
  it('decodes Chinese text only after FS &', () => {
    const gb = iconv.encode('过号', 'gb18030');
    const withMode = new EscPosDecoder().push(concatBytes([Uint8Array.from([0x1c, 0x26]), gb, lineFeed()]));
    expect(withMode).toEqual([{ kind: 'text', text: '过号', align: 'left', bold: false, width: 1, height: 1 }]);
    // Without FS & the same bytes are code-page characters, as a printer would print them.
    const without = new EscPosDecoder().push(concatBytes([gb, lineFeed()]));
    expect(without[0]).toMatchObject({ kind: 'text' });
    expect((without[0] as { text: string }).text).not.toBe('过号');
  });

  it('decodes a QR store split across many chunks', () => {
    const payload = 'https://hall.example/q/A023?服务=户籍证明';
    const bytes = concatBytes([initialize(), qrCode(payload), cut('partial', 0)]);
    const events = decodeInChunks(bytes, [3, 9, 20, 21, 40, 41]);
    expect(events).toEqual([
      { kind: 'init' },
      { kind: 'qr', payload, byteLength: new TextEncoder().encode(payload).length, model: 2, moduleSize: 6, errorCorrection: 'M' },
      { kind: 'cut', cut: 'partial' },
    ]);
  });

  it('reports unknown commands and keeps decoding after them', () => {
    const bytes = concatBytes([
      Uint8Array.from([0x1b, 0x7f, 0x07]),
      Uint8Array.from([0x1c, 0x26]),
      encodeText('好'),
      lineFeed(),
    ]);
    const events = new EscPosDecoder().push(bytes);
    expect(events[0]).toEqual({ kind: 'unknown', offset: 0, bytes: [0x1b, 0x7f], reason: 'unknown ESC command' });
    expect(events[1]).toEqual({ kind: 'unknown', offset: 2, bytes: [0x07], reason: 'unexpected control byte' });
    expect(events[2]).toMatchObject({ kind: 'text', text: '好' });
  });

  it('never throws on arbitrary bytes, and chunking does not change the result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const whole = new EscPosDecoder().push(bytes);
        expect(decodeInChunks(bytes, cuts)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps decoding valid commands that follow arbitrary junk once the junk is complete', () => {
    // Junk ending in a complete command set: a printer resynchronises at ESC @.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }).filter((b) => !b.includes(0x1d) && !b.includes(0x1b) && !b.includes(0x10) && !b.includes(0x1c)), (junk) => {
        const events = new EscPosDecoder().push(concatBytes([junk, lineFeed(), initialize(), qrCode('X'), cut('full', 0)]));
        expect(events.filter((e) => e.kind === 'qr')).toHaveLength(1);
        expect(events.at(-1)).toEqual({ kind: 'cut', cut: 'full' });
      }),
    );
  });
});

describe('PrinterModel', () => {
  it('answers DLE EOT even inside an unfinished command and while out of paper', () => {
    const model = new PrinterModel();
    // A QR store that announces more data than has arrived, then a status query.
    const partialStore = Uint8Array.from([0x1d, 0x28, 0x6b, 0x20, 0x00, 0x31, 0x50, 0x30, 0x41]);
    expect([...model.receive(partialStore)]).toEqual([]);
    expect([...model.receive(realtimeStatus(4))]).toEqual([0x12]);

    const empty = new PrinterModel({ paperOut: true });
    expect([...empty.receive(realtimeStatus(4))]).toEqual([0x7e]);
    const split = realtimeStatus(2);
    expect([...empty.receive(split.subarray(0, 2))]).toEqual([]);
    expect([...empty.receive(split.subarray(2))]).toEqual([0x32]);
    expect(empty.receive(concatBytes([encodeText('lost'), lineFeed()]))).toHaveLength(0);
    expect(empty.record()).toMatchObject({ droppedBytes: 11, jobs: [], uncut: [] });
  });

  it('never throws on arbitrary bytes and answers one byte per DLE EOT 1..4 seen', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const model = new PrinterModel();
        const replies = model.receive(bytes);
        const queries = model.record().statusQueries.filter((q) => q.reply !== null).length;
        const gsR = replies.length - queries;
        expect(gsR).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
