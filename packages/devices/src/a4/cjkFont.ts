import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';

/** Has a glyph for every character of its slice; used where a slice will not load. */
const FALLBACK_SLICE = 'chinese-simplified';

/**
 * Noto Sans SC as the kiosk's screens already bundle it (@fontsource/noto-sans-sc), one
 * slice per Unicode range. The slices have TrueType outlines, which pdf-lib's fontkit
 * subsets correctly; Debian's Noto CJK (.ttc, CFF outlines) comes out of the subsetter as
 * a broken font that viewers cannot draw. Only the slices a document uses are read.
 */
export class CjkFontSlices {
  readonly #directory: string;
  readonly #ranges: Array<{ slice: string; from: number; to: number }> = [];
  readonly #bytes = new Map<string, Uint8Array>();
  readonly #usable = new Map<string, (codePoint: number) => boolean>();

  constructor(private readonly weight: 400 | 700 = 400) {
    const require = createRequire(import.meta.url);
    this.#directory = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
    const unicode = JSON.parse(readFileSync(join(this.#directory, 'unicode.json'), 'utf8')) as Record<string, string>;
    for (const [key, ranges] of Object.entries(unicode)) {
      const slice = key.replace(/^\[(\d+)\]$/, '$1');
      for (const range of ranges.split(',')) {
        const [from, to] = range.trim().replace(/^U\+/i, '').split('-');
        const start = Number.parseInt(from ?? '', 16);
        this.#ranges.push({ slice, from: start, to: to ? Number.parseInt(to, 16) : start });
      }
    }
  }

  /**
   * Whether fontkit can draw this code point from the slice: a few slices (101) carry a
   * cmap that fontkit cannot read, and their characters come from the fallback instead.
   */
  #draws(slice: string, codePoint: number): boolean {
    let draws = this.#usable.get(slice);
    if (!draws) {
      try {
        const font = fontkit.create(Buffer.from(this.bytesOf(slice)));
        font.layout('a');
        draws = (code) => font.hasGlyphForCodePoint(code);
      } catch {
        draws = () => false;
      }
      this.#usable.set(slice, draws);
    }
    return draws(codePoint);
  }

  /** The slice that draws this code point; undefined when none does (the caller substitutes). */
  sliceOf(codePoint: number): string | undefined {
    const slice = this.#ranges.find((r) => codePoint >= r.from && codePoint <= r.to)?.slice;
    if (slice === undefined) return undefined;
    if (this.#draws(slice, codePoint)) return slice;
    return this.#draws(FALLBACK_SLICE, codePoint) ? FALLBACK_SLICE : undefined;
  }

  bytesOf(slice: string): Uint8Array {
    let bytes = this.#bytes.get(slice);
    if (!bytes) {
      bytes = readFileSync(join(this.#directory, 'files', `noto-sans-sc-${slice}-${this.weight}-normal.woff`));
      this.#bytes.set(slice, bytes);
    }
    return bytes;
  }

  /** `text` cut into runs that one slice draws each (spaces join the run they follow). */
  runs(text: string): Array<{ slice: string; text: string }> {
    const runs: Array<{ slice: string; text: string }> = [];
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0x3f;
      const last = runs.at(-1);
      if (last && (code === 0x20 || this.sliceOf(code) === last.slice)) {
        last.text += char;
        continue;
      }
      const slice = this.sliceOf(code) ?? this.sliceOf(0x3f) ?? 'latin';
      runs.push({ slice, text: this.sliceOf(code) ? char : '?' });
    }
    return runs;
  }
}
