import { describe, expect, it } from 'vitest';
import { allTokens, enTokens, zhTokens } from './phrases';

describe('spoken calls', () => {
  it('reads ticket numbers digit by digit and counter numbers as numbers', () => {
    expect(zhTokens({ ticketNumber: 'A023', counterNumber: '3', kind: 'call' }).join(' ')).toBe('请 A 零 二 三 号 到 三 号窗口 办理');
    expect(zhTokens({ ticketNumber: 'B100', counterNumber: '12', kind: 'recall' }).join(' ')).toBe('请 B 一 零 零 号 再次 到 十 二 号窗口 办理');
    expect(zhTokens({ ticketNumber: 'C001', counterNumber: '20', kind: 'call' })).toContain('二');
    expect(zhTokens({ ticketNumber: 'C001', counterNumber: '21', kind: 'call' }).slice(-5).join('')).toBe('二十一号窗口办理');
    expect(enTokens({ ticketNumber: 'A023', counterNumber: '12', kind: 'recall' }).join(' | ')).toBe(
      'ticket | A | zero | two | three | calling again | please go to counter | 12',
    );
  });

  it('lists every token the hall needs, once', () => {
    const tokens = allTokens(['zh', 'en'], ['3', '12', '12']);
    const keys = tokens.map((t) => `${t.language}:${t.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const call of [{ ticketNumber: 'Z999', counterNumber: '12', kind: 'recall' as const }]) {
      for (const t of zhTokens(call)) expect(keys).toContain(`zh:${t}`);
      for (const t of enTokens(call)) expect(keys).toContain(`en:${t}`);
    }
    expect(allTokens(['zh']).every((t) => t.language === 'zh')).toBe(true);
  });
});
