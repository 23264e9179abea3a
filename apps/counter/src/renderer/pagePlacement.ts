import { detectPage, PageNotFoundError, type PageDetection } from '@hall/shared';

/** Where the photographed page lies in the full camera frame: its centre, size and skew. */
export interface PagePlacement {
  center: { x: number; y: number };
  width: number;
  height: number;
  /** Radians, positive clockwise on screen (the canvas's own rotation sense). */
  angle: number;
}

/** Pages this small in the full frame are a glare spot or a hand, not a document. */
const MIN_PAGE_PIXELS = 64;

/**
 * Finds the page on a scaled-down RGBA copy of the frame (cheap enough per shot on a counter
 * PC) and scales the result back to the full frame; undefined when no page stands out, so
 * the caller falls back to the plain crop.
 */
export function placePage(rgba: Uint8ClampedArray, width: number, height: number, scaleToFull: number, insetPx = 2): PagePlacement | undefined {
  let detection: PageDetection;
  try {
    detection = detectPage({ width, height, channels: 4, data: rgba });
  } catch (error) {
    if (error instanceof PageNotFoundError) return undefined;
    throw error;
  }
  const placement = {
    center: { x: detection.center.x * scaleToFull, y: detection.center.y * scaleToFull },
    // The inset drops the page's dark edge, which the scaled-down detection blurs a little.
    width: Math.round(detection.width * scaleToFull - 2 * insetPx * scaleToFull),
    height: Math.round(detection.height * scaleToFull - 2 * insetPx * scaleToFull),
    angle: (detection.skewDegrees * Math.PI) / 180,
  };
  return placement.width >= MIN_PAGE_PIXELS && placement.height >= MIN_PAGE_PIXELS ? placement : undefined;
}
