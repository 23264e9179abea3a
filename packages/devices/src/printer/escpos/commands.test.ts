import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  align,
  characterSize,
  chineseModeOff,
  chineseModeOn,
  cut,
  emphasis,
  encodeText,
  feedLines,
  initialize,
  lineFeed,
  qrCode,
  qrErrorCorrection,
  qrModel,
  qrModuleSize,
  qrPrint,
  qrStore,
  realtimeStatus,
  selectCodePage,
  selectKanjiCodeSystem,
  transmitStatus,
} from './commands';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ESC/POS command bytes', () => {
  it('encodes the simple commands exactly', () => {
    expect(hex(initialize())).toBe('1b40');
    expect(hex(chineseModeOn())).toBe('1c26');
    expect(hex(chineseModeOff())).toBe('1c2e');
    expect(hex(selectCodePage(0))).toBe('1b7400');
    expect(hex(selectKanjiCodeSystem(0))).toBe('1c4300');
    expect(hex(align('left'))).toBe('1b6100');
    expect(hex(align('center'))).toBe('1b6101');
    expect(hex(align('right'))).toBe('1b6102');
    expect(hex(emphasis(true))).toBe('1b4501');
    expect(hex(emphasis(false))).toBe('1b4500');
    expect(hex(lineFeed())).toBe('0a');
    expect(hex(feedLines(3))).toBe('1b6403');
    expect(hex(cut('full', 0))).toBe('1d564100');
    expect(hex(cut('partial', 96))).toBe('1d564260');
    expect(hex(transmitStatus(1))).toBe('1d7201');
  });

  it('packs GS ! width into the high nibble and height into the low nibble', () => {
    expect(hex(characterSize(1, 1))).toBe('1d2100');
    expect(hex(characterSize(2, 2))).toBe('1d2111');
    expect(hex(characterSize(4, 4))).toBe('1d2133');
    expect(hex(characterSize(3, 1))).toBe('1d2120');
    expect(hex(characterSize(8, 8))).toBe('1d2177');
    expect(() => characterSize(0, 1)).toThrow(RangeError);
    expect(() => characterSize(1, 9)).toThrow(RangeError);
  });

  it('asks the four DLE EOT real-time status kinds', () => {
    expect([1, 2, 3, 4].map((n) => hex(realtimeStatus(n as 1 | 2 | 3 | 4)))).toEqual([
      '100401',
      '100402',
      '100403',
      '100404',
    ]);
  });

  it('encodes Chinese text as GB18030 and refuses control characters', () => {
    expect(hex(encodeText('户籍证明A023'))).toBe('bba7bcaed6a4c3f741303233');
    expect(hex(encodeText('过号'))).toBe('b9fdbac5');
    // A CJK Extension B character takes a four-byte GB18030 code.
    expect(encodeText('𠀀')).toHaveLength(4);
    expect(() => encodeText('A\x1b@')).toThrow(/control/);
    expect(() => encodeText('line\nbreak')).toThrow(/control/);
    expect(() => encodeText('户', 'ascii')).toThrow(/gb18030/);
  });

  it('builds the QR functions 165, 167, 169, 181', () => {
    expect(hex(qrModel(2))).toBe('1d286b0400314132' + '00');
    expect(hex(qrModuleSize(6))).toBe('1d286b03003143' + '06');
    expect(hex(qrErrorCorrection('L'))).toBe('1d286b0300314530');
    expect(hex(qrErrorCorrection('H'))).toBe('1d286b0300314533');
    expect(hex(qrPrint())).toBe('1d286b0300315130');
    expect(() => qrModuleSize(17)).toThrow(RangeError);
  });

  it('counts QR store length (fn 180) in bytes of the UTF-8 payload, plus 3', () => {
    const payload = 'https://hall.example/q?s=户籍证明';
    const data = new TextEncoder().encode(payload);
    expect(data.length).toBe(37); // 25 ASCII + 4 hanzi × 3 bytes
    expect(payload.length).toBe(29);
    const store = qrStore(data);
    expect(hex(store.subarray(0, 8))).toBe('1d286b' + '2800' + '315030'); // 0x28 = 40 = 37 + 3
    expect(store.subarray(8)).toEqual(data);

    const full = qrCode(payload, { moduleSize: 6, errorCorrection: 'M' });
    expect(hex(full)).toBe(
      '1d286b040031413200' + '1d286b0300314306' + '1d286b0300314531' + hex(store) + '1d286b0300315130',
    );
  });

  it('uses both length bytes for long payloads', () => {
    const store = qrStore(new Uint8Array(300).fill(0x41));
    expect(store[3]).toBe((303 & 0xff) as number);
    expect(store[4]).toBe(1);
    expect(() => qrStore(new Uint8Array(0))).toThrow(RangeError);
  });

  it('shows why the npm escpos package is not used for QR codes', () => {
    const require = createRequire(import.meta.url);
    const { Printer } = require('escpos') as { Printer: new (adapter: object) => EscposPrinter };
    interface EscposPrinter {
      buffer: { flush(): Buffer };
      model(name: string | null): EscposPrinter;
      qrcode(code: string, version?: number, level?: string, size?: number): EscposPrinter;
      text(content: string): EscposPrinter;
    }
    const payload = 'https://hall.example/q?s=户籍证明';
    const byteLength = new TextEncoder().encode(payload).length;

    // Default model: the non-Epson GS Z / ESC Z command, no GS ( k at all.
    const legacy = new Printer({}).qrcode(payload).buffer.flush();
    expect(legacy.subarray(0, 3).toString('hex')).toBe('1d5a02');
    expect(legacy.includes(Buffer.from('1d286b', 'hex'))).toBe(false);
    // ... and its length field counts characters (29), not bytes (37).
    const lengthAt = legacy.indexOf(0x1b) + 5; // ESC Z version level size nL nH
    expect(legacy.readUInt16LE(lengthAt)).toBe(payload.length);
    expect(legacy.readUInt16LE(lengthAt)).not.toBe(byteLength);

    // The escpos builder never switches to Chinese mode for its text either.
    const text = new Printer({}).text('户籍证明').buffer.flush();
    expect(text.includes(Buffer.from(chineseModeOn()))).toBe(false);

    // Our builder: GS ( k store with pL pH = byte length + 3.
    const ours = Buffer.from(qrCode(payload));
    const storeAt = ours.indexOf(Buffer.from('315030', 'hex')) - 5; // GS ( k pL pH 31 50 30
    expect(ours.readUInt16LE(storeAt + 3)).toBe(byteLength + 3);
  });
});
