import { describe, expect, it } from 'vitest';
import { DEFAULT_SLIP_TEMPLATES } from '@hall/shared';
import { acceptanceReceiptSlip, oneTimeNoticeSlip } from './receipts';
import { slipTextLines, templateSlip } from './templateSlip';
import { formatIssueTime } from './ticket';
import { slipToEscPos } from './toEscPos';

const AT = '2026-03-11T02:00:00.000Z';

describe('template slips', () => {
  it('print the built-in receipt wording exactly as the fixed layout did', () => {
    const fixed = acceptanceReceiptSlip({
      hallName: '示例中心', caseNumber: 'N-1', serviceName: '户籍证明', applicantMasked: '张*三', acceptedAt: AT, counterNumber: '3', timeLimit: '5个工作日',
      extraFields: [{ label: '经办人', value: 'c1' }], qr: { payload: 'https://x.invalid/t', caption: '扫码查询办理进度' },
    });
    const templated = templateSlip(DEFAULT_SLIP_TEMPLATES.acceptance_receipt, {
      大厅名称: '示例中心', 办件编号: 'N-1', 办理事项: '户籍证明', 申请人: '张*三', 受理时间: formatIssueTime(AT, 'Asia/Shanghai'), 受理窗口: '3', 承诺时限: '5个工作日', 经办人: 'c1', 容缺材料: '', 二维码: 'https://x.invalid/t',
    });
    expect(slipToEscPos(templated)).toEqual(slipToEscPos(fixed));
  });

  it('print the built-in notice wording as the fixed layout did', () => {
    const fixed = oneTimeNoticeSlip({ hallName: '示例中心', serviceName: '户籍证明', materials: ['身份证'], notes: ['带原件'], issuedAt: AT, counterNumber: '3' });
    const templated = templateSlip(DEFAULT_SLIP_TEMPLATES.one_time_notice, {
      大厅名称: '示例中心', 办理事项: '户籍证明', 材料清单: '1. 身份证', 注意事项: '· 带原件', 告知窗口: '3', 告知时间: formatIssueTime(AT, 'Asia/Shanghai'),
    });
    expect(slipTextLines(templated)).toEqual(slipTextLines(fixed));
  });
});
