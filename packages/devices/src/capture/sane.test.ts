import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { combinePagesToPdf, reorderPages } from './pdf';
import { ScanError, classifyScanFailure, listScanners, scanPages } from './sane';

// Only SANE's `test` backend: a real device driven through the real scanimage,
// independent of what /etc/sane.d enables on this machine.
const configDir = mkdtempSync(join(tmpdir(), 'hall-sane-'));
writeFileSync(join(configDir, 'dll.conf'), 'test\n');
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

// Generous: a scan here takes milliseconds, but a CI machine running the
// benchmarks beside it once needed more than 10 s to start scanimage.
const env = { processEnv: { ...process.env, SANE_CONFIG_DIR: configDir }, timeoutMs: 45_000 };

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe('SANE scanner via scanimage (test backend)', { timeout: 120_000 }, () => {
  it('lists the test backend devices', async () => {
    const devices = await listScanners(env);
    expect(devices.map((d) => d.name)).toContain('test:0');
    expect(devices[0]).toMatchObject({ vendor: 'Noname', type: 'virtual device' });
  });

  it('scans two pages and combines them into one two-page PDF, in the order given', async () => {
    const pages = await scanPages({
      ...env,
      device: 'test:0',
      pages: 2,
      resolutionDpi: 50,
      mode: 'Gray',
      extraArgs: ['--test-picture=Grid'],
    });
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(Buffer.from(page.bytes.subarray(1, 4)).toString()).toBe('PNG');
      expect(page.resolutionDpi).toBe(50);
    }
    const { width, height } = pngSize(pages[0]!.bytes);
    const pdfBytes = await combinePagesToPdf(reorderPages(pages, [1, 0]), { title: '居民身份证复印件', createdAt: new Date('2026-11-22T00:00:00Z') });
    const parsed = await PDFDocument.load(pdfBytes);
    expect(parsed.getPageCount()).toBe(2);
    expect(parsed.getTitle()).toBe('居民身份证复印件');
    const size = parsed.getPage(0).getSize();
    expect(size.width).toBeCloseTo((width / 50) * 72, 3);
    expect(size.height).toBeCloseTo((height / 50) * 72, 3);
  });

  it('stops at the end of the feeder and returns the pages it got', async () => {
    // The test backend's ADF holds 10 sheets.
    const pages = await scanPages({ ...env, device: 'test:0', pages: 12, resolutionDpi: 10, source: 'Automatic Document Feeder' });
    expect(pages).toHaveLength(10);
  });

  it('reports no device, device busy, an empty feeder, an open cover and a stalled scan clearly', async () => {
    await expect(scanPages({ ...env, device: 'nosuch:0', pages: 1 })).rejects.toMatchObject({ code: 'no-device' });
    await expect(
      scanPages({ ...env, device: 'test:0', pages: 1, resolutionDpi: 10, extraArgs: ['--read-return-value=SANE_STATUS_DEVICE_BUSY'] }),
    ).rejects.toMatchObject({ code: 'busy', message: expect.stringMatching(/Device busy/) });
    await expect(
      scanPages({ ...env, device: 'test:0', pages: 1, resolutionDpi: 10, extraArgs: ['--read-return-value=SANE_STATUS_NO_DOCS'] }),
    ).rejects.toMatchObject({ code: 'no-documents' });
    await expect(
      scanPages({ ...env, device: 'test:0', pages: 1, resolutionDpi: 10, extraArgs: ['--read-return-value=SANE_STATUS_COVER_OPEN'] }),
    ).rejects.toMatchObject({ code: 'cover-open', message: expect.stringMatching(/cover is open/) });
    // A scanner that trickles data (200 ms per small buffer, seconds per page) is cut off by the timeout.
    const slow = scanPages({
      ...env,
      timeoutMs: 300,
      device: 'test:0',
      pages: 1,
      resolutionDpi: 400,
      extraArgs: ['--read-delay=yes', '--read-delay-duration=200000', '--read-limit=yes', '--read-limit-size=1000'],
    });
    await expect(slow).rejects.toBeInstanceOf(ScanError);
    await expect(slow).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/within 300 ms/) });
  });

  it('says so when scanimage is missing', async () => {
    await expect(listScanners({ command: '/nonexistent/scanimage' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('classifyScanFailure and reorderPages', () => {
  it('maps SANE status messages', () => {
    expect(classifyScanFailure('scanimage: sane_start: Document feeder jammed')).toBe('jammed');
    expect(classifyScanFailure('scanimage: something odd')).toBe('failed');
  });

  it('accepts only a permutation', () => {
    expect(reorderPages(['a', 'b', 'c'], [2, 0, 1])).toEqual(['c', 'a', 'b']);
    expect(() => reorderPages(['a', 'b'], [0, 0])).toThrow(/exactly once/);
    expect(() => reorderPages(['a', 'b'], [0, 2])).toThrow(/exactly once/);
    expect(() => reorderPages(['a', 'b'], [1])).toThrow(/exactly once/);
  });

  it('refuses an empty material or a non-image page', async () => {
    await expect(combinePagesToPdf([])).rejects.toThrow(/at least one page/);
    await expect(combinePagesToPdf([{ bytes: new Uint8Array([1, 2, 3, 4]), resolutionDpi: 100 }])).rejects.toThrow(/PNG or JPEG/);
  });
});
