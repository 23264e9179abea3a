import { describe, expect, it } from 'vitest';
import type { PixelImage } from './deskew';
import { PageNotFoundError, cropAndDeskew, detectPage } from './deskew';

/** Deterministic noise so the test images are not perfectly flat, yet repeatable. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sheet {
  width: number;
  height: number;
  angleDegrees: number;
  cx: number;
  cy: number;
}

/** A white sheet rotated by `angleDegrees` (clockwise on screen) on a dark desk, with noise. */
function photo(frameW: number, frameH: number, sheet: Sheet, channels: 1 | 4 = 1): PixelImage {
  const random = lcg(sheet.angleDegrees * 1000 + 7);
  const data = new Uint8Array(frameW * frameH * channels);
  const a = (sheet.angleDegrees * Math.PI) / 180;
  const ux = Math.cos(a);
  const uy = Math.sin(a);
  for (let y = 0; y < frameH; y++) {
    for (let x = 0; x < frameW; x++) {
      const dx = x + 0.5 - sheet.cx;
      const dy = y + 0.5 - sheet.cy;
      const u = dx * ux + dy * uy;
      const v = -dx * uy + dy * ux;
      const inside = Math.abs(u) <= sheet.width / 2 && Math.abs(v) <= sheet.height / 2;
      const value = Math.round((inside ? 225 : 40) + (random() - 0.5) * 30);
      const i = (y * frameW + x) * channels;
      if (channels === 1) data[i] = value;
      else data.set([value, Math.max(0, value - 10), Math.min(255, value + 5), 255], i);
    }
  }
  return { width: frameW, height: frameH, channels, data };
}

describe('detectPage and cropAndDeskew', () => {
  const angles = [-30, -12.5, -3, 0, 0.7, 5, 17.5, 40];
  for (const angle of angles) {
    it(`estimates a ${angle}° skew within ±1° and the page bounds`, () => {
      const sheet = { width: 180, height: 250, angleDegrees: angle, cx: 205, cy: 170 };
      const detection = detectPage(photo(420, 340, sheet));
      expect(Math.abs(detection.skewDegrees - angle)).toBeLessThanOrEqual(1);
      expect(Math.abs(detection.width - sheet.width)).toBeLessThanOrEqual(4);
      expect(Math.abs(detection.height - sheet.height)).toBeLessThanOrEqual(4);
      expect(Math.hypot(detection.center.x - sheet.cx, detection.center.y - sheet.cy)).toBeLessThanOrEqual(2);
      // Quad corners sit on the sheet's real corners.
      const a = (angle * Math.PI) / 180;
      const realTopLeft = {
        x: sheet.cx - (sheet.width / 2) * Math.cos(a) + (sheet.height / 2) * Math.sin(a),
        y: sheet.cy - (sheet.width / 2) * Math.sin(a) - (sheet.height / 2) * Math.cos(a),
      };
      expect(Math.hypot(detection.quad[0].x - realTopLeft.x, detection.quad[0].y - realTopLeft.y)).toBeLessThanOrEqual(4);

      const page = cropAndDeskew(photo(420, 340, sheet), detection);
      expect(Math.abs(page.width - (sheet.width - 4))).toBeLessThanOrEqual(4);
      expect(Math.abs(page.height - (sheet.height - 4))).toBeLessThanOrEqual(4);
      // Upright and inside the sheet: (almost) no desk pixels in the crop.
      let dark = 0;
      for (const value of page.data) if (value < 130) dark++;
      expect(dark / page.data.length).toBeLessThan(0.01);
    });
  }

  it('works on RGBA frames as the renderer captures them, keeping RGBA', () => {
    const sheet = { width: 200, height: 140, angleDegrees: -8, cx: 160, cy: 120 };
    const frame = photo(320, 240, sheet, 4);
    const detection = detectPage(frame);
    expect(Math.abs(detection.skewDegrees + 8)).toBeLessThanOrEqual(1);
    // Landscape sheet: width is along its own horizontal axis.
    expect(detection.width).toBeGreaterThan(detection.height);
    const page = cropAndDeskew(frame, detection);
    expect(page.channels).toBe(4);
    expect(page.data.length).toBe(page.width * page.height * 4);
  });

  it('gives a clear error when there is no page to find', () => {
    const flat: PixelImage = { width: 50, height: 40, channels: 1, data: new Uint8Array(2000).fill(90) };
    expect(() => detectPage(flat)).toThrow(PageNotFoundError);
    const speck = photo(300, 300, { width: 10, height: 10, angleDegrees: 0, cx: 150, cy: 150 });
    expect(() => detectPage(speck)).toThrow(/covers only/);
    expect(() => detectPage({ width: 10, height: 10, channels: 1, data: new Uint8Array(5) })).toThrow(/expected 10×10×1/);
  });
});
