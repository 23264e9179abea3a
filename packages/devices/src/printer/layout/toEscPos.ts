import {
  align,
  characterSize,
  chineseModeOn,
  concatBytes,
  cut,
  emphasis,
  encodeText,
  feedLines,
  initialize,
  lineFeed,
  qrCode,
} from '../escpos/commands';
import type { Slip } from './slip';
import { PAPER, blockLines } from './slip';

/** Dots fed before the cut so the last printed line clears the cutter blade. */
const CUT_FEED_DOTS = 96;

/** The ESC/POS byte stream for a slip: ESC @, FS &, then each block in order. */
export function slipToEscPos(slip: Slip): Uint8Array {
  const parts: Uint8Array[] = [initialize(), chineseModeOn()];
  for (const block of slip.blocks) {
    switch (block.kind) {
      case 'text': {
        const size = block.size ?? 1;
        parts.push(align(block.align ?? 'left'), emphasis(block.bold ?? false), characterSize(size, size));
        for (const line of blockLines(block, slip.paper)) parts.push(encodeText(line), lineFeed());
        if (size !== 1) parts.push(characterSize(1, 1));
        if (block.bold) parts.push(emphasis(false));
        break;
      }
      case 'qr': {
        const qrOptions = {
          moduleSize: block.moduleSize ?? 6,
          errorCorrection: block.errorCorrection ?? 'M',
        } as const;
        parts.push(align('center'), qrCode(block.payload, qrOptions), lineFeed());
        break;
      }
      case 'rule':
        parts.push(align('left'), encodeText('-'.repeat(PAPER[slip.paper].columns)), lineFeed());
        break;
      case 'feed':
        parts.push(feedLines(block.lines));
        break;
    }
  }
  parts.push(cut(slip.cut ?? 'partial', CUT_FEED_DOTS));
  return concatBytes(parts);
}
