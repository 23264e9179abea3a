import iconv from 'iconv-lite';
import type { Alignment, CutKind, QrErrorCorrection } from '../escpos/commands';

/**
 * The printer's side of ESC/POS: turns a byte stream into what a printer would do
 * with it. Covers what our slips send plus the common commands of other software
 * with their correct lengths; anything else is reported as unknown and skipped.
 * Incremental (commands may be split across chunks) and total (never throws).
 */

export interface TextStyle {
  align: Alignment;
  bold: boolean;
  width: number;
  height: number;
}

export type DecodedEvent =
  | ({ kind: 'text'; text: string } & TextStyle)
  | { kind: 'qr'; payload: string; byteLength: number; model: number; moduleSize: number; errorCorrection: QrErrorCorrection }
  | { kind: 'cut'; cut: CutKind }
  | { kind: 'feed'; lines: number }
  | { kind: 'init' }
  | { kind: 'status-query'; n: number }
  | { kind: 'transmit-status'; n: number }
  | { kind: 'unknown'; offset: number; bytes: number[]; reason: string };

/** Longest NUL-terminated or length-prefixed argument we wait for before calling it junk. */
const MAX_VARIABLE_LENGTH = 1 << 20;
const EC_LEVELS: Record<number, QrErrorCorrection> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

type Step =
  | { need: number } // incomplete: wait for more bytes
  | { consumed: number; events?: DecodedEvent[] };

const defaultStyle = (): TextStyle => ({ align: 'left', bold: false, width: 1, height: 1 });

export class EscPosDecoder {
  #pending: Uint8Array = new Uint8Array(0);
  /** Stream offset of #pending[0], for unknown-byte reports. */
  #offset = 0;
  #chinese = false;
  #style: TextStyle = defaultStyle();
  #segments: { chinese: boolean; bytes: number[] }[] = [];
  #qr = { model: 2, moduleSize: 3, errorCorrection: 'L' as QrErrorCorrection, data: new Uint8Array(0) };

  push(chunk: Uint8Array): DecodedEvent[] {
    const buffer = new Uint8Array(this.#pending.length + chunk.length);
    buffer.set(this.#pending);
    buffer.set(chunk, this.#pending.length);
    const events: DecodedEvent[] = [];
    let pos = 0;
    while (pos < buffer.length) {
      const step = this.#step(buffer, pos);
      if ('need' in step) break;
      if (step.events) events.push(...step.events);
      pos += step.consumed;
    }
    this.#pending = buffer.slice(pos);
    this.#offset += pos;
    return events;
  }

  /** Bytes held back waiting for the rest of a command. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  #unknown(buffer: Uint8Array, pos: number, length: number, reason: string): Step {
    return {
      consumed: length,
      events: [{ kind: 'unknown', offset: this.#offset + pos, bytes: [...buffer.subarray(pos, pos + length)], reason }],
    };
  }

  #text(byte: number): void {
    const last = this.#segments.at(-1);
    if (last && last.chinese === this.#chinese) last.bytes.push(byte);
    else this.#segments.push({ chinese: this.#chinese, bytes: [byte] });
  }

  #flushLine(): DecodedEvent {
    const text = this.#segments
      .map((s) => iconv.decode(Buffer.from(s.bytes), s.chinese ? 'gb18030' : 'cp437'))
      .join('');
    this.#segments = [];
    return { kind: 'text', text, ...this.#style };
  }

  #step(b: Uint8Array, pos: number): Step {
    const byte = b[pos] ?? 0;
    const avail = b.length - pos;
    const at = (i: number): number => b[pos + i] ?? 0;
    if (byte >= 0x20 || byte === 0x09) {
      this.#text(byte);
      return { consumed: 1 };
    }
    switch (byte) {
      case 0x0a:
      case 0x0c:
        // LF on an empty line buffer feeds a blank line.
        return { consumed: 1, events: [this.#flushIfPending() ?? { kind: 'feed', lines: 1 }] };
      case 0x0d:
        return { consumed: 1 };
      case 0x10: // DLE
        if (avail < 2) return { need: 2 };
        if (at(1) === 0x04) {
          if (avail < 3) return { need: 3 };
          return { consumed: 3, events: [{ kind: 'status-query', n: at(2) }] };
        }
        if (at(1) === 0x05) return avail < 3 ? { need: 3 } : { consumed: 3 };
        if (at(1) === 0x14) return avail < 5 ? { need: 5 } : { consumed: 5 };
        return this.#unknown(b, pos, 2, 'unknown DLE command');
      case 0x1b:
        return this.#esc(b, pos, avail, at);
      case 0x1c:
        return this.#fs(b, pos, avail, at);
      case 0x1d:
        return this.#gs(b, pos, avail, at);
      default:
        return this.#unknown(b, pos, 1, 'unexpected control byte');
    }
  }

  #esc(b: Uint8Array, pos: number, avail: number, at: (i: number) => number): Step {
    if (avail < 2) return { need: 2 };
    const cmd = at(1);
    const withArg = (apply: (n: number) => DecodedEvent[] | void): Step => {
      if (avail < 3) return { need: 3 };
      const events = apply(at(2));
      return events ? { consumed: 3, events } : { consumed: 3 };
    };
    switch (cmd) {
      case 0x40: // ESC @
        this.#chinese = false;
        this.#style = defaultStyle();
        this.#segments = [];
        return { consumed: 2, events: [{ kind: 'init' }] };
      case 0x61: // ESC a
        return withArg((n) => {
          this.#style.align = n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left';
        });
      case 0x45: // ESC E
        return withArg((n) => {
          this.#style.bold = (n & 1) === 1;
        });
      case 0x21: // ESC ! print mode: bit 3 bold, 4 double height, 5 double width
        return withArg((n) => {
          this.#style.bold = (n & 0x08) !== 0;
          this.#style.height = n & 0x10 ? 2 : 1;
          this.#style.width = n & 0x20 ? 2 : 1;
        });
      case 0x64: // ESC d
        return withArg((n) => {
          const feed: DecodedEvent = { kind: 'feed', lines: n };
          return [this.#flushIfPending(), feed].filter(isEvent);
        });
      case 0x69: // ESC i / ESC m: legacy cuts
        return { consumed: 2, events: [{ kind: 'cut', cut: 'full' }] };
      case 0x6d:
        return { consumed: 2, events: [{ kind: 'cut', cut: 'partial' }] };
      case 0x32: // ESC 2
      case 0x3c:
        return { consumed: 2 };
      case 0x74: // ESC t
      case 0x33: // ESC 3
      case 0x2d: // ESC -
      case 0x4a: // ESC J
      case 0x4d: // ESC M
      case 0x47: // ESC G
      case 0x7b: // ESC {
      case 0x56: // ESC V
      case 0x52: // ESC R
      case 0x3d: // ESC =
      case 0x20: // ESC SP
      case 0x55: // ESC U
      case 0x72: // ESC r
      case 0x63: // ESC c 3/4/5 n is ESC c x n: four bytes
        if (cmd === 0x63) return avail < 4 ? { need: 4 } : { consumed: 4 };
        return withArg(() => undefined);
      case 0x24: // ESC $ nL nH
      case 0x5c: // ESC \ nL nH
        return avail < 4 ? { need: 4 } : { consumed: 4 };
      case 0x70: // ESC p m t1 t2
        return avail < 5 ? { need: 5 } : { consumed: 5 };
      case 0x2a: {
        // ESC * m nL nH d1..dk
        if (avail < 5) return { need: 5 };
        const columns = at(3) + at(4) * 256;
        const total = 5 + columns * (at(2) === 32 || at(2) === 33 ? 3 : 1);
        return avail < total ? { need: total } : { consumed: total };
      }
      case 0x44: {
        // ESC D n1..nk NUL (tab stops, at most 32)
        for (let i = 2; i < Math.min(avail, 35); i++) if (at(i) === 0) return { consumed: i + 1 };
        return avail < 35 ? { need: avail + 1 } : this.#unknown(b, pos, 2, 'ESC D without NUL');
      }
      default:
        return this.#unknown(b, pos, 2, 'unknown ESC command');
    }
  }

  #fs(b: Uint8Array, pos: number, avail: number, at: (i: number) => number): Step {
    if (avail < 2) return { need: 2 };
    switch (at(1)) {
      case 0x26:
        this.#chinese = true;
        return { consumed: 2 };
      case 0x2e:
        this.#chinese = false;
        return { consumed: 2 };
      case 0x43: // FS C, FS !, FS -, FS W
      case 0x21:
      case 0x2d:
      case 0x57:
        return avail < 3 ? { need: 3 } : { consumed: 3 };
      case 0x53: // FS S n1 n2
      case 0x70: // FS p n m
        return avail < 4 ? { need: 4 } : { consumed: 4 };
      default:
        return this.#unknown(b, pos, 2, 'unknown FS command');
    }
  }

  #gs(b: Uint8Array, pos: number, avail: number, at: (i: number) => number): Step {
    if (avail < 2) return { need: 2 };
    const cmd = at(1);
    switch (cmd) {
      case 0x21: // GS !
        if (avail < 3) return { need: 3 };
        this.#style.width = ((at(2) >> 4) & 7) + 1;
        this.#style.height = (at(2) & 7) + 1;
        return { consumed: 3 };
      case 0x56: {
        // GS V m [n]
        if (avail < 3) return { need: 3 };
        const m = at(2);
        const hasFeed = m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104;
        if (hasFeed && avail < 4) return { need: 4 };
        const partial = m === 1 || m === 49 || m === 66 || m === 98 || m === 104;
        const cutEvent: DecodedEvent = { kind: 'cut', cut: partial ? 'partial' : 'full' };
        return { consumed: hasFeed ? 4 : 3, events: [this.#flushIfPending(), cutEvent].filter(isEvent) };
      }
      case 0x72: // GS r
        return avail < 3 ? { need: 3 } : { consumed: 3, events: [{ kind: 'transmit-status', n: at(2) }] };
      case 0x42: // GS B, GS H, GS h, GS w, GS f, GS a, GS I, GS b
      case 0x48:
      case 0x68:
      case 0x77:
      case 0x66:
      case 0x61:
      case 0x49:
      case 0x62:
        return avail < 3 ? { need: 3 } : { consumed: 3 };
      case 0x4c: // GS L / GS W nL nH
      case 0x57:
        return avail < 4 ? { need: 4 } : { consumed: 4 };
      case 0x28: {
        // GS ( x pL pH ...
        if (avail < 5) return { need: 5 };
        const total = 5 + at(3) + at(4) * 256;
        if (avail < total) return { need: total };
        if (at(2) === 0x6b) return { consumed: total, events: this.#qrFunction(b.subarray(pos + 5, pos + total), pos) };
        return { consumed: total };
      }
      case 0x6b: {
        // GS k m ... barcode
        if (avail < 3) return { need: 3 };
        const m = at(2);
        if (m <= 6) {
          for (let i = 3; i < Math.min(avail, 259); i++) if (at(i) === 0) return { consumed: i + 1 };
          return avail < 259 ? { need: avail + 1 } : this.#unknown(b, pos, 3, 'GS k without NUL');
        }
        if (avail < 4) return { need: 4 };
        const total = 4 + at(3);
        return avail < total ? { need: total } : { consumed: total };
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d1..dk (raster image)
        if (avail < 8) return { need: 8 };
        const total = 8 + (at(4) + at(5) * 256) * (at(6) + at(7) * 256);
        if (total > MAX_VARIABLE_LENGTH) return this.#unknown(b, pos, 2, 'raster image too large');
        return avail < total ? { need: total } : { consumed: total };
      }
      default:
        return this.#unknown(b, pos, 2, 'unknown GS command');
    }
  }

  #flushIfPending(): DecodedEvent | undefined {
    return this.#segments.length > 0 ? this.#flushLine() : undefined;
  }

  /** GS ( k with cn = 49 (QR). `args` starts at cn. */
  #qrFunction(args: Uint8Array, pos: number): DecodedEvent[] {
    const [cn, fn, first] = args;
    if (cn !== 0x31 || fn === undefined) {
      return cn === 0x31 ? [{ kind: 'unknown', offset: this.#offset + pos, bytes: [...args], reason: 'short GS ( k' }] : [];
    }
    switch (fn) {
      case 0x41:
        if (first !== undefined) this.#qr.model = first - 48;
        return [];
      case 0x43:
        if (first !== undefined) this.#qr.moduleSize = first;
        return [];
      case 0x45:
        this.#qr.errorCorrection = EC_LEVELS[first ?? 0] ?? this.#qr.errorCorrection;
        return [];
      case 0x50:
        this.#qr.data = args.slice(3);
        return [];
      case 0x51: {
        const data = this.#qr.data;
        if (data.length === 0) return [];
        let payload: string;
        try {
          payload = new TextDecoder('utf-8', { fatal: true }).decode(data);
        } catch {
          payload = iconv.decode(Buffer.from(data), 'gb18030');
        }
        const { model, moduleSize, errorCorrection } = this.#qr;
        const flushed = this.#flushIfPending();
        const qr: DecodedEvent = { kind: 'qr', payload, byteLength: data.length, model, moduleSize, errorCorrection };
        return flushed ? [flushed, qr] : [qr];
      }
      default:
        return [];
    }
  }
}

function isEvent(event: DecodedEvent | undefined): event is DecodedEvent {
  return event !== undefined;
}
