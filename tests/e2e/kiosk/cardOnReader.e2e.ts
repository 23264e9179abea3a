import { expect, test, type Page } from '@playwright/test';
import type { KioskStation } from './harness';
import { openKioskHall, shoot, type KioskHall } from './journeys';

/**
 * A card put down before the identify screen opens: the reader tells of a card only once, when
 * placed, so the screen asks the station for the card lying there. A citizen whose card started
 * "take a ticket" on the home screen goes back and chooses 预约签到 instead, card still down.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let hall: KioskHall;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  hall = await openKioskHall(browser, { stationDir: 'kiosk-e2e-card', deviceId: 'kiosk-e2e-card' });
  ({ kiosk, page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
});

test('a card already on the reader identifies the citizen when the identify screen opens, without lifting it', async () => {
  const card = { birthDate: '1966-06-16', sequence: 27 };
  await kiosk.placeCard(card);
  // On the home screen the card starts "take a ticket" at once.
  await expect(page.getByTestId('identified')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();

  // The card still lies there: no new placement, no reader event.
  await page.getByTestId('home-appointment').click();
  await expect(page.getByTestId('identified')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('place-card')).toHaveCount(0);
  await shoot(page, '45-identify-card-already-on-reader');
  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-appointment')).toBeVisible();
  await page.getByTestId('nav-home').click();

  // Lifted, it is forgotten: the next identify screen waits for a card.
  await kiosk.removeCard();
  await expect
    .poll(async () => {
      await page.getByTestId('home-ticket').click();
      const waiting = await page.getByTestId('place-card').isVisible();
      await page.getByTestId('nav-home').click();
      return waiting;
    }, { timeout: 10_000 })
    .toBe(true);
  expect(kiosk.output()).not.toContain(kiosk.cardIdNumber(card));
});

test('a card left on the reader after 完成 is not offered to the next citizen', async () => {
  const card = { birthDate: '1971-03-09', sequence: 41 };
  await kiosk.placeCard(card);
  await expect(page.getByTestId('identified')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('identify-continue').click();
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();

  // The card still lies there, but the next citizen's identify screen waits for their own.
  await page.getByTestId('home-appointment').click();
  await expect(page.getByTestId('place-card')).toBeVisible();
  await expect(page.getByTestId('identified')).toHaveCount(0);
  await page.getByTestId('nav-home').click();
  await kiosk.removeCard();
});
