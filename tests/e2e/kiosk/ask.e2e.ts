import { expect, test, type Page } from '@playwright/test';
import { type KioskStation } from './harness';
import { shoot, typePinyin, openKioskHall, type KioskHall } from './journeys';

/**
 * "Ask in your own words" as a citizen uses it: the demo hall on a real central API, the
 * kiosk station in browser mode, the question typed on the on-screen pinyin keyboard.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let hall: KioskHall;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser);
  ({ kiosk, page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
});

test('孩子出生了怎么上户口 typed on the pinyin keyboard leads to birth registration, born in wedlock, and its form', async () => {
  await shoot(page, '40-home-ask');
  await page.getByTestId('home-ask').click();
  await expect(page.getByTestId('screen-ask')).toBeVisible();

  await typePinyin(page, 'haizichushengle', '孩子出生了');
  await typePinyin(page, 'zenmeshanghukou', '怎么上户口');
  await expect(page.getByTestId('ask-input')).toHaveValue('孩子出生了怎么上户口');

  const first = page.getByTestId('ask-result').first();
  await expect(first).toHaveAttribute('data-service', 'birth-registration');
  await expect(first).toHaveAttribute('data-situation', 'birth-registration.s.married');
  await expect(first).toContainText('出生登记');
  await expect(first).toContainText('婚内生育');
  await shoot(page, '41-ask-results');
  await first.click();

  // The situation's questions are answered already: straight to its materials.
  await expect(page.getByTestId('screen-materials')).toBeVisible();
  await expect(page.getByTestId('situation')).toContainText('国(境)内出生,婚内生育');
  await page.getByTestId('fill-form').click();
  await expect(page.getByTestId('screen-identify')).toBeVisible();
  await kiosk.placeCard({ birthDate: '1990-05-06', name: '测试家长', sequence: 31 });
  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-form')).toBeVisible();
  await expect(page.getByTestId('field-birthCertificateNo')).toBeVisible();
  await kiosk.removeCard();
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});

test('a question that names no service says so; the accessible input and browsing still work', async () => {
  await page.getByTestId('home-ask').click();
  await page.getByTestId('ask-input').fill('今天天气');
  await expect(page.getByTestId('ask-none')).toBeVisible();
  await expect(page.getByTestId('ask-result')).toHaveCount(0);
  await page.getByTestId('ask-input').fill('护照丢了');
  await expect(page.getByTestId('ask-result').first()).toHaveAttribute('data-situation', 'passport.s.replace');
  await page.getByTestId('ask-browse').click();
  await expect(page.getByTestId('screen-services')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});
