import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber, type Service } from '@hall/shared';
import { SmsGatewaySimulator } from '../../../apps/server/src/sms/simulator';
import { demoHall } from '../../../apps/server/src/demo/index';
import { startHallCentral, type HallCentral } from '../harness/central';
import { screenshotDir } from '../harness/screenshots';
import { waitUntil } from '../harness/stations';
import { buildConsole } from '../console/build';
import { signIn as consoleSignIn } from '../console/hall';

/**
 * Issue 18, book a visit: the hall manager opens a service for booking in the console; a
 * citizen on a phone (390×844) proves the number with the code the SMS gateway simulator
 * received, books a slot, gets the confirmation SMS, moves it, books another and cancels it.
 */
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = screenshotDir('phone');
const CONSOLE_SCREENSHOTS = screenshotDir('console');
const gateway = new SmsGatewaySimulator();
let central: HallCentral;
let service: Service;
const saved = { url: process.env.HALL_SMS_GATEWAY_URL, interval: process.env.HALL_SMS_INTERVAL_MS };

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  // The central API sends through the simulator, as it would through a real gateway.
  process.env.HALL_SMS_GATEWAY_URL = await gateway.start();
  process.env.HALL_SMS_INTERVAL_MS = '200';
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  const services = (await (await fetch(`${central.url}/api/v1/services?hallId=${central.hallId}`)).json()) as { services: Service[] };
  service = services.services.find((s) => s.name.zh === '户籍证明')!;
});

test.afterAll(async () => {
  await central?.close();
  await gateway.close();
  for (const [key, value] of [['HALL_SMS_GATEWAY_URL', saved.url], ['HALL_SMS_INTERVAL_MS', saved.interval]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function shot(page: Page, dir: string, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

async function smsTo(phone: string, pattern: RegExp): Promise<string> {
  let text = '';
  await waitUntil(`an SMS to the citizen matching ${pattern}`, () => {
    text = gateway.messages.filter((m) => m.to === phone && pattern.test(m.text)).at(-1)?.text ?? '';
    return text !== '';
  }, 15_000);
  return text;
}

/** Picks the last open day offered (never today, whose slots may have begun) and its first free slot. */
async function pickLastDayFirstSlot(phone: Page): Promise<string> {
  const days = phone.getByTestId('book-days').locator('button:enabled');
  await expect(days.first()).toBeVisible();
  await days.last().click();
  const slot = phone.getByTestId('book-slots').locator('button:enabled').first();
  await expect(slot).toBeVisible();
  const label = (await slot.textContent()) ?? '';
  await slot.click();
  return label.slice(0, 11);
}

test('a manager opens booking; a citizen books by SMS code, moves, books another and cancels it', async ({ browser, page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 900 });
  await consoleSignIn(page, central, 'hallmanager');
  await page.getByTestId('nav-booking').click();
  await page.getByTestId(`booking-enabled-${service.id}`).check();
  await page.getByTestId(`booking-capacityPerSlot-${service.id}`).fill('2');
  await page.getByTestId(`booking-save-${service.id}`).click();
  await expect(page.getByTestId('booking-message')).toHaveText('已保存');
  await shot(page, CONSOLE_SCREENSHOTS, 'booking-settings');

  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(`${central.url}/book/${central.hallId}`);
  await expect(phone.getByRole('heading', { name: demoHall.hall.name.zh })).toBeVisible();
  const number = '13812340001';
  await phone.getByTestId('book-phone').fill(number);
  await phone.getByTestId('book-send-code').click();
  await expect(phone.getByTestId('book-note')).toHaveText('验证码已发送，请查看短信。');
  await expect(phone.getByTestId('book-send-code')).toBeDisabled();
  const code = /验证码为(\d{6})/.exec(await smsTo(number, /验证码/))![1]!;
  await phone.getByTestId('book-code').fill(code === '000000' ? '111111' : '000000');
  await phone.getByTestId('book-name').fill('林预约');
  await phone.getByTestId('book-idNumber').fill(makeTestIdNumber({ regionCode: '441502', birthDate: '1984-02-03', sequence: 18 }));
  await phone.getByTestId('book-sign-in').click();
  await expect(phone.getByTestId('book-note')).toHaveText('验证码不正确。');
  await shot(phone, SCREENSHOTS, 'book-01-sign-in');
  await phone.getByTestId('book-code').fill(code);
  await phone.getByTestId('book-sign-in').click();
  await expect(phone.getByTestId('book-who')).toContainText('林*约 · 138****0001');

  await phone.getByTestId(`book-service-${service.id}`).click();
  const when = await pickLastDayFirstSlot(phone);
  await shot(phone, SCREENSHOTS, 'book-02-pick-slot');
  await phone.getByTestId('book-confirm').click();
  await expect(phone.getByTestId('book-note')).toHaveText('预约成功，确认短信已发送。');
  const first = phone.getByTestId('booking').filter({ hasText: when });
  await expect(first).toHaveAttribute('data-status', 'booked');
  expect(await smsTo(number, /已预约/)).toContain(when.replace('-', '-'));
  await shot(phone, SCREENSHOTS, 'book-03-booked');

  // Move it to the next free slot of the same day.
  const id = ((await first.getByRole('button', { name: '改期' }).getAttribute('data-testid')) ?? '').replace('book-move-', '');
  await first.getByRole('button', { name: '改期' }).click();
  const days = phone.getByTestId('book-days').locator('button:enabled');
  await days.last().click();
  const next = phone.getByTestId('book-slots').locator('button:enabled').nth(1);
  const movedTo = ((await next.textContent()) ?? '').slice(0, 11);
  await next.click();
  await phone.getByTestId('book-confirm').click();
  await expect(phone.getByTestId('book-note')).toHaveText('已改期，短信已发送。');
  await expect(phone.getByTestId('booking').filter({ hasText: movedTo })).toHaveAttribute('data-status', 'booked');
  await smsTo(number, /已改到/);

  // Another booking on an earlier open day, then cancelled.
  await phone.getByTestId(`book-service-${service.id}`).click();
  await expect(phone.getByTestId('book-days').locator('button:enabled').first()).toBeVisible();
  const open = phone.getByTestId('book-days').locator('button:enabled');
  await open.nth((await open.count()) - 2).click();
  await phone.getByTestId('book-slots').locator('button:enabled').first().click();
  await phone.getByTestId('book-confirm').click();
  await expect(phone.getByTestId('booking')).toHaveCount(2);
  const other = phone.getByTestId('booking').filter({ hasNot: phone.getByTestId(`book-move-${id}`) });
  await other.getByRole('button', { name: '取消预约' }).click();
  await expect(phone.getByTestId('book-note')).toHaveText('已取消。');
  await expect(phone.getByTestId('booking').filter({ has: phone.getByText('已取消', { exact: true }) })).toHaveCount(1);
  await smsTo(number, /预约已取消/);
  await shot(phone, SCREENSHOTS, 'book-04-mine');

  await phone.getByRole('button', { name: 'English' }).click();
  await expect(phone.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  await expect(phone.getByTestId('book-note')).toHaveText('Cancelled.');
  await shot(phone, SCREENSHOTS, 'book-05-mine-english');
  await context.close();
});
