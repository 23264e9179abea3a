import { expect, test, type Page } from '@playwright/test';
import { SmsGatewaySimulator } from '../../../apps/server/src/sms/simulator';
import { waitUntil } from '../harness/stations';
import { shoot, syncSettled, typeKeys, openKioskHall, type KioskHall } from './journeys';

/**
 * Issue 18, 到号前短信提醒: after taking a ticket the citizen taps the big button, types a
 * mobile number on the on-screen keypad (a wrong one is said plainly and cannot be sent),
 * and the SMS reaches the gateway simulator through the central API's outbox. With the
 * demo hall's N (3) and nobody ahead, it goes at once.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const gateway = new SmsGatewaySimulator();
const saved = { url: process.env.HALL_SMS_GATEWAY_URL, interval: process.env.HALL_SMS_INTERVAL_MS };
// Built from parts so no whole mobile number sits in the source.
const PHONE = ['139', '0050', '6677'].join('');
let hall: KioskHall;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  // The central API (a child process) inherits these: it sends through the simulator.
  process.env.HALL_SMS_GATEWAY_URL = await gateway.start();
  process.env.HALL_SMS_INTERVAL_MS = '200';
  hall = await openKioskHall(browser);
  ({ page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
  await gateway.close();
  for (const [key, value] of [['HALL_SMS_GATEWAY_URL', saved.url], ['HALL_SMS_INTERVAL_MS', saved.interval]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

test('a phone typed on the keypad after taking a ticket gets the "people ahead" SMS, once', async () => {
  await page.getByTestId('home-ticket').click();
  await hall.kiosk.placeCard({ birthDate: '1948-02-03', name: '测试长者', sex: 'female', sequence: 61 });
  await page.getByTestId('identify-continue').click();
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  await hall.kiosk.removeCard();
  await expect(page.getByTestId('position-sms-offer')).toContainText('到号前短信提醒我');
  await shoot(page, '80-position-sms-offer');

  await page.getByTestId('position-sms-offer').click();
  await expect(page.getByTestId('position-sms-keypad')).toBeVisible();
  // Not a mobile number (12…): said in plain words, and OK stays disabled.
  await typeKeys(page, '12345678901');
  await expect(page.getByTestId('position-sms-invalid')).toContainText('11 位手机号码');
  await expect(page.getByTestId('position-sms-confirm')).toBeDisabled();
  await shoot(page, '81-position-sms-invalid');
  await page.getByTestId('key-clear').click();
  await typeKeys(page, PHONE);
  await expect(page.getByTestId('position-sms-phone')).toHaveText('139 0050 6677');
  await expect(page.getByTestId('position-sms-confirm')).toBeEnabled();
  await shoot(page, '82-position-sms-keypad');
  await page.getByTestId('position-sms-confirm').click();

  // Afterwards the screen shows the number masked only.
  await expect(page.getByTestId('position-sms-done')).toContainText('139****6677');
  await expect(page.locator('body')).not.toContainText(PHONE);
  await expect(page.locator('body')).not.toContainText('139 0050 6677');
  await shoot(page, '83-position-sms-done');
  await syncSettled(page);

  await waitUntil('the people-ahead SMS at the gateway', () => gateway.messages.some((m) => m.to === PHONE), 15_000);
  const [message, ...more] = gateway.messages.filter((m) => m.to === PHONE);
  expect(message!.text).toBe(`【政务服务大厅】您的号码${number}前面还有0人，即将叫号，请回到等候区留意叫号屏。`);
  // The outbox key names the ticket: later pokes and sweeps send nothing more.
  await page.waitForTimeout(1500);
  expect(more).toHaveLength(0);
  expect(gateway.messages.filter((m) => m.to === PHONE)).toHaveLength(1);
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});
