import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PrintedItem } from '../sim/printerModel';
import { PrinterModel } from '../sim/printerModel';
import { renderAcceptanceReceipt, renderOneTimeNotice } from './receipts';
import type { Slip } from './slip';
import { PAPER, blockLines, textColumns, wrapText } from './slip';
import { slipToEscPos } from './toEscPos';
import { sampleTicket } from '../fixtures';
import { renderTicket } from './ticket';
import { qrMatrix } from './toSvg';


/** What a printer would print for these bytes, via the simulator's decoder. */
function printed(escpos: Uint8Array): PrintedItem[] {
  const model = new PrinterModel();
  model.receive(escpos);
  const record = model.record();
  expect(record.unknown).toEqual([]);
  expect(record.jobs).toHaveLength(1);
  expect(record.jobs[0]?.cut).toBe('partial');
  return record.jobs[0]?.items ?? [];
}

const texts = (items: PrintedItem[]): string[] =>
  items.flatMap((item) => (item.type === 'text' ? [item.text] : []));

describe('renderTicket', () => {
  it('prints the hall, a big ticket number, service, people ahead, wait, time, QR and notice', () => {
    const { escpos } = renderTicket(sampleTicket);
    const items = printed(escpos);
    expect(texts(items)).toEqual([
      '天河区政务服务中心',
      '-'.repeat(48),
      '您的排队号',
      'A023',
      '户籍证明',
      '您前面还有 5 人等候',
      '预计等待约 15 分钟',
      '取号时间：2026-11-22 09:05', // hall time zone: Asia/Shanghai
      '微信扫码查看排队进度',
      '-'.repeat(48),
      '过号请重新取号',
    ]);
    expect(items.find((i) => i.type === 'text' && i.text === 'A023')).toMatchObject({
      width: 4,
      height: 4,
      bold: true,
      align: 'center',
    });
    expect(items.filter((i) => i.type === 'qr')).toEqual([
      { type: 'qr', payload: sampleTicket.followUrl, byteLength: 40, model: 2, moduleSize: 6, errorCorrection: 'M' },
    ]);
    // Chinese mode is switched on right after ESC @.
    expect(Buffer.from(escpos.subarray(0, 4)).toString('hex')).toBe('1b401c26');
  });

  it('adds English lines on request and joins several services', () => {
    const lines = texts(printed(renderTicket({ ...sampleTicket, english: true, services: ['户籍证明', '居住证'], ahead: 1 }).escpos));
    expect(lines).toContain('户籍证明、居住证');
    expect(lines).toContain('1 person ahead of you');
    expect(lines).toContain('If your number has passed, please take a new one');
  });

  it('names a consultation ticket as such, big, and the windows that serve it', () => {
    const items = printed(renderTicket({ ...sampleTicket, number: 'Z024', kindLabel: '咨询', counterNumbers: ['1', '2'] }).escpos);
    const lines = texts(items);
    expect(lines.slice(2, 6)).toEqual(['您的咨询号', 'Z024', '户籍证明', '请到 1、2 号窗口办理']);
    expect(items.find((i) => i.type === 'text' && i.text === '您的咨询号')).toMatchObject({ width: 2, bold: true });
    expect(lines).not.toContain('您的排队号');
    const english = texts(printed(renderTicket({ ...sampleTicket, english: true, kindLabel: '咨询', kindLabelEnglish: 'consultation', counterNumbers: ['3'] }).escpos));
    expect(english).toContain('Your consultation ticket');
    expect(english).toContain('Served at counter 3');
  });

  it('draws the same lines and the QR modules in the SVG preview', () => {
    const { preview, escpos } = renderTicket(sampleTicket);
    const svgTexts = [...preview.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(svgTexts).toEqual(texts(printed(escpos)));
    const matrix = qrMatrix(sampleTicket.followUrl, 'M');
    const dark = matrix.modules.reduce((n, m) => n + m, 0);
    const path = /<path class="qr" data-modules="(\d+)" d="([^"]*)"/.exec(preview);
    expect(Number(path?.[1])).toBe(matrix.size);
    expect(path?.[2]?.match(/M/g)).toHaveLength(dark);
    expect(preview).toContain('font-size="96"'); // the 4× ticket number
  });

  it('rejects a bad ticket with a clear message', () => {
    expect(() => renderTicket({ ...sampleTicket, number: 'a23' })).toThrow(/ticket number like A023/);
    expect(() => renderTicket({ ...sampleTicket, services: [] })).toThrow();
    expect(() => renderTicket({ ...sampleTicket, followUrl: 'not a url' })).toThrow();
  });

  it('wraps long Chinese text by display columns, identically for paper and preview', () => {
    const long = '申请人需携带本人居民身份证原件及复印件到户籍所在地派出所办理';
    expect(wrapText(long, 16).every((l) => textColumns(l) <= 16)).toBe(true);
    expect(wrapText(long, 16).join('')).toBe(long);
    expect(wrapText('A023 请到3号窗口', 8)).toEqual(['A023 请', '到3号窗', '口']);
    const { escpos, preview } = renderTicket({ ...sampleTicket, paper: '58mm', services: [long] });
    const serviceLines = texts(printed(escpos)).filter((l) => long.includes(l) && l.length > 0);
    expect(serviceLines.join('')).toBe(long);
    expect(serviceLines.every((l) => textColumns(l) <= PAPER['58mm'].columns)).toBe(true);
    for (const line of serviceLines) expect(preview).toContain(`>${line}<`);
  });
});

describe('receipt layouts', () => {
  it('prints an acceptance receipt with masked applicant and a QR', () => {
    const { escpos } = renderAcceptanceReceipt({
      hallName: '天河区政务服务中心',
      caseNumber: 'TH20261122-0042',
      serviceName: '户籍证明开具',
      applicantMasked: '张*三',
      acceptedAt: '2026-11-22T02:30:00Z',
      counterNumber: '3',
      timeLimit: '5个工作日',
      qr: { payload: 'https://hall.example/case/TH20261122-0042', caption: '扫码查询办理进度' },
    });
    const items = printed(escpos);
    expect(texts(items)).toEqual(
      expect.arrayContaining(['受理回执', '办件编号：TH20261122-0042', '申请人：张*三', '受理窗口：3号窗口', '受理时间：2026-11-22 10:30']),
    );
    expect(items.filter((i) => i.type === 'qr')).toHaveLength(1);
  });

  it('refuses to print an unmasked name', () => {
    expect(() =>
      renderAcceptanceReceipt({
        hallName: '大厅',
        caseNumber: '1',
        serviceName: '事项',
        applicantMasked: '张小三',
        acceptedAt: '2026-11-22T02:30:00Z',
        counterNumber: '3',
        timeLimit: '即办',
      }),
    ).toThrow(/must be masked/);
  });

  it('numbers the materials of a one-time notice', () => {
    const lines = texts(
      printed(
        renderOneTimeNotice({
          hallName: '天河区政务服务中心',
          serviceName: '居住证办理',
          materials: ['居民身份证原件', '租赁合同', '近期一寸照片'],
          notes: ['材料需为原件'],
          issuedAt: '2026-11-22T02:30:00Z',
        }).escpos,
      ),
    );
    expect(lines).toEqual(expect.arrayContaining(['一次性告知单', '1. 居民身份证原件', '3. 近期一寸照片', '· 材料需为原件']));
  });
});

describe('slip renderers and the simulator decoder agree', () => {
  const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
  const ascii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c));
  const space = fc.constant(' ');
  const text = fc.array(fc.oneof(hanzi, ascii, space), { minLength: 1, maxLength: 60 }).map((chars) => chars.join(''));
  const block = fc.oneof(
    fc.record({
      kind: fc.constant('text' as const),
      text,
      align: fc.constantFrom('left' as const, 'center' as const, 'right' as const),
      bold: fc.boolean(),
      size: fc.integer({ min: 1, max: 4 }),
    }),
    fc.record({ kind: fc.constant('qr' as const), payload: text }),
    fc.record({ kind: fc.constant('rule' as const) }),
  );

  it('prints exactly the wrapped lines and QR payloads of any slip, with their styles', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 8 }), fc.constantFrom('58mm' as const, '80mm' as const), (blocks, paper) => {
        const slip: Slip = { paper, blocks };
        const expected = blocks.flatMap((b): object[] => {
          if (b.kind === 'qr') return [{ type: 'qr', payload: b.payload }];
          if (b.kind === 'rule') return [{ type: 'text', text: '-'.repeat(PAPER[paper].columns) }];
          return blockLines(b, paper).map((line) => ({ type: 'text', text: line, width: b.size, height: b.size, bold: b.bold, align: b.align }));
        });
        const items = printed(slipToEscPos(slip)).filter((i) => i.type !== 'feed');
        expect(items).toHaveLength(expected.length);
        items.forEach((item, i) => expect(item).toMatchObject(expected[i]!));
      }),
      { numRuns: 150 },
    );
  });
});
