import { z } from 'zod';
import type { PaperWidth, Slip, SlipBlock } from './slip';
import { slipToEscPos } from './toEscPos';
import { slipToSvg } from './toSvg';

export const TicketSlipSchema = z.object({
  hallName: z.string().min(1).max(40),
  number: z.string().regex(/^[A-Z]\d{2,4}$/, 'ticket number like A023'),
  services: z.array(z.string().min(1).max(40)).min(1).max(8),
  /**
   * 一号联办: each matter with its sub number (主从号) and, for a family, the member's masked
   * name. Printed instead of the service line when the ticket has more than one matter.
   */
  matters: z
    .array(z.object({ number: z.string().regex(/^[A-Z]\d{2,4}(-\d)?$/), service: z.string().min(1).max(40), citizen: z.string().min(1).max(32).optional() }))
    .max(8)
    .optional(),
  /** A ticket kind the citizen must tell apart, e.g. 咨询 for a consultation ticket: "您的咨询号". */
  kindLabel: z.string().min(1).max(4).optional(),
  kindLabelEnglish: z.string().min(1).max(20).optional(),
  /** `counter.number` of every window that calls the ticket's queue: "请到 1、2 号窗口办理". */
  counterNumbers: z.array(z.string().min(1).max(8)).max(30).default([]),
  ahead: z.number().int().min(0),
  estimatedWaitMinutes: z.number().int().min(0).optional(),
  /** ISO-8601 instant the ticket was issued. */
  issuedAt: z.iso.datetime({ offset: true }),
  /** Where the citizen follows the queue; printed as the QR code. */
  followUrl: z.url().max(500),
  notice: z.string().min(1).max(80).default('过号请重新取号'),
  noticeEnglish: z.string().min(1).max(80).default('If your number has passed, please take a new one'),
  /** Adds an English line under each Chinese one. */
  english: z.boolean().default(false),
  /** Hall time zone for the printed issue time. */
  timeZone: z.string().default('Asia/Shanghai'),
  paper: z.enum(['58mm', '80mm']).default('80mm'),
});
export type TicketSlip = z.input<typeof TicketSlipSchema>;

export interface RenderedSlip {
  escpos: Uint8Array;
  /** SVG of the same layout, for on-screen fallback and tests. */
  preview: string;
}

export function renderSlip(slip: Slip): RenderedSlip {
  return { escpos: slipToEscPos(slip), preview: slipToSvg(slip) };
}

/** "2026-11-22 19:45" in the hall's time zone. */
export function formatIssueTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** Where the citizen will be served, so a citizen who lost track of the calls still knows where to go. */
function windows(numbers: readonly string[], en: (text: string) => SlipBlock[]): SlipBlock[] {
  if (numbers.length === 0) return [];
  return [
    { kind: 'text', text: `请到 ${numbers.join('、')} 号窗口办理`, align: 'center', bold: true },
    ...en(`Served at counter${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`),
  ];
}

/** One service line; for several matters a heading and one line per matter with its sub number. */
function matterLines(t: z.output<typeof TicketSlipSchema>, en: (text: string) => SlipBlock[]): SlipBlock[] {
  if (t.matters === undefined || t.matters.length < 2) return [{ kind: 'text', text: t.services.join('、'), align: 'center', bold: true }];
  return [
    { kind: 'text', text: `一号联办 · 共 ${t.matters.length} 件事`, align: 'center', bold: true },
    ...en(`One ticket, ${t.matters.length} matters`),
    ...t.matters.map((m): SlipBlock => ({ kind: 'text', text: [m.number, m.service, m.citizen].filter(Boolean).join('  '), align: 'left' })),
  ];
}

export function ticketSlip(input: TicketSlip): Slip {
  const t = TicketSlipSchema.parse(input);
  const en = (text: string): SlipBlock[] => (t.english ? [{ kind: 'text', text, align: 'center' }] : []);
  const blocks: SlipBlock[] = [
    { kind: 'text', text: t.hallName, align: 'center', bold: true, size: 2 },
    { kind: 'rule' },
    { kind: 'text', text: `您的${t.kindLabel ?? '排队'}号`, align: 'center', bold: t.kindLabel !== undefined, size: t.kindLabel === undefined ? 1 : 2 },
    ...en(t.kindLabelEnglish === undefined ? 'Your ticket number' : `Your ${t.kindLabelEnglish} ticket`),
    { kind: 'text', text: t.number, align: 'center', bold: true, size: 4 },
    ...matterLines(t, en),
    ...windows(t.counterNumbers, en),
    { kind: 'feed', lines: 1 },
    { kind: 'text', text: `您前面还有 ${t.ahead} 人等候`, align: 'center' },
    ...en(`${t.ahead} ${t.ahead === 1 ? 'person' : 'people'} ahead of you`),
  ];
  if (t.estimatedWaitMinutes !== undefined) {
    blocks.push({ kind: 'text', text: `预计等待约 ${t.estimatedWaitMinutes} 分钟`, align: 'center' });
    blocks.push(...en(`Estimated wait: about ${t.estimatedWaitMinutes} min`));
  }
  blocks.push(
    { kind: 'text', text: `取号时间：${formatIssueTime(t.issuedAt, t.timeZone)}`, align: 'center' },
    { kind: 'qr', payload: t.followUrl, moduleSize: t.paper === '58mm' ? 4 : 6 },
    { kind: 'text', text: '微信扫码查看排队进度', align: 'center' },
    ...en('Scan to follow the queue'),
    { kind: 'rule' },
    { kind: 'text', text: t.notice, align: 'center', bold: true },
    ...en(t.noticeEnglish),
  );
  return { paper: t.paper as PaperWidth, blocks, cut: 'partial' };
}

/** The queue ticket: ESC/POS bytes for the printer and an SVG of the same slip. */
export function renderTicket(ticket: TicketSlip): RenderedSlip {
  return renderSlip(ticketSlip(ticket));
}
