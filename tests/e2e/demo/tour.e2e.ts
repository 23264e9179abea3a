import { expect, test, type Page } from '@playwright/test';
import { screenshotDir } from '../harness/screenshots';
import { startDemoHall, type DemoHall } from './demoHall';
import { openSimulator, screenUrl, signInAtWindow, signInConsole, slipText, station } from './simulator';

/**
 * The README's five-minute tour, as a newcomer takes it: `npm start`, then only the hall
 * simulator page (the hands: ID cards, scanners, doors; the eyes: slips, SMS) and the
 * apps' own screens. A 70-year-old takes a priority ticket at the kiosk, is called and
 * served at window 1 with the result going to the locker, the clerk's deposit slip is
 * scanned at the locker, the SMS arrives, and the citizen's residence code opens the door.
 */
test.describe.configure({ mode: 'serial' });

const SHOTS = screenshotDir('demo');
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const PHONE = ['139', '0000', '2323'].join('');

let hall: DemoHall;

test.beforeAll(async () => {
  // The first start builds the apps' screens when they are stale.
  test.setTimeout(420_000);
  hall = await startDemoHall(400_000);
});
test.afterAll(async () => {
  await hall?.stop();
});

test('the guided tour: kiosk → counter → display → locker → console, driven from the hall simulator page', async ({ browser }) => {
  test.setTimeout(300_000);
  const url = (key: string) => screenUrl(hall, key);

  // The simulator page: make a 70-year-old test citizen.
  const panel = await openSimulator(browser, hall, 70);
  await expect(station(panel, 'locker-1').getByTestId('door-A01')).toHaveAttribute('data-open', 'false');
  await shot(panel, '01-simulator');

  // 1. Kiosk: 取号, then the card on the reader from the simulator page; 60+ gets the green channel.
  const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await kiosk.goto(url('自助取号机'));
  await kiosk.getByTestId('home-ticket').click();
  await expect(kiosk.getByTestId('screen-identify')).toBeVisible();
  await station(panel, 'kiosk-1').getByTestId('card-place').click();
  await expect(station(panel, 'kiosk-1').getByTestId('card-state')).toHaveText('读卡器上有一张身份证');
  await expect(kiosk.getByTestId('identified')).toBeVisible();
  await expect(kiosk.getByTestId('priority')).toBeVisible();
  await shot(kiosk, '02-kiosk-identified');
  await kiosk.getByTestId('identify-continue').click();
  await kiosk.getByTestId('service-household-certificate').click();
  await expect(kiosk.getByTestId('screen-ticket')).toBeVisible();
  const number = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  await expect(kiosk.getByTestId('ticket-card')).toContainText('绿色通道');
  await expect(kiosk.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await shot(kiosk, '03-kiosk-ticket');
  await station(panel, 'kiosk-1').getByTestId('card-remove').click();

  // The slip as it came out of the kiosk's printer.
  const kioskSlip = station(panel, 'kiosk-1').getByTestId('slip').first();
  await expect(kioskSlip).toBeVisible();
  expect(await slipText(kioskSlip)).toContain(number);
  await kioskSlip.scrollIntoViewIfNeeded();
  await shot(panel, '04-simulator-kiosk-slip');

  // 2. Counter 1: clerk1 signs in and calls the ticket; 3. the wall display shows it.
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await display.goto(url('综合屏'));
  const counter = await signInAtWindow(browser, hall, '1号窗口', 'clerk1');
  await expect(counter.getByTestId(`waiting-${number}`)).toBeVisible({ timeout: 20_000 });
  await counter.keyboard.press('F1');
  await expect(counter.getByTestId('hdr-current')).toHaveText(number);
  await expect(display.getByTestId('latest-call')).toHaveAttribute('data-ticket', number, { timeout: 20_000 });
  await shot(display, '05-display-call');
  // The simulator page shows the wall's LED strip and window 1's sign, and what the wall said.
  const wall = station(panel, 'display-1');
  await expect(wall.getByTestId('sign-strip')).toContainText(number);
  await expect(wall.getByTestId('sign-counter.1')).toContainText(number);
  await expect(wall.getByTestId('announcement')).toContainText(number);
  await wall.scrollIntoViewIfNeeded();
  await shot(panel, '05b-simulator-signs');
  await counter.keyboard.press('F5');
  await expect(counter.getByTestId('serving-view')).toBeVisible();
  // A walk-in without a kiosk form: the clerk opens the case for the ticket's matter.
  await counter.locator('[data-testid^="open-case-"]').first().click();
  await expect(counter.getByTestId('case-editor')).toBeVisible();

  // Window 1's page scanner (SANE's test device): the page it captures, shown on the simulator page.
  await station(panel, 'counter-1').getByTestId('test-page').click();
  await expect(station(panel, 'counter-1').getByTestId('test-page-image')).toBeVisible({ timeout: 20_000 });
  expect(await station(panel, 'counter-1').getByTestId('test-page-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(50);
  await shot(panel, '05c-simulator-test-page');

  // The citizen's card on window 1's reader, from the simulator page.
  await station(panel, 'counter-1').getByTestId('card-place').click();
  await counter.getByTestId('identity-card').click();
  await expect(counter.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  const checklist = counter.getByTestId('checklist').locator('input[type=checkbox]');
  for (let i = 0; i < (await checklist.count()); i++) await checklist.nth(i).check();
  await counter.getByTestId('case-accept').click();
  await expect(counter.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'acceptance_receipt');
  await counter.getByTestId('slip-close').click();
  // The result goes to the 24-hour locker: the deposit slip prints at the window.
  await counter.getByTestId('delivery-phone').fill(PHONE);
  await counter.getByTestId('delivery-locker').click();
  await expect(counter.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'deposit_code');
  await shot(counter, '06-counter-deposit-slip');
  await counter.getByTestId('slip-close').click();
  await station(panel, 'counter-1').getByTestId('card-remove').click();

  // 办结 (F6): the citizen rates the service on the rating screen the simulator page links.
  const ratingUrl = (await station(panel, 'counter-1').getByTestId('link-ratingScreen').getAttribute('href')) ?? '';
  const rating = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await rating.goto(ratingUrl);
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'idle');
  await counter.keyboard.press('F6');
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'asking');
  await shot(rating, '06b-rating');
  await rating.getByTestId('rate-very_satisfied').click();
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'thanks');
  await expect(wall.getByTestId('sign-counter.1')).not.toContainText(number);

  // 4. Locker: the clerk scans the deposit slip's code at the locker (a button under the slip).
  const locker = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await locker.goto(url('智能柜'));
  await expect(locker.getByTestId('locker-online')).toHaveAttribute('data-online', 'true', { timeout: 20_000 });
  const depositSlip = station(panel, 'counter-1').getByTestId('slip').first();
  await expect(depositSlip.getByTestId('slip-scan-locker-1')).toBeVisible();
  await depositSlip.getByTestId('slip-scan-locker-1').click();
  const deposited = locker.locator('.outcome-item').first();
  await expect(deposited).toHaveAttribute('data-tone', 'open');
  const compartment = (await deposited.getAttribute('data-compartment')) ?? '';
  const door = station(panel, 'locker-1').getByTestId(`door-${compartment}`);
  await expect(door).toHaveAttribute('data-open', 'true');
  await shot(locker, '07-locker-deposit-open');
  await door.getByTestId('door-close').click();
  await expect(door).toHaveAttribute('data-open', 'false');

  // The citizen's SMS, as the simulated gateway received it.
  const sms = panel.getByTestId('sms-message').filter({ hasText: '取件码' }).first();
  await expect(sms).toBeVisible({ timeout: 30_000 });
  await expect(sms).toContainText(`${compartment}号柜`);
  await expect(sms).toContainText('139****2323');
  await sms.scrollIntoViewIfNeeded();
  await shot(panel, '08-simulator-sms');

  // Pickup: the citizen's residence code on the locker's scanner; the door opens, and is shut by hand.
  await station(panel, 'locker-1').getByTestId('scan-residence').click();
  await expect(locker.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'open');
  await expect(door).toHaveAttribute('data-open', 'true');
  await shot(locker, '09-locker-pickup-open');
  await door.getByTestId('door-close').click();
  await expect(locker.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'ok');
  await expect(door).toHaveAttribute('data-open', 'false');
  await expect(panel.getByTestId('sms-message').filter({ hasText: '取出' }).first()).toBeVisible({ timeout: 30_000 });
  await shot(panel, '10-simulator-after-pickup');

  // A forged residence code at the locker is refused and opens nothing.
  await station(panel, 'locker-1').getByTestId('scan-forged').click();
  await expect(locker.locator('[data-outcome="refused"]')).toBeVisible();
  await expect(door).toHaveAttribute('data-open', 'false');

  // 5. Console: the hall manager sees the day.
  const consolePage = await signInConsole(browser, hall, 'hallmanager', 'nav-live');
  await shot(consolePage, '11-console');

  // English, for visitors.
  await panel.getByTestId('lang').click();
  await expect(panel.getByRole('heading', { name: 'Hall simulator (demo)' })).toBeVisible();
  await expect(station(panel, 'locker-1').getByTestId('scan-residence')).toHaveText("Scan the chosen citizen's valid residence code");
});
