import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { CentralApi, ensureRendererBuilt, KioskStation, repoRoot, tempDir } from './harness';

export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };
const shotsDir = join(repoRoot, 'docs/screenshots/kiosk');

/**
 * With HALL_SCREENSHOTS=1 every named screen is saved at 1080×1920 and 1920×1080 into
 * docs/screenshots/kiosk (the committed set); otherwise nothing is written.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  if (process.env.HALL_SCREENSHOTS !== '1') return;
  mkdirSync(shotsDir, { recursive: true });
  const original = page.viewportSize() ?? PORTRAIT;
  for (const [label, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    await page.setViewportSize(size);
    // Let the layout settle and fonts for new glyphs arrive.
    await page.evaluate('document.fonts.ready');
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shotsDir, `${name}-${label}.png`) });
  }
  await page.setViewportSize(original);
}

/** Taps keys of the on-screen keyboard by their test ids (key-<char>). */
export async function typeKeys(page: Page, keys: string): Promise<void> {
  for (const key of keys) await page.getByTestId(`key-${key}`).first().click();
}

/** A ticket number (letter, then digits) on the reprint keyboard. */
export async function typeTicketNumber(page: Page, value: string): Promise<void> {
  await page.getByTestId('key-mode-latin').click();
  await typeKeys(page, value.slice(0, 1).toLowerCase());
  await page.getByTestId('key-mode-digits').click();
  await typeKeys(page, value.slice(1));
}

/** Pinyin typed letter by letter, then each wanted character picked from the candidates. */
export async function typePinyin(page: Page, letters: string, characters: string): Promise<void> {
  await typeKeys(page, letters);
  for (const char of characters) await page.getByTestId(`candidate-${char}`).click();
}

export async function syncSettled(page: Page, timeout = 20_000): Promise<void> {
  const corner = page.getByTestId('sync-status');
  await expect(corner).toHaveAttribute('data-state', 'online', { timeout });
  await expect(corner).toHaveAttribute('data-pending', '0', { timeout });
  await expect(corner).toHaveAttribute('data-rejected', '0');
}

/** A central API and one kiosk showing its home screen, in a fresh data dir: where most kiosk journeys start. */
export interface KioskHall {
  dir: ReturnType<typeof tempDir>;
  api: CentralApi;
  kiosk: KioskStation;
  page: Page;
  close(): Promise<void>;
}

export async function openKioskHall(
  browser: Browser,
  options: { deviceId?: string; stationDir?: string; env?: NodeJS.ProcessEnv; prepare?: (dir: string) => Promise<void> } = {},
): Promise<KioskHall> {
  ensureRendererBuilt();
  const dir = tempDir();
  await options.prepare?.(dir.path);
  const api = await CentralApi.start(dir.path);
  const kiosk = await KioskStation.start(api, options.stationDir ? join(dir.path, options.stationDir) : dir.path, options.deviceId, 400, options.env);
  const page = await browser.newPage({ viewport: PORTRAIT });
  await page.goto(kiosk.url);
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await syncSettled(page);
  return {
    dir,
    api,
    kiosk,
    page,
    async close() {
      await page.close();
      await kiosk.stop();
      await api.stop();
      dir.remove();
    },
  };
}
