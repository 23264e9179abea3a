import QRCode from 'qrcode';
import type { Slip, TextBlock } from './slip';
import { CELL_HEIGHT_DOTS, LINE_PITCH_DOTS, PAPER, blockLines } from './slip';

/** White margin around the paper in the preview, in dots. */
const MARGIN = 16;
const FONT_FAMILY = "'Noto Sans Mono CJK SC','Noto Sans CJK SC',monospace";

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface QrMatrix {
  size: number;
  /** Row-major, 1 = dark module. */
  modules: Uint8Array;
}

/** The QR symbol the printer draws for this payload (byte mode, UTF-8). */
export function qrMatrix(payload: string, errorCorrection: 'L' | 'M' | 'Q' | 'H' = 'M'): QrMatrix {
  const symbol = QRCode.create(payload, { errorCorrectionLevel: errorCorrection });
  return { size: symbol.modules.size, modules: Uint8Array.from(symbol.modules.data) };
}

function textX(block: TextBlock, width: number): { x: number; anchor: string } {
  switch (block.align ?? 'left') {
    case 'center':
      return { x: MARGIN + width / 2, anchor: 'middle' };
    case 'right':
      return { x: MARGIN + width, anchor: 'end' };
    default:
      return { x: MARGIN, anchor: 'start' };
  }
}

/**
 * An SVG picture of the slip at printer resolution (1 unit = 1 dot): the same
 * lines as the ESC/POS stream, and the QR drawn module by module from the
 * `qrcode` package's matrix.
 */
export function slipToSvg(slip: Slip): string {
  const { widthDots, columns } = PAPER[slip.paper];
  const body: string[] = [];
  let y = MARGIN;
  for (const block of slip.blocks) {
    switch (block.kind) {
      case 'text': {
        const size = block.size ?? 1;
        const { x, anchor } = textX(block, widthDots);
        for (const line of blockLines(block, slip.paper)) {
          const baseline = y + CELL_HEIGHT_DOTS * size * 0.86;
          body.push(
            `<text x="${x}" y="${baseline.toFixed(1)}" font-size="${CELL_HEIGHT_DOTS * size}" text-anchor="${anchor}"` +
              `${block.bold ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`,
          );
          y += LINE_PITCH_DOTS + CELL_HEIGHT_DOTS * (size - 1);
        }
        break;
      }
      case 'qr': {
        const moduleSize = block.moduleSize ?? 6;
        const matrix = qrMatrix(block.payload, block.errorCorrection ?? 'M');
        const side = matrix.size * moduleSize;
        const left = MARGIN + Math.floor((widthDots - side) / 2);
        const path: string[] = [];
        for (let row = 0; row < matrix.size; row++) {
          for (let col = 0; col < matrix.size; col++) {
            if (matrix.modules[row * matrix.size + col]) {
              path.push(`M${left + col * moduleSize} ${y + row * moduleSize}h${moduleSize}v${moduleSize}h-${moduleSize}z`);
            }
          }
        }
        body.push(`<path class="qr" data-modules="${matrix.size}" d="${path.join('')}"/>`);
        y += side + LINE_PITCH_DOTS;
        break;
      }
      case 'rule':
        body.push(`<text x="${MARGIN}" y="${(y + CELL_HEIGHT_DOTS * 0.86).toFixed(1)}" font-size="${CELL_HEIGHT_DOTS}">${'-'.repeat(columns)}</text>`);
        y += LINE_PITCH_DOTS;
        break;
      case 'feed':
        y += LINE_PITCH_DOTS * block.lines;
        break;
    }
  }
  const width = widthDots + 2 * MARGIN;
  const height = Math.ceil(y + MARGIN);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g fill="#000" font-family="${escapeXml(FONT_FAMILY)}">${body.join('')}</g></svg>`
  );
}
