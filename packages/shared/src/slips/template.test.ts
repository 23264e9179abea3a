import { describe, expect, it } from 'vitest';
import { checkSlipTemplate, DEFAULT_SLIP_TEMPLATES, fillSlipTemplate, SLIP_KINDS, slipTemplateFor } from './template';

describe('slip templates', () => {
  it('accepts every built-in wording', () => {
    for (const kind of SLIP_KINDS) expect(checkSlipTemplate(kind, DEFAULT_SLIP_TEMPLATES[kind])).toEqual([]);
  });

  it('names the line and the placeholder of every mistake', () => {
    expect(checkSlipTemplate('acceptance_receipt', 'a\n领证：{{领证地点}}')).toEqual([
      { line: 2, message: expect.stringContaining('未知占位符 {{领证地点}}') },
    ]);
    // 材料清单 belongs to the notice, not the receipt.
    expect(checkSlipTemplate('acceptance_receipt', '{{材料清单}}')[0]?.message).toContain('未知占位符 {{材料清单}}');
    expect(checkSlipTemplate('acceptance_receipt', '编号：{办件编号}}')[0]?.message).toContain('括号不成对');
    expect(checkSlipTemplate('acceptance_receipt', '码：{{二维码}}')[0]?.message).toContain('单独占一行');
    expect(checkSlipTemplate('one_time_notice', '  ')[0]?.message).toBe('模板不能为空');
    expect(checkSlipTemplate('one_time_notice', Array.from({ length: 61 }, () => 'x').join('\n'))[0]?.line).toBe(61);
  });

  it('fills facts, splits many-line facts, drops lines whose facts are all empty and reads the line marks', () => {
    const lines = fillSlipTemplate('# 回执\n! 材料：\n{{收取材料}}\n容缺：{{容缺材料}}\n---\n\n{{二维码}}\n^ 谢谢', {
      收取材料: '1. 身份证\n2. 户口簿',
      容缺材料: '',
      二维码: 'https://x.invalid/t',
    });
    expect(lines).toEqual([
      { kind: 'text', text: '回执', align: 'center', bold: true, size: 2 },
      { kind: 'text', text: '材料：', align: 'left', bold: true, size: 1 },
      { kind: 'text', text: '1. 身份证', align: 'left', bold: false, size: 1 },
      { kind: 'text', text: '2. 户口簿', align: 'left', bold: false, size: 1 },
      { kind: 'rule' },
      { kind: 'blank' },
      { kind: 'qr' },
      { kind: 'text', text: '谢谢', align: 'center', bold: false, size: 1 },
    ]);
    expect(fillSlipTemplate('{{二维码}}', {})).toEqual([]);
  });

  it('prints a service’s own wording before the hall’s, and nothing chosen when neither exists', () => {
    const templates = [
      { kind: 'acceptance_receipt' as const, serviceId: null, body: 'hall' },
      { kind: 'acceptance_receipt' as const, serviceId: 's1', body: 'own' },
    ];
    expect(slipTemplateFor(templates, 'acceptance_receipt', 's1')).toBe('own');
    expect(slipTemplateFor(templates, 'acceptance_receipt', 's2')).toBe('hall');
    expect(slipTemplateFor(templates, 'confirmation_slip', 's1')).toBeUndefined();
    expect(slipTemplateFor(undefined, 'acceptance_receipt', 's1')).toBeUndefined();
  });
});
