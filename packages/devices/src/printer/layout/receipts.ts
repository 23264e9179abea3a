import { z } from 'zod';
import type { SlipBlock, Slip } from './slip';
import type { RenderedSlip } from './ticket';
import { formatIssueTime, renderSlip } from './ticket';

const FieldSchema = z.object({ label: z.string().min(1).max(20), value: z.string().max(200) });

const QrSchema = z.object({ payload: z.string().min(1).max(500), caption: z.string().max(40).optional() });

/** Masked the way screens and slips show names: 张*三, 李*. */
const MaskedNameSchema = z
  .string()
  .min(2)
  .max(32)
  .refine((name) => name.includes('*'), 'applicant name must be masked (张*三) before printing');

export const AcceptanceReceiptSchema = z.object({
  hallName: z.string().min(1).max(40),
  caseNumber: z.string().min(1).max(40),
  serviceName: z.string().min(1).max(80),
  applicantMasked: MaskedNameSchema,
  acceptedAt: z.iso.datetime({ offset: true }),
  counterNumber: z.string().min(1).max(10),
  /** "15个工作日" — the time limit as the guide words it. */
  timeLimit: z.string().min(1).max(40),
  extraFields: z.array(FieldSchema).default([]),
  qr: QrSchema.optional(),
  timeZone: z.string().default('Asia/Shanghai'),
  paper: z.enum(['58mm', '80mm']).default('80mm'),
});
export type AcceptanceReceipt = z.input<typeof AcceptanceReceiptSchema>;

export const OneTimeNoticeSchema = z.object({
  hallName: z.string().min(1).max(40),
  serviceName: z.string().min(1).max(80),
  /** Everything the citizen still has to bring, in order. */
  materials: z.array(z.string().min(1).max(200)).min(1),
  notes: z.array(z.string().min(1).max(200)).default([]),
  issuedAt: z.iso.datetime({ offset: true }),
  counterNumber: z.string().min(1).max(10).optional(),
  qr: QrSchema.optional(),
  timeZone: z.string().default('Asia/Shanghai'),
  paper: z.enum(['58mm', '80mm']).default('80mm'),
});
export type OneTimeNotice = z.input<typeof OneTimeNoticeSchema>;

function qrBlocks(qr: z.infer<typeof QrSchema> | undefined): SlipBlock[] {
  if (!qr) return [];
  const blocks: SlipBlock[] = [{ kind: 'qr', payload: qr.payload, moduleSize: 5 }];
  if (qr.caption) blocks.push({ kind: 'text', text: qr.caption, align: 'center' });
  return blocks;
}

const field = (label: string, value: string): SlipBlock => ({ kind: 'text', text: `${label}：${value}` });

function header(hallName: string, title: string): SlipBlock[] {
  return [
    { kind: 'text', text: hallName, align: 'center', bold: true },
    { kind: 'text', text: title, align: 'center', bold: true, size: 2 },
    { kind: 'rule' },
  ];
}

export function acceptanceReceiptSlip(input: AcceptanceReceipt): Slip {
  const r = AcceptanceReceiptSchema.parse(input);
  return {
    paper: r.paper,
    cut: 'partial',
    blocks: [
      ...header(r.hallName, '受理回执'),
      field('办件编号', r.caseNumber),
      field('办理事项', r.serviceName),
      field('申请人', r.applicantMasked),
      field('受理窗口', `${r.counterNumber}号窗口`),
      field('受理时间', formatIssueTime(r.acceptedAt, r.timeZone)),
      field('承诺时限', r.timeLimit),
      ...r.extraFields.map((f) => field(f.label, f.value)),
      { kind: 'rule' },
      ...qrBlocks(r.qr),
      { kind: 'text', text: '请妥善保管本回执，凭回执查询或领取办理结果', align: 'center' },
    ],
  };
}

export function oneTimeNoticeSlip(input: OneTimeNotice): Slip {
  const n = OneTimeNoticeSchema.parse(input);
  const blocks: SlipBlock[] = [
    ...header(n.hallName, '一次性告知单'),
    field('办理事项', n.serviceName),
    { kind: 'text', text: '需提交的材料：', bold: true },
    ...n.materials.map((m, i): SlipBlock => ({ kind: 'text', text: `${i + 1}. ${m}` })),
  ];
  if (n.notes.length > 0) {
    blocks.push({ kind: 'text', text: '注意事项：', bold: true });
    blocks.push(...n.notes.map((note): SlipBlock => ({ kind: 'text', text: `· ${note}` })));
  }
  blocks.push(
    { kind: 'rule' },
    ...(n.counterNumber ? [field('告知窗口', `${n.counterNumber}号窗口`)] : []),
    field('告知时间', formatIssueTime(n.issuedAt, n.timeZone)),
    ...qrBlocks(n.qr),
  );
  return { paper: n.paper, cut: 'partial', blocks };
}

export const renderAcceptanceReceipt = (receipt: AcceptanceReceipt): RenderedSlip =>
  renderSlip(acceptanceReceiptSlip(receipt));

export const renderOneTimeNotice = (notice: OneTimeNotice): RenderedSlip => renderSlip(oneTimeNoticeSlip(notice));
