// `npm run bench -- kiosk [--tickets N] [--loads N]`: the kiosk in browser mode against a
// real central API, devices simulated over socat pty pairs, driven in Chromium.
//   first_ticket_ms              the first ticket after the station started: pointerdown on
//                                the service → the number on screen (the page's own clock)
//   ticket_screen_p99_ms         the same for warm tickets, online
//   ticket_issue_p99_ms          pointerdown on the service (the last button), as the page
//                                receives it → the slip's bytes (up to its cut) reached the
//                                simulated printer (its clock, same machine), online
//   ticket_issue_floor_ratio     ticket_issue_p99_ms ÷ writing the same slip's bytes to a pty
//                                pair of the same kind (socat) until the simulator cut it
//   ticket_issue_api_hung_p99_ms tap → number on screen with the central API hung (SIGSTOP:
//                                its port accepts, nothing answers), citizens identified by
//                                card so the blacklist check is on the path
//   ticket_issue_offline_p99_ms  tap → slip at the printer with the central API stopped
//   first_screen_ms              median of fresh page loads: navigation start → home
//                                screen buttons rendered and the station link open
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { PrinterSimulator, printedJobToSlip, slipToEscPos } from '@hall/devices';
import type { PrinterRecord } from '@hall/devices';
import { openPtyHarness } from '@hall/devices/testing';
import { CentralApi, ensureRendererBuilt, KioskStation, tempDir } from '../tests/e2e/kiosk/harness';

/** The bits of the page's globals the benchmark touches (bench code is compiled without DOM types). */
interface BrowserGlobals {
  document: { body: unknown; querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  addEventListener(type: string, listener: () => void, options: { capture: boolean; once: boolean }): void;
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: { subtree: boolean; childList: boolean }): void; disconnect(): void };
  tapped?: number;
  shown?: number;
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

/** One ticket's times from the tap (as the page receives it): to the number on screen, and to the slip at the printer. */
interface TicketTimes {
  screenMs: number;
  printerMs: number;
}

/**
 * One ticket as a citizen takes it. `card`: identified by a card on the reader first (the
 * blacklist check is then on the path), else anonymous.
 */
async function issueOnce(page: Page, kiosk: KioskStation, card?: number): Promise<TicketTimes> {
  await page.getByTestId('home-ticket').click();
  if (card === undefined) await page.getByTestId('identify-skip').click();
  else {
    // The reader polls: a card lifted and another placed within one poll reads as no change.
    // Lifted long enough for the poll to notice, then placed (again, longer, if it was missed).
    for (let attempt = 1; ; attempt++) {
      await kiosk.removeCard();
      await new Promise((resolve) => setTimeout(resolve, 400 * attempt));
      await kiosk.placeCard({ birthDate: '1985-05-05', sequence: card % 900 });
      const read = await page
        .getByTestId('identify-continue')
        .waitFor({ timeout: 5_000 })
        .then(() => true, () => false);
      if (read) break;
      if (attempt >= 6) {
        const screen = await page.locator('.kiosk').getAttribute('data-screen');
        throw new Error(`the kiosk did not read the card (screen: ${screen}, ${(await page.locator('main').textContent())?.slice(0, 200)}; ${JSON.stringify(await kiosk.sim('/devices', undefined, 'GET'))})`);
      }
    }
    await page.getByTestId('identify-continue').click();
  }
  const service = page.getByTestId('service-household-certificate');
  await service.waitFor();
  await kiosk.sim('/printer/clear');
  const before = (await jobTimes(kiosk)).length;
  // The touch is when the page receives it, not when Playwright starts its actionability
  // checks; the number is on screen when the DOM first holds it (a mutation observer).
  await page.evaluate(() => {
    const g = globalThis as unknown as BrowserGlobals;
    g.tapped = undefined;
    g.shown = undefined;
    g.addEventListener('pointerdown', () => (g.tapped = Date.now()), { capture: true, once: true });
    const observer = new g.MutationObserver(() => {
      if (g.document.querySelector('[data-testid="ticket-number"]')) {
        g.shown = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(g.document.body, { subtree: true, childList: true });
  });
  await service.click();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const times = await jobTimes(kiosk);
    const printed = times[before];
    const { tapped, shown } = await page.evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals;
      return { tapped: g.tapped ?? NaN, shown: g.shown };
    });
    if (printed !== undefined && shown !== undefined) {
      if (card !== undefined) await kiosk.removeCard();
      await page.getByTestId('ticket-done').click();
      return { screenMs: shown - tapped, printerMs: printed - tapped };
    }
    if (Date.now() > deadline) {
      const screen = await page.locator('.kiosk').getAttribute('data-screen');
      throw new Error(`no slip reached the printer within 10 s (screen: ${screen}, ${(await page.locator('main').textContent())?.slice(0, 200)})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The floor under ticket_issue: the bytes of the slip the kiosk last printed (re-encoded
 * from what the simulated printer received) written to a socat pty pair of the same kind,
 * until a printer simulator on its far end cut the slip. Ms, p99 of `count`.
 */
async function ptySlipFloor(kiosk: KioskStation, count: number): Promise<number> {
  const record = (await kiosk.sim('/printer', undefined, 'GET')) as unknown as PrinterRecord;
  const job = record.jobs.at(-1);
  if (!job) throw new Error('the kiosk printed nothing to measure the floor with');
  const bytes = slipToEscPos(printedJobToSlip(job));
  const line = await openPtyHarness();
  const simulator = new PrinterSimulator(line.device);
  simulator.start();
  line.host.start();
  try {
    await line.host.waitOpen(3000);
    const samples: number[] = [];
    for (let i = 0; i < count + 3; i++) {
      const cut = new Promise<void>((resolve) => simulator.once('job', () => resolve()));
      const t0 = performance.now();
      await line.host.write(bytes);
      await cut;
      // The first few open the path (tty buffers, JIT): not counted.
      if (i >= 3) samples.push(performance.now() - t0);
    }
    return percentile(samples, 99);
  } finally {
    await simulator.close();
    await line.close();
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
    const newPage = async () => {
      const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('console', (m) => process.env.BENCH_DEBUG && console.error('console', m.text()));
      page.on('pageerror', (e) => console.error('page error', e.message));
      await page.goto(kiosk.url);
      await page.getByTestId('sync-status').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
      return { context, page };
    };
    // The first ticket after the station started: its number block, its printer link and
    // its code paths are all cold, as for the hall's first citizen of the morning.
    const first = await newPage();
    const firstTicket = await issueOnce(first.page, kiosk);
    await first.context.close();

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

    const { context, page } = await newPage();
    await issueOnce(page, kiosk);
    const online: TicketTimes[] = [];
    for (let i = 0; i < tickets; i++) online.push(await issueOnce(page, kiosk));
    const floor = await ptySlipFloor(kiosk, tickets);

    // The data centre hangs: connections are accepted and never answered.
    api.freeze();
    const hung: TicketTimes[] = [];
    try {
      for (let i = 0; i < tickets; i++) hung.push(await issueOnce(page, kiosk, i + 1));
    } finally {
      api.thaw();
    }

    await api.stop();
    await page.getByTestId('sync-status').and(page.locator('[data-state="offline"]')).waitFor({ timeout: 40_000 });
    const offline: TicketTimes[] = [];
    for (let i = 0; i < tickets; i++) offline.push(await issueOnce(page, kiosk));
    await context.close();

    const printer = (times: TicketTimes[]) => times.map((t) => t.printerMs);
    const screen = (times: TicketTimes[]) => times.map((t) => t.screenMs);
    return {
      first_ticket_ms: Math.round(firstTicket.screenMs),
      first_ticket_printed_ms: Math.round(firstTicket.printerMs),
      ticket_screen_p99_ms: percentile(screen(online), 99),
      ticket_issue_p99_ms: percentile(printer(online), 99),
      ticket_issue_p50_ms: percentile(printer(online), 50),
      ticket_issue_floor_p99_ms: floor,
      ticket_issue_floor_ratio: Math.round((percentile(printer(online), 99) / floor) * 10) / 10,
      ticket_issue_api_hung_p99_ms: percentile(screen(hung), 99),
      ticket_issue_api_hung_p50_ms: percentile(screen(hung), 50),
      ticket_issue_api_hung_printed_p99_ms: percentile(printer(hung), 99),
      ticket_issue_offline_p99_ms: percentile(printer(offline), 99),
      ticket_issue_offline_p50_ms: percentile(printer(offline), 50),
      ticket_screen_offline_p99_ms: percentile(screen(offline), 99),
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
