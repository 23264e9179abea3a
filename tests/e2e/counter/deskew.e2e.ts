import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { householdServiceWithTree, issueAtKiosk, shot, signIn, stationKnows, useCounterHall } from './counterHall';

/**
 * Document capture straightens the page: Chromium's fake camera plays a generated frame of
 * a page lying 12° askew on a dark desk, with dark text lines across it; the captured page
 * comes out the page's own size (not its askew bounding box), with white corners and text
 * lines that run level.
 */
const FRAME = { width: 640, height: 480 };
const SHEET = { width: 280, height: 380, cx: 330, cy: 240, degrees: 12 };
const LINE = { every: 40, thickness: 8, margin: 30 };

/** One Y4M (YUV 4:2:0) frame: grey desk, light sheet, dark lines along the sheet's own rows. */
function skewedPageVideo(): string {
  const { width, height } = FRAME;
  const luma = Buffer.alloc(width * height);
  const a = (SHEET.degrees * Math.PI) / 180;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - SHEET.cx;
      const dy = y + 0.5 - SHEET.cy;
      const u = dx * Math.cos(a) + dy * Math.sin(a);
      const v = -dx * Math.sin(a) + dy * Math.cos(a);
      const inside = Math.abs(u) <= SHEET.width / 2 && Math.abs(v) <= SHEET.height / 2;
      const fromTop = v + SHEET.height / 2;
      const text = inside && Math.abs(u) <= SHEET.width / 2 - LINE.margin && fromTop > LINE.margin && fromTop < SHEET.height - LINE.margin && fromTop % LINE.every < LINE.thickness;
      luma[y * width + x] = !inside ? 40 : text ? 50 : 230;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const file = join(mkdtempSync(join(tmpdir(), 'hall-fake-camera-')), 'skewed-page.y4m');
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return file;
}

test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${skewedPageVideo()}`,
      '--disable-background-networking',
    ],
  },
});

const running = useCounterHall(['counter.2']);

test('a page photographed askew is captured cut out and straight', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter: two } = running();
  const { ticket } = await issueAtKiosk(hall.kiosk, householdServiceWithTree(hall.kiosk), 61);
  await stationKnows(two, ticket.id, 1);
  await signIn(page, two, 'clerk2');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await page.keyboard.press('F5');
  await page.getByTestId('camera-start').click();
  const video = page.getByTestId('camera-preview');
  await expect.poll(() => video.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  const videoWidth = await video.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth);
  await page.getByTestId('camera-shoot').click();
  await expect(page.getByTestId('page')).toHaveCount(1);
  await expect(page.getByTestId('page').locator('img')).toBeVisible();
  await shot(page, '25-capture-deskewed');

  // The stored page is the sheet's own size (280×380 less a small inset), not its askew box (353×430).
  const scale = videoWidth / FRAME.width;
  const [kase] = two.role.casesForTicket(ticket.id);
  const stored = kase?.checklist.flatMap((m) => m.pages)[0];
  if (!stored) throw new Error('no page stored');
  expect(Math.abs(stored.width / scale - SHEET.width)).toBeLessThanOrEqual(14);
  expect(Math.abs(stored.height / scale - SHEET.height)).toBeLessThanOrEqual(14);

  // Its content is upright: white corners, and text lines that are dark across their whole run.
  const image = two.role.pageImage(stored.id);
  const analysis = await page.evaluate(async (src) => {
    // The Node-side type check has no DOM library: the few browser types used here, by hand.
    interface Picture { src: string; naturalWidth: number; naturalHeight: number; decode(): Promise<void> }
    interface Canvas {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: Picture, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray; width: number; height: number };
      } | null;
    }
    const dom = globalThis as unknown as { Image: new () => Picture; document: { createElement(tag: 'canvas'): Canvas } };
    const img = new dom.Image();
    img.src = src;
    await img.decode();
    const canvas = dom.document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no canvas');
    ctx.drawImage(img, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const lum = (x: number, y: number) => data[(y * width + x) * 4] ?? 0;
    const patch = (x0: number, y0: number) => {
      let sum = 0;
      for (let y = y0; y < y0 + 6; y++) for (let x = x0; x < x0 + 6; x++) sum += lum(x, y);
      return sum / 36;
    };
    const corners = [patch(1, 1), patch(width - 7, 1), patch(1, height - 7), patch(width - 7, height - 7)];
    // Rows dark over 90% of the text's width: only level lines give those.
    let levelRows = 0;
    const from = Math.round(width * 0.2);
    const to = Math.round(width * 0.8);
    for (let y = 0; y < height; y++) {
      let dark = 0;
      for (let x = from; x < to; x++) if (lum(x, y) < 140) dark++;
      if (dark >= 0.9 * (to - from)) levelRows++;
    }
    return { corners, levelRows };
  }, `data:${image.mime};base64,${image.dataBase64}`);
  for (const corner of analysis.corners) expect(corner).toBeGreaterThan(170);
  // Eight lines of 8 rows each fit the sheet; allow for blur at their edges.
  expect(analysis.levelRows).toBeGreaterThanOrEqual(8 * 4 * scale);
});
