// `npm run bench -- kiosk [--tickets N] [--loads N]`: the kiosk in browser mode against a
// real central API, devices simulated over socat pty pairs, driven in Chromium.
//   ticket_issue_p99_ms          pointerdown on the service (the last button), as the page
//                                receives it → the slip's bytes (up to its cut) reached the
//                                simulated printer (its clock, same machine), online
//   ticket_issue_offline_p99_ms  the same with the central API stopped
//   first_screen_ms              median of fresh page loads: navigation start → home
//                                screen buttons rendered and the station link open
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { CentralApi, ensureRendererBuilt, KioskStation, tempDir } from '../tests/e2e/kiosk/harness';

/** The bits of the page's globals the benchmark touches (bench code is compiled without DOM types). */
interface BrowserGlobals {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  addEventListener(type: string, listener: () => void, options: { capture: boolean; once: boolean }): void;
  tapped?: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? NaN) * 10) / 10;
}

async function jobTimes(kiosk: KioskStation): Promise<number[]> {
  const body = (await kiosk.sim('/printer/job-times', undefined, 'GET')) as unknown as { jobTimes: number[] };
  return body.jobTimes;
}

/** One ticket as a citizen takes it; returns ms from the last tap to the slip at the printer. */
async function issueOnce(page: Page, kiosk: KioskStation): Promise<number> {
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('identify-skip').click();
  const service = page.getByTestId('service-household-certificate');
  await service.waitFor();
  await kiosk.sim('/printer/clear');
  const before = (await jobTimes(kiosk)).length;
  // The touch is when the page receives it, not when Playwright starts its actionability checks.
  await page.evaluate(() => {
    const g = globalThis as unknown as BrowserGlobals;
    g.addEventListener('pointerdown', () => (g.tapped = Date.now()), { capture: true, once: true });
  });
  await service.click();
  const tapped = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).tapped ?? NaN);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const times = await jobTimes(kiosk);
    const printed = times[before];
    if (printed !== undefined) {
      await page.getByTestId('ticket-done').click();
      return printed - tapped;
    }
    if (Date.now() > deadline) {
      const screen = await page.locator('.kiosk').getAttribute('data-screen');
      throw new Error(`no slip reached the printer within 10 s (screen: ${screen}, ${(await page.locator('main').textContent())?.slice(0, 200)})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function runBenchmark(args: string[]): Promise<Record<string, number | string>> {
  const { values } = parseArgs({ args, options: { tickets: { type: 'string', default: '30' }, loads: { type: 'string', default: '5' } } });
  const tickets = Number(values.tickets);
  const loads = Number(values.loads);
  ensureRendererBuilt();
  const dir = tempDir();
  const api = await CentralApi.start(dir.path);
  // Production sync timing (5 s polls, backoff up to 30 s), not the tests' eager one.
  const kiosk = await KioskStation.start(api, dir.path, 'kiosk-bench-1', undefined);
  const browser = await chromium.launch({
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const firstScreens: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(kiosk.url, { waitUntil: 'commit' });
      const handle = await page.waitForFunction(
        () => {
          const doc = (globalThis as unknown as BrowserGlobals).document;
          const ready = doc.querySelector('[data-testid="home-ticket"]') && doc.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') !== 'lost';
          return ready ? performance.now() : 0;
        },
        undefined,
        { polling: 'raf', timeout: 15_000 },
      );
      firstScreens.push(Number(await handle.jsonValue()));
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('console', (m) => process.env.BENCH_DEBUG && console.error('console', m.text()));
    page.on('pageerror', (e) => console.error('page error', e.message));
    await page.goto(kiosk.url);
    await page.getByTestId('sync-status').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
    // Warm-up: the first issue of a day leases a number block and loads code paths.
    await issueOnce(page, kiosk);
    const online: number[] = [];
    for (let i = 0; i < tickets; i++) online.push(await issueOnce(page, kiosk));

    await api.stop();
    await page.getByTestId('sync-status').and(page.locator('[data-state="offline"]')).waitFor({ timeout: 40_000 });
    const offline: number[] = [];
    for (let i = 0; i < tickets; i++) offline.push(await issueOnce(page, kiosk));
    await context.close();

    return {
      ticket_issue_p99_ms: percentile(online, 99),
      ticket_issue_p50_ms: percentile(online, 50),
      ticket_issue_offline_p99_ms: percentile(offline, 99),
      ticket_issue_offline_p50_ms: percentile(offline, 50),
      first_screen_ms: percentile(firstScreens, 50),
      first_screen_max_ms: percentile(firstScreens, 100),
      tickets_per_mode: tickets,
      page_loads: loads,
    };
  } finally {
    await browser.close();
    await kiosk.stop();
    await api.stop();
    dir.remove();
  }
}
