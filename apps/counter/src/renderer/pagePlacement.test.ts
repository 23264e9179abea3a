import { describe, expect, it } from 'vitest';
import { placePage } from './pagePlacement';

/** A light sheet turned by `degrees` (clockwise on screen) on a dark desk, RGBA like canvas ImageData. */
function frame(width: number, height: number, sheet: { w: number; h: number; cx: number; cy: number; degrees: number }): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  const a = (sheet.degrees * Math.PI) / 180;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - sheet.cx;
      const dy = y + 0.5 - sheet.cy;
      const inside = Math.abs(dx * Math.cos(a) + dy * Math.sin(a)) <= sheet.w / 2 && Math.abs(-dx * Math.sin(a) + dy * Math.cos(a)) <= sheet.h / 2;
      data.set(inside ? [236, 234, 228, 255] : [52, 48, 44, 255], (y * width + x) * 4);
    }
  }
  return data;
}

describe('placing the page in the full camera frame', () => {
  it('scales the page found on the small copy back to the frame, with its skew', () => {
    for (const degrees of [-14, -2, 0, 9, 21]) {
      const placement = placePage(frame(320, 240, { w: 120, h: 160, cx: 170, cy: 118, degrees }), 320, 240, 4);
      expect(placement, `${degrees}°`).toBeDefined();
      expect(Math.abs(((placement?.angle ?? 99) * 180) / Math.PI - degrees)).toBeLessThanOrEqual(1);
      // 120×160 on the small copy is 480×640 in the frame, less the 2-pixel inset on each side.
      expect(Math.abs((placement?.width ?? 0) - (480 - 16))).toBeLessThanOrEqual(16);
      expect(Math.abs((placement?.height ?? 0) - (640 - 16))).toBeLessThanOrEqual(16);
      expect(Math.hypot((placement?.center.x ?? 0) - 680, (placement?.center.y ?? 0) - 472)).toBeLessThanOrEqual(8);
    }
  });

  it('finds no page on an empty desk or a speck, so the caller keeps its plain crop', () => {
    expect(placePage(frame(160, 120, { w: 0, h: 0, cx: 0, cy: 0, degrees: 0 }), 160, 120, 4)).toBeUndefined();
    expect(placePage(frame(160, 120, { w: 10, h: 12, cx: 80, cy: 60, degrees: 5 }), 160, 120, 4)).toBeUndefined();
  });
});
