import { expect, test, type Page } from '@playwright/test';
import type { CentralApi, KioskStation } from './harness';
import { openKioskHall, shoot, type KioskHall } from './journeys';

/**
 * The citizen never waits on the network or the paper: the number is on the screen while
 * the printer is stalled or out of paper and while the central API hangs (SIGSTOP: its port
 * accepts, nothing answers). Printing is shown as it happens; a fault is said plainly and
 * the number stays valid.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let hall: KioskHall;
let api: CentralApi;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser, { deviceId: 'kiosk-nowait-1' });
  ({ api, kiosk, page } = hall);
});

test.afterAll(async () => {
  await kiosk?.sim('/printer/stall', { stalled: false }).catch(() => undefined);
  await hall?.close();
});

/** The bits of the page's globals the recorder touches (tests are compiled without DOM types). */
interface RecorderGlobals {
  document: { body: unknown; querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: { subtree: boolean; childList: boolean; attributes: boolean }): void };
  slipStates?: { state: string | null; number: string | null }[];
}

/**
 * Records, from before the tap, each state of the slip the screen shows beside the number
 * on it: every DOM change is seen, so a short `printing` is not missed between two polls.
 */
async function recordSlipStates(): Promise<() => Promise<{ state: string | null; number: string | null }[]>> {
  await page.evaluate(() => {
    const g = globalThis as unknown as RecorderGlobals;
    const states: { state: string | null; number: string | null }[] = [];
    g.slipStates = states;
    new g.MutationObserver(() => {
      const state = g.document.querySelector('[data-testid="print-status"]')?.getAttribute('data-state') ?? null;
      const number = g.document.querySelector('[data-testid="ticket-number"]')?.textContent ?? null;
      if (state !== null && states.at(-1)?.state !== state) states.push({ state, number });
    }).observe(g.document.body, { subtree: true, childList: true, attributes: true });
  });
  return () => page.evaluate(() => (globalThis as unknown as RecorderGlobals).slipStates ?? []);
}

async function done(): Promise<void> {
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
}

test('the number is on screen while the printer is stalled; the screen then says the slip did not print', async () => {
  await kiosk.sim('/printer/stall', { stalled: true });
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('identify-skip').click();
  const states = await recordSlipStates();
  await page.getByTestId('service-household-certificate').click();
  // The stalled printer never answers: said plainly, the number stays valid, staff reprint.
  const status = page.getByTestId('print-status');
  await expect(status).toHaveAttribute('data-state', 'problem');
  // The number was on screen first, with the slip still printing.
  expect(await states()).toEqual([
    { state: 'printing', number: expect.stringMatching(/^A\d{3}$/) },
    { state: 'problem', number: expect.stringMatching(/^A\d{3}$/) },
  ]);
  await expect(status).toContainText('打印机无响应');
  await expect(status).toContainText('您的号码有效');
  await expect(status).toContainText('工作人员补打');
  await shoot(page, '17-ticket-printer-stalled');
  await kiosk.sim('/printer/stall', { stalled: false });
  await done();
});

test('the number is on screen while the central API hangs, for a citizen identified by card, and the slip prints', async () => {
  api.freeze();
  try {
    await page.getByTestId('home-ticket').click();
    await kiosk.placeCard({ birthDate: '1980-08-08', sequence: 61 });
    await page.getByTestId('identify-continue').click();
    const states = await recordSlipStates();
    await page.getByTestId('service-household-certificate').click();
    await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'printed');
    const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
    expect(number).toMatch(/^A\d{3}$/);
    expect(await states()).toEqual([
      { state: 'printing', number },
      { state: 'printed', number },
    ]);
    const jobs = await kiosk.printedJobs();
    expect((jobs.at(-1) ?? []).join('\n')).toContain(number);
    await kiosk.removeCard();
    await done();
  } finally {
    api.thaw();
  }
});

test('the number is on screen with the printer out of paper; the screen says so and where to get a slip', async () => {
  await kiosk.setPrinter({ paperOut: true });
  try {
    await page.getByTestId('home-ticket').click();
    await page.getByTestId('identify-skip').click();
    await page.getByTestId('service-id-card-renewal').click();
    await expect(page.getByTestId('ticket-number')).toHaveText(/^A\d{3}$/);
    const status = page.getByTestId('print-status');
    await expect(status).toHaveAttribute('data-state', 'problem');
    await expect(status).toHaveAttribute('data-problem', 'paper-out');
    await expect(status).toContainText('打印机缺纸');
    await done();
  } finally {
    await kiosk.setPrinter({ paperOut: false });
  }
});
