/**
 * Auto-crop for document-camera frames, run in the renderer on the captured pixels: the
 * document is the large region that differs from the desk around it. The desk colour is
 * taken from the frame's border; rows and columns where enough pixels differ from it
 * bound the document. A pure function over RGBA so it is tested without a camera.
 */
export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function findDocumentBox(rgba: Uint8ClampedArray, width: number, height: number, threshold = 48, minFraction = 0.08): CropBox {
  const at = (x: number, y: number) => (y * width + x) * 4;
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  const sample = (x: number, y: number) => {
    const i = at(x, y);
    r += rgba[i] ?? 0;
    g += rgba[i + 1] ?? 0;
    b += rgba[i + 2] ?? 0;
    n++;
  };
  for (let x = 0; x < width; x += 2) {
    sample(x, 0);
    sample(x, height - 1);
  }
  for (let y = 0; y < height; y += 2) {
    sample(0, y);
    sample(width - 1, y);
  }
  const bg = [r / n, g / n, b / n] as const;
  const differs = (x: number, y: number) => {
    const i = at(x, y);
    return Math.abs((rgba[i] ?? 0) - bg[0]) + Math.abs((rgba[i + 1] ?? 0) - bg[1]) + Math.abs((rgba[i + 2] ?? 0) - bg[2]) > threshold;
  };
  const rowHits = new Array<number>(height).fill(0);
  const colHits = new Array<number>(width).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (differs(x, y)) {
        rowHits[y] = (rowHits[y] ?? 0) + 1;
        colHits[x] = (colHits[x] ?? 0) + 1;
      }
    }
  }
  const firstLast = (hits: number[], span: number): [number, number] | undefined => {
    const need = Math.max(1, Math.floor(span * minFraction));
    const first = hits.findIndex((h) => h >= need);
    if (first < 0) return undefined;
    let last = hits.length - 1;
    while (last > first && (hits[last] ?? 0) < need) last--;
    return [first, last];
  };
  const rows = firstLast(rowHits, width);
  const cols = firstLast(colHits, height);
  // Nothing stands out (a blank desk, or the document fills the frame): keep the whole frame.
  if (!rows || !cols) return { x: 0, y: 0, width, height };
  const box = { x: cols[0], y: rows[0], width: cols[1] - cols[0] + 1, height: rows[1] - rows[0] + 1 };
  if (box.width < width * 0.2 || box.height < height * 0.2) return { x: 0, y: 0, width, height };
  return box;
}
