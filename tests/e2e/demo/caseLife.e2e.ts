import { expect, test, type Page } from '@playwright/test';
import { parseReceiptQr } from '@hall/shared';
import { screenshotDir } from '../harness/screenshots';
import { startDemoHall, type DemoHall } from './demoHall';
import { acceptAtWindow1, openSimulator, screenUrl, signInAtWindow, signInConsole, slipText, station } from './simulator';

/**
 * Issue 16's first journey, as people take it in the demo hall (`npm start`), driven only
 * through the hall simulator page and the apps' own screens: an adult takes a ticket for a
 * matter that needs the department's approval (居住证, promised in 10 working days), window 1
 * accepts it with collection at the counter and prints the receipt; the household officer
 * approves and completes it in the console's back office; the citizen comes back, the clerk
 * finds the case by its number and hands the result over against the citizen's own ID card;
 * the receipt's QR at the kiosk's 查办件进度 then says 已领取.
 */
test.describe.configure({ mode: 'serial' });

// Its own ports: tour.e2e.ts uses 18390 / +4300 (page 9480) / 49431 / 49423.
const PORTS = { api: 18_490, stationShift: 4_400, mesh: 49_531, lan: 49_523 };
const SERVICE = 'residence-permit';
const SHOTS = screenshotDir('demo');
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/20-case-${name}.png` });

let hall: DemoHall;

test.beforeAll(async () => {
  // The first start builds the apps' screens when they are stale.
  test.setTimeout(420_000);
  hall = await startDemoHall(400_000, PORTS);
});
test.afterEach(async () => {
  const info = test.info();
  // What the hall printed is the first thing to read when a step did not happen.
  if (info.status !== info.expectedStatus && hall) await info.attach('hall output', { body: hall.output(), contentType: 'text/plain' });
});
test.afterAll(async () => {
  await hall?.stop();
});

/** The QR payloads printed on a station's slips, newest first, as the simulator page holds them to scan. */
async function slipCodes(panel: Page, stationId: string): Promise<string[][]> {
  return station(panel, stationId)
    .locator('.slips')
    .evaluate((el) => ((el as unknown as { slips?: { codes: string[] }[] }).slips ?? []).map((s) => s.codes));
}

test('accepted at window 1, approved and completed in the back office, collected at the counter, 已领取 at the kiosk', async ({ browser }) => {
  test.setTimeout(300_000);
  // The simulator page: an adult test citizen (no green channel, an ordinary ticket).
  const panel = await openSimulator(browser, hall, 35);

  // 1. Kiosk: 取号 with the ID card, for 居住证 (made after the visit, after the department's review).
  const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await kiosk.goto(screenUrl(hall, '自助取号机'));
  await kiosk.getByTestId('home-ticket').click();
  await expect(kiosk.getByTestId('screen-identify')).toBeVisible();
  await station(panel, 'kiosk-1').getByTestId('card-place').click();
  await expect(kiosk.getByTestId('identified')).toBeVisible();
  await kiosk.getByTestId('identify-continue').click();
  await station(panel, 'kiosk-1').getByTestId('card-remove').click();
  await kiosk.getByTestId(`service-${SERVICE}`).click();
  await expect(kiosk.getByTestId('screen-ticket')).toBeVisible();
  const ticket = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
  expect(ticket).toMatch(/^A\d{3}$/);
  await shot(kiosk, '01-kiosk-ticket');
  await kiosk.getByTestId('ticket-done').click();
  await expect(kiosk.getByTestId('screen-home')).toBeVisible();

  // 2. Window 1: clerk1 calls the ticket, identifies the citizen by card, ticks the papers, accepts.
  const counter = await signInAtWindow(browser, hall, '1号窗口', 'clerk1');
  const caseNumber = await acceptAtWindow1(counter, panel, ticket, SERVICE);
  await shot(counter, '02-counter-accepted');
  await counter.keyboard.press('F6');

  // The receipt as it came out of window 1's printer: its number in print, its QR the case's track link (the case and its token).
  const receipt = station(panel, 'counter-1').getByTestId('slip').first();
  await expect(receipt).toBeVisible();
  expect(await slipText(receipt)).toContain(caseNumber);
  await expect.poll(async () => (await slipCodes(panel, 'counter-1'))[0]?.[0] ?? '').toMatch(/^https?:\/\/[^/]+\/track\/[\w-]+\.[\w-]+$/);
  const qr = (await slipCodes(panel, 'counter-1'))[0]?.[0] ?? '';
  await receipt.scrollIntoViewIfNeeded();
  await shot(panel, '03-simulator-receipt');

  // 3. Console: the household officer's back office finds the case once window 1 has synced it.
  const backOffice = await signInConsole(browser, hall, 'officer1', 'backoffice');
  const row = backOffice.getByTestId(`bo-case-${caseNumber}`);
  await expect(async () => {
    await backOffice.getByTestId('bo-search').fill(caseNumber);
    await backOffice.getByTestId('bo-search').press('Enter');
    await expect(row).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(row).toContainText('审批');
  await row.click();
  const view = backOffice.getByTestId('bo-case');
  await expect(view).toHaveAttribute('data-status', 'accepted');
  await backOffice.getByTestId('bo-approve-note').fill('材料齐全，符合条件');
  await backOffice.getByTestId('bo-approve').click();
  await expect(view).toHaveAttribute('data-status', 'approved');
  await backOffice.getByTestId('bo-complete').click();
  await expect(view).toHaveAttribute('data-status', 'completed');
  for (const step of ['受理', '审批通过', '办结']) await expect(backOffice.getByTestId('bo-timeline')).toContainText(step);
  await shot(backOffice, '04-console-completed');

  // 4. The citizen comes back: 办件查询 by the receipt's number; window 1 has pulled 办结.
  await counter.getByTestId('nav-cases').click();
  const file = counter.getByTestId('case-file');
  await expect(async () => {
    await counter.getByTestId('case-query').fill(caseNumber);
    await counter.getByTestId('case-find').click();
    await expect(file).toHaveAttribute('data-status', 'completed', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(file).toHaveAttribute('data-stage', 'collection');
  await expect(counter.getByTestId('case-number')).toHaveText(caseNumber);
  await expect(counter.getByTestId('case-status')).toHaveText('已办结');
  await shot(counter, '05-counter-completed');
  // The citizen's own card on the reader: the result is handed over.
  await station(panel, 'counter-1').getByTestId('card-place').click();
  await counter.getByTestId('handover-card').click();
  await expect(file).toHaveAttribute('data-status', 'delivered');
  await expect(counter.getByTestId('case-status')).toHaveText('已领取');
  await expect(counter.getByTestId('case-handover')).toContainText('窗口领取');
  await expect(counter.getByTestId('case-timeline').locator('li[data-kind="delivered"]')).toHaveCount(1);
  await station(panel, 'counter-1').getByTestId('card-remove').click();
  await shot(counter, '06-counter-delivered');

  // 5. Kiosk: 查办件进度 with the receipt's QR (scanned from the simulator page) says 已领取.
  await expect(kiosk.getByTestId('screen-home')).toBeVisible();
  await kiosk.getByTestId('home-progress').click();
  await expect(kiosk.getByTestId('screen-progress')).toBeVisible();
  const caseId = parseReceiptQr(qr)?.caseId ?? '';
  const card = kiosk.getByTestId(`progress-case-${caseId}`);
  // Until the kiosk has pulled the hand-over the receipt shows the older step: scan it again.
  await expect(async () => {
    await receipt.getByTestId('slip-scan-kiosk-1').click();
    await expect(card).toHaveAttribute('data-step', 'delivered', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(card.getByTestId('progress-status')).toHaveText('已领取');
  await expect(card).toContainText(caseNumber);
  await shot(kiosk, '07-kiosk-progress-delivered');
});
