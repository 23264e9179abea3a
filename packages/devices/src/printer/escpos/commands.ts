import iconv from 'iconv-lite';

/**
 * ESC/POS commands as pure functions returning bytes. We write these ourselves
 * instead of going through the npm `escpos` package because its builder gets the
 * Chinese path wrong: it never sends FS & (so GB18030 text prints as code-page
 * garbage on Chinese firmware), its default `qrcode()` emits the non-Epson
 * `GS Z`/`ESC Z` command, and even its GS ( k variant counts the QR length in
 * characters. Every command here is pinned byte for byte by commands.test.ts.
 */

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function byteArg(name: string, value: number, min = 0, max = 255): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** ESC @ — clears the print buffer and resets modes to power-on defaults. */
export const initialize = (): Uint8Array => bytes(ESC, 0x40);

/** FS & — Chinese (Kanji) character mode: two-byte GB codes print as hanzi. */
export const chineseModeOn = (): Uint8Array => bytes(FS, 0x26);

/** FS . — back to single-byte code-page mode. */
export const chineseModeOff = (): Uint8Array => bytes(FS, 0x2e);

/** ESC t n — single-byte code page (0 = PC437) used outside Chinese mode. */
export const selectCodePage = (page: number): Uint8Array => bytes(ESC, 0x74, byteArg('code page', page));

/**
 * FS C n — Kanji code system. Only some firmware implements it (on Epson Japanese
 * models 0 = JIS, 1 = Shift JIS); Chinese models default to GB and ignore it, so
 * the ticket path does not send it. Kept for the models that need it.
 */
export const selectKanjiCodeSystem = (system: number): Uint8Array =>
  bytes(FS, 0x43, byteArg('code system', system));

export type Alignment = 'left' | 'center' | 'right';
const ALIGN_CODE: Record<Alignment, number> = { left: 0, center: 1, right: 2 };

/** ESC a n */
export const align = (alignment: Alignment): Uint8Array => bytes(ESC, 0x61, ALIGN_CODE[alignment]);

/** ESC E n — emphasized (bold). */
export const emphasis = (on: boolean): Uint8Array => bytes(ESC, 0x45, on ? 1 : 0);

/**
 * GS ! n — character size, width and height multipliers 1..8. On Chinese firmware
 * it scales hanzi too, which is why the big ticket number uses it rather than ESC !.
 */
export function characterSize(width: number, height: number): Uint8Array {
  const w = byteArg('width multiplier', width, 1, 8);
  const h = byteArg('height multiplier', height, 1, 8);
  return bytes(GS, 0x21, ((w - 1) << 4) | (h - 1));
}

/** LF — print the line buffer and feed one line. */
export const lineFeed = (): Uint8Array => bytes(LF);

/** ESC d n — print and feed n lines. */
export const feedLines = (lines: number): Uint8Array => bytes(ESC, 0x64, byteArg('lines', lines));

export type TextEncoding = 'gb18030' | 'ascii';

/**
 * Text bytes for the printer. GB18030 is a superset of GBK/GB2312, so common hanzi
 * come out as the two-byte codes every Chinese thermal printer knows; rare characters
 * become four-byte GB18030 codes that GBK-only firmware prints as '?'.
 */
export function encodeText(text: string, encoding: TextEncoding = 'gb18030'): Uint8Array {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) {
      throw new RangeError('text contains control characters; use the command functions instead');
    }
    if (encoding === 'ascii' && code > 0x7e) throw new RangeError('non-ASCII text needs gb18030 encoding');
  }
  if (encoding === 'ascii') return Uint8Array.from(Buffer.from(text, 'latin1'));
  return Uint8Array.from(iconv.encode(text, 'gb18030'));
}

export type QrModel = 1 | 2;
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
const QR_EC_CODE: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

/** Largest QR payload (bytes) the GS ( k store function accepts on Epson firmware. */
export const QR_MAX_BYTES = 7089;

/** GS ( k fn 165 — select QR model (cn 49, fn 65): n1 = 49 model 1, 50 model 2. */
export const qrModel = (model: QrModel): Uint8Array => bytes(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 48 + model, 0);

/** GS ( k fn 167 — module size in dots (1..16). */
export const qrModuleSize = (dots: number): Uint8Array =>
  bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, byteArg('QR module size', dots, 1, 16));

/** GS ( k fn 169 — error correction level. */
export const qrErrorCorrection = (level: QrErrorCorrection): Uint8Array =>
  bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, QR_EC_CODE[level]);

/**
 * GS ( k fn 180 — store QR data. pL pH = k + 3 where k is the number of data BYTES
 * (the 3 counts cn, fn and m). Counting characters instead, as the escpos package
 * does, truncates any payload with multi-byte characters.
 */
export function qrStore(data: Uint8Array): Uint8Array {
  if (data.length < 1 || data.length > QR_MAX_BYTES) {
    throw new RangeError(`QR data must be 1..${QR_MAX_BYTES} bytes, got ${data.length}`);
  }
  const length = data.length + 3;
  const out = new Uint8Array(8 + data.length);
  out.set([GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, 0x50, 0x30]);
  out.set(data, 8);
  return out;
}

/** GS ( k fn 181 — print the stored QR symbol. */
export const qrPrint = (): Uint8Array => bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);

export interface QrOptions {
  model?: QrModel;
  moduleSize?: number;
  errorCorrection?: QrErrorCorrection;
}

/** The full native QR sequence: model, size, error correction, store (UTF-8), print. */
export function qrCode(payload: string, options: QrOptions = {}): Uint8Array {
  return concatBytes([
    qrModel(options.model ?? 2),
    qrModuleSize(options.moduleSize ?? 6),
    qrErrorCorrection(options.errorCorrection ?? 'M'),
    qrStore(new TextEncoder().encode(payload)),
    qrPrint(),
  ]);
}

export type CutKind = 'full' | 'partial';

/**
 * GS V m n (function B, m = 65 full / 66 partial) — feed n dots so the last line
 * clears the cutter, then cut. Function A (GS V 0/1) would cut through the text.
 */
export function cut(kind: CutKind = 'partial', feedDots = 0): Uint8Array {
  return bytes(GS, 0x56, kind === 'full' ? 65 : 66, byteArg('cut feed', feedDots));
}

export type RealtimeStatusKind = 1 | 2 | 3 | 4;

/** DLE EOT n — real-time status: 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
export const realtimeStatus = (n: RealtimeStatusKind): Uint8Array => bytes(DLE, EOT, n);

/** GS r n — transmit status (1 = paper sensor); queued behind print data, unlike DLE EOT. */
export const transmitStatus = (n: 1 | 2): Uint8Array => bytes(GS, 0x72, n);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
