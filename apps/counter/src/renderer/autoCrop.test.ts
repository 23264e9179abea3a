import { describe, expect, it } from 'vitest';
import { findDocumentBox } from './autoCrop';

function frame(width: number, height: number, doc?: { x: number; y: number; w: number; h: number }): Uint8ClampedArray {
  const px = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = doc && x >= doc.x && x < doc.x + doc.w && y >= doc.y && y < doc.y + doc.h;
      const i = (y * width + x) * 4;
      // Dark desk with a little noise, white paper with dark "text" lines.
      const noise = (x * 7 + y * 13) % 9;
      const v = inside ? (y % 10 === 5 ? 40 : 245) : 50 + noise;
      px[i] = v;
      px[i + 1] = v;
      px[i + 2] = v;
      px[i + 3] = 255;
    }
  }
  return px;
}

describe('document auto-crop', () => {
  it('finds the paper on the desk', () => {
    const box = findDocumentBox(frame(200, 150, { x: 40, y: 30, w: 100, h: 80 }), 200, 150);
    expect(box).toEqual({ x: 40, y: 30, width: 100, height: 80 });
  });

  it('keeps the whole frame when nothing stands out or the region is a speck', () => {
    expect(findDocumentBox(frame(120, 90), 120, 90)).toEqual({ x: 0, y: 0, width: 120, height: 90 });
    expect(findDocumentBox(frame(120, 90, { x: 10, y: 10, w: 8, h: 8 }), 120, 90)).toEqual({ x: 0, y: 0, width: 120, height: 90 });
  });
});
