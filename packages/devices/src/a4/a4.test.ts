import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText, startTestCups, testCupsUnavailable, type TestCups } from '../testing/cups';
import { renderA4Document } from './document';
import { decodeIppResponse, encodeIppRequest, IPP_OPERATION } from './ipp';
import { IppA4Printer, ippHttpUrl } from './ippPrinter';

describe('IPP encoding', () => {
  it('reads back the attributes it wrote, several values and all', () => {
    const bytes = encodeIppRequest({
      operation: IPP_OPERATION.getPrinterAttributes,
      requestId: 7,
      operationAttributes: [{ name: 'requested-attributes', tag: 'keyword', values: ['printer-state', 'printer-state-reasons'] }],
      jobAttributes: [{ name: 'copies', tag: 'integer', values: [2] }],
    });
    // A request has the response's layout with an operation id where the status goes.
    const decoded = decodeIppResponse(bytes);
    expect(decoded.statusCode).toBe(IPP_OPERATION.getPrinterAttributes);
    expect(decoded.requestId).toBe(7);
    expect(decoded.attributes.get('attributes-charset')).toEqual(['utf-8']);
    expect(decoded.attributes.get('requested-attributes')).toEqual(['printer-state', 'printer-state-reasons']);
    expect(decoded.attributes.get('copies')).toEqual([2]);
  });

  it('refuses a response cut short instead of reading past it', () => {
    const bytes = encodeIppRequest({ operation: 1, requestId: 1, operationAttributes: [] });
    expect(() => decodeIppResponse(bytes.subarray(0, bytes.length - 4))).toThrow(/cut short/);
  });

  it('speaks HTTP to ipp:// addresses on port 631', () => {
    expect(ippHttpUrl('ipp://printer.hall/printers/a4')).toBe('http://printer.hall:631/printers/a4');
    expect(ippHttpUrl('http://127.0.0.1:8631/printers/a4')).toBe('http://127.0.0.1:8631/printers/a4');
  });
});

const unavailable = testCupsUnavailable();

describe.skipIf(unavailable !== undefined)(`A4 printing through a real CUPS with a cups-pdf queue${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let cups: TestCups;
  beforeAll(async () => {
    cups = await startTestCups();
  }, 30_000);
  afterAll(async () => {
    await cups?.close();
  });

  const form = (tag: string) =>
    renderA4Document({
      title: '居民户口簿补领申请表',
      subtitle: `办件编号 ${tag}`,
      sections: [
        {
          heading: '申请人信息',
          rows: [
            { label: '姓名', value: '李淑芬' },
            { label: '联系电话', value: '13800138000' },
            { label: '现住址', value: '广州市天河区体育西路191号中石化大厦B塔2501室（长地址换行测试）'.repeat(2) },
          ],
        },
      ],
      footer: ['申请人签名：__________'],
    });

  it('prints a PDF job whose output file reads back what was typed, Chinese and digits', async () => {
    const tag = `t${randomUUID().slice(0, 8)}`;
    const printer = new IppA4Printer({ url: cups.url });
    const result = await printer.print({ pdf: await form(tag), title: `form-${tag}` });
    expect(result).toMatchObject({ ok: true });
    expect(printer.health).toMatchObject({ level: 'ok', connected: true });
    const text = await pdfText(await cups.waitForPdf(tag));
    for (const typed of ['居民户口簿补领申请表', '李淑芬', '13800138000', '广州市天河区体育西路191号', '申请人签名']) expect(text).toContain(typed);
  }, 60_000);

  it('says the printer is stopped instead of queueing, and prints on retry once it is back', async () => {
    const tag = `t${randomUUID().slice(0, 8)}`;
    const printer = new IppA4Printer({ url: cups.url });
    await cups.stopQueue();
    try {
      const refused = await printer.print({ pdf: await form(tag), title: `form-${tag}` });
      expect(refused).toMatchObject({ ok: false, error: { code: 'stopped' } });
      expect(printer.health.issues.map((i) => i.code)).toEqual(['stopped']);
    } finally {
      await cups.startQueue();
    }
    expect(await printer.print({ pdf: await form(tag), title: `form-${tag}` })).toMatchObject({ ok: true });
    expect(printer.health.level).toBe('ok');
    expect(await pdfText(await cups.waitForPdf(tag))).toContain('李淑芬');
  }, 60_000);

  it('says a queue that does not exist is unreachable', async () => {
    const printer = new IppA4Printer({ url: cups.url.replace(/hall-a4$/, 'no-such-queue') });
    expect(await printer.print({ pdf: await form('x'), title: 'form-x' })).toMatchObject({ ok: false, error: { code: 'unreachable' } });
  }, 30_000);
});

describe('A4 printer with no print server', () => {
  it('reports unreachable and offline health, without hanging', async () => {
    const printer = new IppA4Printer({ url: 'http://127.0.0.1:9/printers/a4', timeoutMs: 2_000 });
    const result = await printer.print({ pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]), title: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(printer.health).toMatchObject({ connected: false, level: 'offline' });
  });
});
