/** UTF-8 by hand: shared compiles without DOM or Node types, so no TextEncoder. */
export function utf8Encode(value: string): Uint8Array {
  const out: number[] = [];
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decoding (no overlongs, surrogates or truncated sequences); undefined when invalid. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let need: number;
    let cp: number;
    let min: number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if ((b & 0xe0) === 0xc0) [need, cp, min] = [1, b & 0x1f, 0x80];
    else if ((b & 0xf0) === 0xe0) [need, cp, min] = [2, b & 0x0f, 0x800];
    else if ((b & 0xf8) === 0xf0) [need, cp, min] = [3, b & 0x07, 0x10000];
    else return undefined;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Appends fixed-width fields for the compact code layouts. */
export class ByteWriter {
  readonly #parts: number[] = [];

  u8(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`u8 out of range: ${value}`);
    this.#parts.push(value);
    return this;
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`u32 out of range: ${value}`);
    this.#parts.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) throw new RangeError(`expected ${length} bytes, got ${bytes.length}`);
    for (const b of bytes) this.#parts.push(b);
    return this;
  }

  /** UTF-8 text with a one-byte length: every text field of a code is short. */
  text(value: string): this {
    const bytes = utf8Encode(value);
    if (bytes.length > 0xff) throw new RangeError(`text field longer than 255 bytes`);
    this.u8(bytes.length);
    for (const b of bytes) this.#parts.push(b);
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }
}

/** Reads the same fields; every read returns undefined past the end instead of throwing. */
export class ByteReader {
  #offset = 0;
  constructor(private readonly data: Uint8Array) {}

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.data.length - this.#offset;
  }

  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.data[this.#offset++];
  }

  u32(): number | undefined {
    const b = this.fixed(4);
    if (!b) return undefined;
    return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  }

  fixed(length: number): Uint8Array | undefined {
    if (this.remaining < length) return undefined;
    const out = this.data.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  text(): string | undefined {
    const length = this.u8();
    if (length === undefined) return undefined;
    const bytes = this.fixed(length);
    if (!bytes) return undefined;
    return utf8Decode(bytes);
  }
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
