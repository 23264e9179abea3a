import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { followLinkSigner } from '@hall/station/roles/kiosk';
import { householdServiceWithTree, issueAtKiosk, signIn, startCounterHall, stationKnows, type CounterHall } from '../counter/counterHall';
import { screenshotDir } from '../harness/screenshots';

/**
 * Issue 18, follow my ticket: a citizen scans the slip's QR on a phone (390×844) and
 * watches the queue move as window 2 calls, without reloading; the call "请到 2 号窗口"
 * appears within a second of the clerk's key press.
 */
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = screenshotDir('phone');
let hall: CounterHall;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  hall = await startCounterHall(['counter.2']);
});
test.afterAll(async () => hall?.close());

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

test('the follow page counts down as window 2 calls and shows the call without a reload', async ({ browser }) => {
  test.setTimeout(120_000);
  const counter = hall.counters.get('counter.2')!;
  const service = householdServiceWithTree(hall.kiosk);
  const first = (await issueAtKiosk(hall.kiosk, service, 31, false)).ticket;
  const mine = (await issueAtKiosk(hall.kiosk, service, 32, false)).ticket;
  await stationKnows(counter, mine.id);
  // The link the kiosk prints on the slip (its role signs it the same way, followLink.ts).
  const link = `${hall.central.url}/follow/${followLinkSigner(hall.citizenKey)(mine.id)}`;

  const phoneContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await phone.goto(link);
  await expect(phone.getByTestId('follow-number')).toHaveText(mine.number);
  await expect(phone.getByTestId('follow-ahead')).toHaveText('1');
  await expect(phone.getByTestId('follow-link')).toHaveText('实时更新中');
  await shot(phone, 'follow-01-waiting');
  let loads = 0;
  phone.on('load', () => (loads += 1));

  const desk = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
  await signIn(desk, counter, 'clerk2');
  await desk.keyboard.press('F1');
  await expect(desk.getByTestId('hdr-current')).toHaveText(first.number);
  await expect(phone.getByTestId('follow-ahead')).toHaveText('0');

  // The first citizen does not come: 过号, then 顺呼 reaches the followed ticket.
  await expect(desk.getByTestId('act-missed')).toBeEnabled({ timeout: 5000 });
  await desk.keyboard.press('F3');
  await expect(desk.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
  await desk.keyboard.press('F1');
  await expect(desk.getByTestId('hdr-current')).toHaveText(mine.number);
  await expect(phone.getByTestId('follow-call')).toHaveText('请到 2 号窗口', { timeout: 1000 });
  expect(loads).toBe(0);
  await shot(phone, 'follow-02-called');

  await phone.getByRole('button', { name: 'English' }).click();
  await expect(phone.getByTestId('follow-call')).toHaveText('Please go to window 2');
  await shot(phone, 'follow-03-called-english');
  await phone.getByRole('button', { name: '中文' }).click();

  // An altered link shows why, and nothing of any ticket.
  await phone.goto(`${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`);
  await expect(phone.getByTestId('follow-invalid')).toContainText('链接无效');
  await expect(phone.getByTestId('follow-number')).toHaveCount(0);
  await shot(phone, 'follow-04-invalid-link');
  await phoneContext.close();
  await desk.context().close();
});
