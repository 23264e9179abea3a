import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildConsole, SCREENSHOTS as CONSOLE_SHOTS } from '../console/build';
import { signIn as consoleSignIn } from '../console/hall';
import { waitUntil } from '../harness/stations';
import { shot, startCounterHall, type CounterHall } from './counterHall';

/**
 * 系统通知公告 (issue 20): the hall manager posts a notice to staff in the console; clerk 1
 * signs in at a counter and must press 已阅 before working. The central API goes away before
 * the press: the read holds at the counter (signed out and in again, offline, the notice is
 * gone) and reaches the console, which counts one reader, once the API is back.
 */
let hall: CounterHall;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  hall = await startCounterHall(['counter.1']);
});

test.afterAll(async () => {
  await hall?.close();
});

test('a notice to staff stands at sign-in until the clerk reads it, and the console counts the read', async ({ context }) => {
  test.setTimeout(120_000);
  const station = hall.counters.get('counter.1');
  if (!station) throw new Error('counter missing');

  const consolePage = await context.newPage();
  await consolePage.setViewportSize({ width: 1440, height: 900 });
  await consoleSignIn(consolePage, hall.central, 'hallmanager');
  await consolePage.getByTestId('nav-notices').click();
  const section = consolePage.getByTestId('staff-announcements');
  await section.getByTestId('sa-title').fill('本周六延时服务');
  await section.getByTestId('sa-body').fill('本周六上午9:00至12:00各窗口照常办理，请按时到岗。');
  await section.getByTestId('sa-audience').selectOption('clerk');
  await section.getByTestId('sa-post').click();
  const row = section.getByTestId('sa-row').filter({ hasText: '本周六延时服务' });
  await expect(row.getByTestId('sa-reads')).toHaveText(/^0 \/ \d+ 人已阅$/);

  // The poke brings the new catalogue to the counter without waiting for a poll.
  await waitUntil('the counter has the notice', () => (station.runtime.core.store.catalogue?.staffAnnouncements ?? []).length === 1, 20_000);

  const desk = await context.newPage();
  await desk.setViewportSize({ width: 1920, height: 1080 });
  await desk.goto(station.url ?? '');
  await desk.getByTestId('login-name').fill('clerk1');
  await desk.getByTestId('login-password').fill('demo-clerk1');
  await desk.getByTestId('login-submit').click();
  const modal = desk.getByTestId('staff-announcement');
  await expect(modal).toBeVisible();
  await expect(modal).toContainText('本周六延时服务');
  await expect(modal).toContainText('请按时到岗');
  await shot(desk, '30-staff-notice');

  await hall.central.stop();
  await waitUntil('the counter sees the outage', () => !station.runtime.sync.status().online, 20_000);
  await modal.getByTestId('announcement-read').click();
  await expect(modal).toBeHidden();

  await desk.getByTestId('logout').click();
  await expect(desk.getByTestId('login-screen')).toBeVisible();
  await desk.getByTestId('login-name').fill('clerk1');
  await desk.getByTestId('login-password').fill('demo-clerk1');
  await desk.getByTestId('login-submit').click();
  await expect(desk.getByTestId('counter-header')).toBeVisible();
  await expect(desk.getByTestId('hdr-clerk')).toContainText('离线登录');
  // Absence needs a moment: the desk asks the station for unread notices right after sign-in.
  await desk.waitForTimeout(1_500);
  await expect(desk.getByTestId('staff-announcement')).toHaveCount(0);

  // Back online, the 已阅 syncs as the clerk's proven mutation: the console counts one reader.
  await hall.central.start();
  await expect
    .poll(
      async () => {
        await consolePage.reload();
        await consolePage.getByTestId('nav-notices').click();
        return consolePage.getByTestId('sa-row').filter({ hasText: '本周六延时服务' }).getByTestId('sa-reads').textContent();
      },
      { timeout: 20_000 },
    )
    .toMatch(/^1 \/ \d+ 人已阅$/);
  await consolePage.getByTestId('staff-announcements').scrollIntoViewIfNeeded();
  await consolePage.screenshot({ path: join(CONSOLE_SHOTS, 'staff-announcements.png'), fullPage: true });
});
