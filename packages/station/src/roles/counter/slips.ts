import { renderSlip, type RenderedSlip, type SlipBlock } from '@hall/devices';

/** A counter slip on the 80 mm printer: the hall's name and the slip's title over a rule, then its lines. */
export function counterSlip(hallName: string, title: string, lines: readonly SlipBlock[]): RenderedSlip {
  return renderSlip({
    paper: '80mm',
    cut: 'partial',
    blocks: [
      { kind: 'text', text: hallName, align: 'center', bold: true },
      { kind: 'text', text: title, align: 'center', bold: true, size: 2 },
      { kind: 'rule' },
      ...lines,
    ],
  });
}
