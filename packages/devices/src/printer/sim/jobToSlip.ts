import type { PaperWidth, Slip, SlipBlock } from '../layout/slip';
import type { PrintedJob } from './printerModel';

/**
 * What the simulated printer received, back as a slip, so the SVG renderer can draw the
 * paper as it came out (a demo panel shows it). The decoder's character width stands for
 * the block's size: the printer scales both axes together for the sizes the slips use.
 */
export function printedJobToSlip(job: Pick<PrintedJob, 'items'>, paper: PaperWidth = '80mm'): Slip {
  const blocks: SlipBlock[] = job.items.map((item): SlipBlock => {
    switch (item.type) {
      case 'text':
        return { kind: 'text', text: item.text, align: item.align, bold: item.bold, size: Math.max(1, Math.min(8, item.width)) };
      case 'qr':
        return { kind: 'qr', payload: item.payload, moduleSize: item.moduleSize, errorCorrection: item.errorCorrection };
      case 'feed':
        return { kind: 'feed', lines: item.lines };
    }
  });
  return { paper, blocks };
}
