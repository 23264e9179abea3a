import { inspect } from 'node:util';

/**
 * The card's WLT-compressed photo: personal data, kept opaque. It serialises and
 * prints as a size only, so it cannot leak into logs or JSON output by accident;
 * `bytes()` hands out a copy for the one place that decodes it.
 */
export class WltPhoto {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }

  get length(): number {
    return this.#bytes.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  toJSON(): { wlt: string; length: number } {
    return { wlt: 'redacted', length: this.#bytes.length };
  }

  toString(): string {
    return `[WltPhoto ${this.#bytes.length} bytes, redacted]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
