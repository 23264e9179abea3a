import { z } from 'zod';
import { IdSchema } from '../domain/common';

/**
 * Printed documents' wording, tailored per service (回执个性化定制): the acceptance receipt
 * the citizen keeps (受理回执), the one-time notice of what is missing (一次性告知单) and the
 * confirmation slip the department keeps (受理确认单). A template is plain lines a hall
 * manager can read; `{{占位符}}` names a fact of the case. The same lines become the printed
 * slip on the counter and the console's preview, so the preview is the slip.
 *
 * Line marks (at the start of a line): `# ` big centred title, `## ` centred bold, `! ` bold,
 * `^ ` centred, `---` a rule, an empty line a blank line, and `{{二维码}}` alone on its line
 * the case's QR code. A line whose placeholders are all empty is left out (no 容缺待补 line
 * when nothing is pending).
 */
export const SLIP_KINDS = ['acceptance_receipt', 'one_time_notice', 'confirmation_slip'] as const;
export const SlipKindSchema = z.enum(SLIP_KINDS);
export type SlipKind = z.infer<typeof SlipKindSchema>;

export const QR_PLACEHOLDER = '二维码';

const CASE_FACTS = ['大厅名称', '办件编号', '办理事项', '申请人', '受理窗口', '受理时间', '承诺时限', '经办人', '容缺材料'] as const;

/** The placeholders each kind of slip knows; anything else is refused on save. */
export const SLIP_PLACEHOLDERS: Record<SlipKind, readonly string[]> = {
  acceptance_receipt: [...CASE_FACTS, QR_PLACEHOLDER],
  confirmation_slip: [...CASE_FACTS, '收取材料', '承办部门', QR_PLACEHOLDER],
  one_time_notice: ['大厅名称', '办理事项', '材料清单', '注意事项', '告知窗口', '告知时间'],
};

export const MAX_TEMPLATE_LINES = 60;

export const SlipTemplateSchema = z.object({
  kind: SlipKindSchema,
  /** null: the hall's default for every service without its own. */
  serviceId: IdSchema.nullable(),
  body: z.string().max(4000),
});
export type SlipTemplate = z.infer<typeof SlipTemplateSchema>;

export const SLIP_KIND_NAMES: Record<SlipKind, string> = {
  acceptance_receipt: '受理回执',
  one_time_notice: '一次性告知单',
  confirmation_slip: '受理确认单',
};

/** The wording printed before templates existed, kept as the built-in default of each kind. */
export const DEFAULT_SLIP_TEMPLATES: Record<SlipKind, string> = {
  acceptance_receipt: [
    '## {{大厅名称}}',
    '# 受理回执',
    '---',
    '办件编号：{{办件编号}}',
    '办理事项：{{办理事项}}',
    '申请人：{{申请人}}',
    '受理窗口：{{受理窗口}}号窗口',
    '受理时间：{{受理时间}}',
    '承诺时限：{{承诺时限}}',
    '经办人：{{经办人}}',
    '容缺待补：{{容缺材料}}',
    '---',
    '{{二维码}}',
    '^ 扫码查询办理进度',
    '^ 请妥善保管本回执，凭回执查询或领取办理结果',
  ].join('\n'),
  confirmation_slip: [
    '## {{大厅名称}}',
    '# 受理确认单',
    '---',
    '办件编号：{{办件编号}}',
    '办理事项：{{办理事项}}',
    '承办部门：{{承办部门}}',
    '申请人：{{申请人}}',
    '受理窗口：{{受理窗口}}号窗口',
    '受理时间：{{受理时间}}',
    '经办人：{{经办人}}',
    '! 收取材料：',
    '{{收取材料}}',
    '容缺待补：{{容缺材料}}',
    '---',
    '^ 本确认单由承办部门留存',
  ].join('\n'),
  one_time_notice: [
    '## {{大厅名称}}',
    '# 一次性告知单',
    '---',
    '办理事项：{{办理事项}}',
    '! 需提交的材料：',
    '{{材料清单}}',
    '! 注意事项：',
    '{{注意事项}}',
    '---',
    '告知窗口：{{告知窗口}}号窗口',
    '告知时间：{{告知时间}}',
  ].join('\n'),
};

export interface TemplateProblem {
  /** 1-based line of the template. */
  line: number;
  message: string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Every problem of a template's wording, with its line: empty when it may be saved. */
export function checkSlipTemplate(kind: SlipKind, body: string): TemplateProblem[] {
  const known = new Set(SLIP_PLACEHOLDERS[kind]);
  const lines = body.split('\n');
  const problems: TemplateProblem[] = [];
  if (body.trim() === '') problems.push({ line: 1, message: '模板不能为空' });
  if (lines.length > MAX_TEMPLATE_LINES) problems.push({ line: MAX_TEMPLATE_LINES + 1, message: `模板最多 ${MAX_TEMPLATE_LINES} 行` });
  lines.forEach((raw, index) => {
    const line = index + 1;
    for (const match of raw.matchAll(PLACEHOLDER)) {
      const name = (match[1] ?? '').trim();
      if (!known.has(name)) {
        problems.push({ line, message: `未知占位符 {{${name}}}，${SLIP_KIND_NAMES[kind]}可用：${[...known].map((k) => `{{${k}}}`).join(' ')}` });
      } else if (name === QR_PLACEHOLDER && raw.trim() !== `{{${QR_PLACEHOLDER}}}`) {
        problems.push({ line, message: `{{${QR_PLACEHOLDER}}} 须单独占一行` });
      }
    }
    // A brace left over once the well-formed placeholders are gone is a typo (单个括号或未闭合).
    if (/[{}]/.test(raw.replace(PLACEHOLDER, ''))) problems.push({ line, message: '占位符写法应为 {{名称}}，括号不成对' });
  });
  return problems;
}

/** A line of the filled template, before the printer layout wraps it. */
export type TemplateLine =
  | { kind: 'text'; text: string; align: 'left' | 'center'; bold: boolean; size: 1 | 2 }
  | { kind: 'rule' }
  | { kind: 'blank' }
  | { kind: 'qr' };

/**
 * The template's lines with the case's facts in place. Values may hold several lines
 * (材料清单): each becomes its own printed line with the template line's marks. A fact not
 * given counts as empty.
 */
export function fillSlipTemplate(body: string, values: Readonly<Record<string, string | undefined>>): TemplateLine[] {
  const out: TemplateLine[] = [];
  for (const raw of body.split('\n')) {
    const trimmed = raw.trim();
    if (trimmed === '---') {
      out.push({ kind: 'rule' });
      continue;
    }
    if (trimmed === '') {
      out.push({ kind: 'blank' });
      continue;
    }
    if (trimmed === `{{${QR_PLACEHOLDER}}}`) {
      if (values[QR_PLACEHOLDER]) out.push({ kind: 'qr' });
      continue;
    }
    const { text, marks } = lineMarks(raw);
    const names = [...text.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim());
    if (names.length > 0 && names.every((name) => !values[name])) continue;
    const filled = text.replace(PLACEHOLDER, (_all, name: string) => values[name.trim()] ?? '');
    for (const part of filled.split('\n')) out.push({ kind: 'text', text: part, ...marks });
  }
  return out;
}

function lineMarks(raw: string): { text: string; marks: { align: 'left' | 'center'; bold: boolean; size: 1 | 2 } } {
  if (raw.startsWith('# ')) return { text: raw.slice(2), marks: { align: 'center', bold: true, size: 2 } };
  if (raw.startsWith('## ')) return { text: raw.slice(3), marks: { align: 'center', bold: true, size: 1 } };
  if (raw.startsWith('! ')) return { text: raw.slice(2), marks: { align: 'left', bold: true, size: 1 } };
  if (raw.startsWith('^ ')) return { text: raw.slice(2), marks: { align: 'center', bold: false, size: 1 } };
  return { text: raw, marks: { align: 'left', bold: false, size: 1 } };
}

/** The wording a slip of this kind for this service is printed with: its own, the hall's, or the built-in one. */
export function slipTemplateFor(templates: readonly SlipTemplate[] | undefined, kind: SlipKind, serviceId: string): string | undefined {
  const own = templates?.find((t) => t.kind === kind && t.serviceId === serviceId);
  const hall = templates?.find((t) => t.kind === kind && t.serviceId === null);
  return (own ?? hall)?.body;
}

/** Made-up facts the console's preview fills in where no case exists yet. */
export const SAMPLE_SLIP_VALUES: Readonly<Record<string, string>> = {
  大厅名称: '示例政务服务中心',
  办件编号: '20260105-01-0001-ab12',
  办理事项: '示例事项',
  申请人: '张*三',
  受理窗口: '1',
  受理时间: '2026-01-05 09:30',
  承诺时限: '15个工作日',
  经办人: 'clerk1',
  容缺材料: '',
  收取材料: '1. 居民身份证（原件1份）\n2. 户口簿（复印件1份）',
  承办部门: '示例部门',
  材料清单: '1. 居民身份证 · 原件1份\n2. 户口簿 · 复印件1份',
  注意事项: '· 请携带原件',
  告知窗口: '1',
  告知时间: '2026-01-05 09:30',
  [QR_PLACEHOLDER]: 'https://example.invalid/track',
};
