/**
 * Finds a photographed page (a bright sheet on a darker desk, as a document
 * camera sees it) and returns it cropped and straightened. Pure functions over
 * pixel buffers, so the renderer's canvas frames and tests use the same code.
 *
 * Steps: grey → Otsu threshold → largest bright 4-connected region → convex hull
 * of its boundary → minimum-area enclosing rectangle (rotating calipers) → the
 * rectangle's angle is the skew → sample the rectangle into an upright image.
 *
 * In shared (no DOM or Node APIs) so the counter's renderer straightens camera frames with
 * the same code the devices package and its tests use.
 */

export interface PixelImage {
  width: number;
  height: number;
  /** 1 channel (grey) or 4 (RGBA, as canvas ImageData gives). Row-major. */
  channels: 1 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

export interface Point {
  x: number;
  y: number;
}

export interface PageDetection {
  /**
   * Rotation of the page in the image, degrees in (-45, 45]; positive is
   * clockwise on screen (image y grows downwards). A page turned by more than 45°
   * is reported as its nearest upright or sideways orientation.
   */
  skewDegrees: number;
  center: Point;
  /** Size of the page along its own axes, pixels. */
  width: number;
  height: number;
  /** Page corners found on the region's hull: top-left, top-right, bottom-right, bottom-left. */
  quad: [Point, Point, Point, Point];
  /** Threshold that separated page from background. */
  threshold: number;
  /** Share of the image the page covers. */
  coverage: number;
}

function toGrey(image: PixelImage): Uint8Array {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(`pixel buffer has ${data.length} bytes, expected ${width}×${height}×${channels}`);
  }
  if (channels === 1) return Uint8Array.from(data);
  const grey = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < grey.length; i++, p += 4) {
    // ITU-R BT.601 luma, integer form.
    grey[i] = ((data[p] ?? 0) * 299 + (data[p + 1] ?? 0) * 587 + (data[p + 2] ?? 0) * 114) / 1000;
  }
  return grey;
}

/** Otsu's threshold: maximises between-class variance of the grey histogram. */
export function otsuThreshold(grey: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of grey) histogram[value] = (histogram[value] ?? 0) + 1;
  const total = grey.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * (histogram[v] ?? 0);
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t] ?? 0;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * (histogram[t] ?? 0);
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const variance = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}

/** Labels the largest 4-connected region of `mask`; returns its pixel indices. */
function largestRegion(mask: Uint8Array, width: number): Int32Array {
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best: Int32Array = new Int32Array(0);
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    next++;
    let top = 0;
    let count = 0;
    const members: number[] = [];
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const i = stack[--top] ?? 0;
      members.push(i);
      count++;
      const x = i % width;
      const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i >= width ? i - width : -1, i + width < mask.length ? i + width : -1];
      for (const n of neighbours) {
        if (n >= 0 && mask[n] && !label[n]) {
          label[n] = next;
          stack[top++] = n;
        }
      }
    }
    if (count > best.length) best = Int32Array.from(members);
  }
  return best;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Andrew's monotone chain; returns the hull counter-clockwise in math orientation. */
function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

interface Rect {
  angle: number; // radians, direction of the "width" axis
  center: Point;
  width: number;
  height: number;
}

/** Minimum-area rectangle enclosing the hull: one side lies on a hull edge. */
function minAreaRect(hull: Point[]): Rect {
  let best: Rect | undefined;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const angle = Math.atan2(b.y - a.y, b.x - a.x);
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = { angle, center: { x: cu * ux - cv * uy, y: cu * uy + cv * ux }, width: maxU - minU, height: maxV - minV };
    }
  }
  if (!best) throw new Error('empty hull');
  return best;
}

/** Brings the rectangle's axis into (-45°, 45°], swapping width and height as needed. */
function normalise(rect: Rect): Rect {
  let { angle, width, height } = rect;
  const quarter = Math.PI / 2;
  while (angle > Math.PI / 4) {
    angle -= quarter;
    [width, height] = [height, width];
  }
  while (angle <= -Math.PI / 4) {
    angle += quarter;
    [width, height] = [height, width];
  }
  return { ...rect, angle, width, height };
}

export class PageNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageNotFoundError';
  }
}

/** Smallest page, as a share of the frame, we believe is a page and not a glare spot. */
const MIN_COVERAGE = 0.05;

export function detectPage(image: PixelImage): PageDetection {
  const { width, height } = image;
  const grey = toGrey(image);
  const threshold = otsuThreshold(grey);
  const mask = new Uint8Array(grey.length);
  let bright = 0;
  for (let i = 0; i < grey.length; i++) {
    if ((grey[i] ?? 0) > threshold) {
      mask[i] = 1;
      bright++;
    }
  }
  if (bright === 0 || bright === grey.length) throw new PageNotFoundError('no contrast between page and background');
  const region = largestRegion(mask, width);
  const coverage = region.length / grey.length;
  if (coverage < MIN_COVERAGE) throw new PageNotFoundError(`largest bright region covers only ${(coverage * 100).toFixed(1)}% of the frame`);

  const inRegion = new Uint8Array(grey.length);
  for (const i of region) inRegion[i] = 1;
  // Pixel corners of the boundary pixels, so the hull encloses whole pixels.
  const boundary: Point[] = [];
  for (const i of region) {
    const x = i % width;
    const y = (i - x) / width;
    const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !inRegion[i - 1] || !inRegion[i + 1] || !inRegion[i - width] || !inRegion[i + width];
    if (edge) boundary.push({ x, y }, { x: x + 1, y }, { x, y: y + 1 }, { x: x + 1, y: y + 1 });
  }
  const hull = convexHull(boundary);
  const rect = normalise(minAreaRect(hull));

  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  const corner = (su: number, sv: number): Point => ({
    x: rect.center.x + (su * rect.width * ux) / 2 - (sv * rect.height * uy) / 2,
    y: rect.center.y + (su * rect.width * uy) / 2 + (sv * rect.height * ux) / 2,
  });
  const nearestOnHull = (target: Point): Point =>
    hull.reduce((best, p) => (Math.hypot(p.x - target.x, p.y - target.y) < Math.hypot(best.x - target.x, best.y - target.y) ? p : best));
  const quad: PageDetection['quad'] = [
    nearestOnHull(corner(-1, -1)),
    nearestOnHull(corner(1, -1)),
    nearestOnHull(corner(1, 1)),
    nearestOnHull(corner(-1, 1)),
  ];
  return {
    skewDegrees: (rect.angle * 180) / Math.PI,
    center: rect.center,
    width: rect.width,
    height: rect.height,
    quad,
    threshold,
    coverage,
  };
}

export interface CropOptions {
  /** Pixels trimmed from each side of the detected page, to drop its dark edge. */
  inset?: number;
}

/** The page cut out and rotated upright, same channel count as the input. */
export function cropAndDeskew(image: PixelImage, detection: PageDetection = detectPage(image), options: CropOptions = {}): PixelImage {
  const inset = options.inset ?? 2;
  const outWidth = Math.max(1, Math.round(detection.width) - 2 * inset);
  const outHeight = Math.max(1, Math.round(detection.height) - 2 * inset);
  const { channels, width, height, data } = image;
  const out = new Uint8Array(outWidth * outHeight * channels);
  const angle = (detection.skewDegrees * Math.PI) / 180;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const sample = (x: number, y: number, c: number): number => {
    const xi = Math.min(width - 1, Math.max(0, x));
    const yi = Math.min(height - 1, Math.max(0, y));
    return data[(yi * width + xi) * channels + c] ?? 0;
  };
  for (let v = 0; v < outHeight; v++) {
    for (let u = 0; u < outWidth; u++) {
      // Pixel centres: output (u+0.5, v+0.5) relative to the page centre, rotated into the frame.
      const du = u + 0.5 - outWidth / 2;
      const dv = v + 0.5 - outHeight / 2;
      const sx = detection.center.x + du * ux - dv * uy - 0.5;
      const sy = detection.center.y + du * uy + dv * ux - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < channels; c++) {
        const top = sample(x0, y0, c) * (1 - fx) + sample(x0 + 1, y0, c) * fx;
        const bottom = sample(x0, y0 + 1, c) * (1 - fx) + sample(x0 + 1, y0 + 1, c) * fx;
        out[(v * outWidth + u) * channels + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}
