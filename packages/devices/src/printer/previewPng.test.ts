import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sampleTicket } from './fixtures';
import { renderTicket } from './layout/ticket';
import { previewSvgToPng } from './previewPng';

/** Minimal PNG reader (8-bit RGB/RGBA, non-interlaced), enough to look at pixels. */
function decodePng(png: Uint8Array): { width: number; height: number; grey(x: number, y: number): number } {
  const buf = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(channels).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (pixels[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] ?? 0) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      pixels[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, grey: (x, y) => pixels[(y * width + x) * channels] ?? 0 };
}

describe('previewSvgToPng', () => {
  it('rasterises the ticket preview at printer resolution with the QR where the SVG puts it', async () => {
    const { preview } = renderTicket(sampleTicket);
    const png = decodePng(await previewSvgToPng(preview, { chromium: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium' }));
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(preview) ?? [];
    expect(png.width).toBe(Number(width));
    expect(png.height).toBe(Number(height));
    // Module (0,0) of every QR symbol is dark (finder pattern); the corner of the paper is white.
    const [, qx, qy] = /class="qr"[^>]*d="M(\d+) (\d+)/.exec(preview) ?? [];
    expect(png.grey(Number(qx) + 3, Number(qy) + 3)).toBeLessThan(64);
    expect(png.grey(3, 3)).toBeGreaterThan(230);
  });

  it('refuses an SVG without a size', async () => {
    await expect(previewSvgToPng('<svg xmlns="http://www.w3.org/2000/svg"/>')).rejects.toThrow(/width and height/);
  });
});
