import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { waitUntil } from '../harness/stations';
import { householdServiceWithTree, issueAtKiosk, signIn as signInAtCounter, stationKnows, useCounterHall } from '../counter/counterHall';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/**
 * Issue 20's statistics in the console read what the hall did in this run: a kiosk issues
 * tickets, a counter station serves one and pauses, and the 统计 page shows the theme's
 * figures for the half-year and the counter's pause (nothing written to the tables by hand).
 */
test.beforeAll(() => buildConsole());
const running = useCounterHall(['counter.2']);

test('themes by half-year and the counter’s pauses come from the counter’s own activity', async ({ page }) => {
  test.setTimeout(150_000);
  const { hall, counter } = running();
  const { runtime } = counter;
  const service = householdServiceWithTree(hall.kiosk);
  const first = await issueAtKiosk(hall.kiosk, service, 81, false);
  await issueAtKiosk(hall.kiosk, service, 82, false);
  await stationKnows(counter, first.ticket.id);

  // The clerk signs in at the window (which opens it), calls, serves and finishes one ticket.
  await signInAtCounter(await page.context().newPage(), counter, 'clerk2');
  const core = runtime.core;
  core.ticketCommand('callSpecific', first.ticket.id);
  counter.role.startServing(first.ticket.id);
  counter.role.finish(first.ticket.id);
  core.counterCommand('pauseCounter', '业务培训');
  core.counterCommand('resumeCounter');
  await waitUntil('counter pushed its day', () => core.store.outboxCounts().pending === 0, 20_000);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, hall.central, 'hallmanager');
  await page.getByTestId('nav-stats').click();
  const half = `${new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4)}-H${Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(5, 7)) <= 6 ? 1 : 2}`;
  const row = page.getByTestId(`trend-${service.theme}-${half}`);
  await expect(row.locator('td').nth(2)).toHaveText('2');
  await expect(row.locator('td').nth(3)).toHaveText('1');
  const hours = page.getByTestId('hours-counter.2');
  await expect(hours.locator('td').nth(1)).toHaveText('1');
  await expect(hours.locator('td').nth(3)).toContainText('业务培训');
  // No city platform in this run: the ratings wait, and the page says so.
  await expect(page.getByTestId('rating-outbox')).toContainText('尚未配置市级好差评平台地址');
  await page.getByTestId('trend-stats').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'stats-themes-counter-hours.png'), fullPage: true });
});
