import type { Alignment, CutKind, QrErrorCorrection } from '../escpos/commands';

/**
 * A slip is a list of blocks that both renderers (ESC/POS bytes and the SVG
 * preview) walk in the same order with the same line breaks, so what the screen
 * shows is what the paper shows.
 */
export interface TextBlock {
  kind: 'text';
  text: string;
  align?: Alignment;
  bold?: boolean;
  /** Width and height multiplier (GS !), 1..8. */
  size?: number;
}

export interface QrBlock {
  kind: 'qr';
  payload: string;
  /** Dots per module (GS ( k fn 167). */
  moduleSize?: number;
  errorCorrection?: QrErrorCorrection;
}

export interface RuleBlock {
  kind: 'rule';
}

export interface FeedBlock {
  kind: 'feed';
  lines: number;
}

export type SlipBlock = TextBlock | QrBlock | RuleBlock | FeedBlock;

export type PaperWidth = '58mm' | '80mm';

export interface Slip {
  paper: PaperWidth;
  blocks: SlipBlock[];
  cut?: CutKind;
}

export interface PaperGeometry {
  /** Printable width in dots at 203 dpi. */
  widthDots: number;
  /** Font A half-width columns (12 × 24 dot cells). */
  columns: number;
}

export const PAPER: Record<PaperWidth, PaperGeometry> = {
  '58mm': { widthDots: 384, columns: 32 },
  '80mm': { widthDots: 576, columns: 48 },
};

/** Font A cell: half-width glyphs are 12 × 24 dots, hanzi 24 × 24. */
export const CELL_WIDTH_DOTS = 12;
export const CELL_HEIGHT_DOTS = 24;
/** Line pitch the preview uses for size-1 text (printer default ≈ 1/6 inch). */
export const LINE_PITCH_DOTS = 32;

/** Columns a character occupies: 2 for East Asian wide/fullwidth, else 1. */
export function charColumns(char: string): 1 | 2 {
  const code = char.codePointAt(0) ?? 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x20000;
  return wide ? 2 : 1;
}

export function textColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += charColumns(char);
  return columns;
}

/**
 * Breaks text into lines of at most `maxColumns`, never splitting a character.
 * We break ourselves rather than letting the printer wrap so the preview's lines
 * are the printer's lines.
 */
export function wrapText(text: string, maxColumns: number): string[] {
  if (maxColumns < 2) throw new RangeError('maxColumns must be at least 2');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const before = lines.length;
    let line = '';
    let used = 0;
    for (const char of paragraph) {
      const width = charColumns(char);
      if (used + width > maxColumns) {
        // Spaces at a break are dropped, as a line of only spaces would print blank.
        const full = line.trimEnd();
        if (full) lines.push(full);
        line = char === ' ' ? '' : char;
        used = char === ' ' ? 0 : width;
        continue;
      }
      line += char;
      used += width;
    }
    // What is left after a break may be only the dropped spaces.
    if (line.trimEnd() || lines.length === before) lines.push(line.trimEnd() || line);
  }
  return lines;
}

/** The printed lines of a text block, after wrapping at its size. */
export function blockLines(block: TextBlock, paper: PaperWidth): string[] {
  const size = block.size ?? 1;
  return wrapText(block.text, Math.floor(PAPER[paper].columns / size));
}
