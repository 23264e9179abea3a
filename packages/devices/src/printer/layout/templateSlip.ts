import { fillSlipTemplate, QR_PLACEHOLDER } from '@hall/shared';
import type { PaperWidth, Slip, SlipBlock } from './slip';
import { blockLines } from './slip';
import type { RenderedSlip } from './ticket';
import { renderSlip } from './ticket';

/**
 * A console-edited template (packages/shared slips/template.ts) as a slip: the counter prints
 * it and the console previews it through this one function, so both show the same lines.
 * Printed values are cut to what a slip can hold rather than refused: a long service name
 * must never stop a receipt.
 */
export function templateSlip(body: string, values: Readonly<Record<string, string | undefined>>, paper: PaperWidth = '80mm'): Slip {
  const qr = values[QR_PLACEHOLDER];
  const blocks = fillSlipTemplate(body, values).map((line): SlipBlock => {
    switch (line.kind) {
      case 'rule':
        return { kind: 'rule' };
      case 'blank':
        return { kind: 'feed', lines: 1 };
      case 'qr':
        return { kind: 'qr', payload: (qr ?? '').slice(0, 500), moduleSize: 5 };
      case 'text':
        return { kind: 'text', text: line.text.slice(0, 400), align: line.align, bold: line.bold, size: line.size };
    }
  });
  return { paper, cut: 'partial', blocks };
}

export const renderTemplateSlip = (body: string, values: Readonly<Record<string, string | undefined>>, paper: PaperWidth = '80mm'): RenderedSlip =>
  renderSlip(templateSlip(body, values, paper));

/** The printed text lines of a slip in order (after wrapping), as a printer's decoder reads them back. */
export function slipTextLines(slip: Slip): string[] {
  return slip.blocks.flatMap((block) => (block.kind === 'text' ? blockLines(block, slip.paper) : []));
}
