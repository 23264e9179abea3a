import { expect, test } from '@playwright/test';
import { openKioskHall, PORTRAIT, type KioskHall } from './journeys';

/**
 * A citizen may tap before the page has the hall's catalogue (a kiosk just started, a
 * station slow to answer). The screens that read the hall's priority groups then had none,
 * and a selector that made a fresh empty list on every read re-rendered without end (React
 * error #185): the tap did nothing and the page was dead.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let hall: KioskHall;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser, { deviceId: 'kiosk-early-tap-1' });
});

test.afterAll(async () => {
  await hall?.close();
});

test('a tap before the catalogue arrived opens the identify screen and takes no page down', async ({ browser }) => {
  const page = await browser.newPage({ viewport: PORTRAIT });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The station link works, except that the catalogue is never answered.
  await page.routeWebSocket(/.*/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"catalogue.get"')) return;
      server.send(message);
    });
  });
  await page.goto(hall.kiosk.url);
  await page.getByTestId('home-ticket').click();
  await expect(page.getByTestId('identify-skip')).toBeVisible();
  expect(errors).toEqual([]);
  await page.close();
});
