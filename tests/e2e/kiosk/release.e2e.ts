import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { buildConsole, SCREENSHOTS as CONSOLE_SHOTS } from '../console/build';
import { type CentralApi } from './harness';
import { LANDSCAPE, shoot, syncSettled, openKioskHall, type KioskHall } from './journeys';

/**
 * 现场号/特殊号 with a release password (放号密码): the hall manager makes one in the console
 * (the real central API, demo hall), the floor guide types it at the kiosk while the central
 * API is stopped, the special ticket is issued offline, and once the API is back the console
 * lists it; the same single-use password is refused a second time.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let hall: KioskHall;
let dir: KioskHall['dir'];
let api: CentralApi;
let page: Page;
let console_: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  buildConsole();
  hall = await openKioskHall(browser);
  ({ dir, api, page } = hall);
  console_ = await browser.newPage({ viewport: LANDSCAPE });
});

test.afterAll(async () => {
  await console_?.close();
  await hall?.close();
});

/** The release verifiers the kiosk station holds (its catalogue copy), without the code. */
function kioskReleases(): { id: string; used: number }[] {
  const db = new Database(join(dir.path, 'kiosk', 'station.db'), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'catalogueReleases'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as { id: string; used: number }[]) : [];
  } finally {
    db.close();
  }
}

async function typeCode(code: string): Promise<void> {
  const keypad = page.getByTestId('screen-release');
  for (const digit of code) await keypad.getByRole('button', { name: digit, exact: true }).click();
  await keypad.getByRole('button', { name: /确认/ }).click();
}

test('a special ticket released offline with a console password, listed once the API is back; a second use is refused', async () => {
  // The hall manager makes a single-use special password for persons with disabilities.
  await console_.goto(`${api.url}/console/`);
  await console_.locator('input[name=login]').fill('hallmanager');
  await console_.locator('input[name=password]').fill('demo-hallmanager');
  await console_.getByRole('button', { name: '登录' }).click();
  await console_.getByTestId('nav-release').click();
  await expect(console_.getByTestId('release-group')).toContainText('残疾人');
  await console_.getByTestId('release-group').selectOption('priority.disabled');
  await console_.getByTestId('release-create').click();
  const code = (await console_.getByTestId('release-code').textContent()) ?? '';
  expect(code).toMatch(/^\d{8}$/);
  // Listed masked: the code is on screen once, in the answer to its creation.
  await expect(console_.getByTestId('release-password-1')).toContainText('••••••••');
  await expect(console_.getByTestId('release-password-1')).not.toContainText(code);
  await console_.screenshot({ path: join(CONSOLE_SHOTS, '20-release-created.png') });

  // The console's change pokes the kiosk, which fetches the verifier while the link is up.
  await expect.poll(() => kioskReleases().length, { timeout: 15_000 }).toBe(1);
  expect(JSON.stringify(kioskReleases())).not.toContain(code);

  await api.stop();
  const corner = page.getByTestId('sync-status');
  await expect(corner).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });

  // A wrong password first: said in Chinese, then English.
  await shoot(page, '29-home-release-entry');
  await page.getByTestId('home-release').click();
  await expect(page.getByTestId('screen-release')).toBeVisible();
  await shoot(page, '30-release-keypad');
  await typeCode(code === '00000000' ? '11111111' : '00000000');
  await expect(page.getByTestId('release-problem')).toHaveAttribute('data-problem', 'release_wrong');
  await expect(page.getByTestId('release-problem')).toContainText('密码错误');
  await expect(page.getByTestId('release-problem')).toContainText('Wrong password');
  await shoot(page, '31-release-wrong');

  await typeCode(code);
  await expect(page.getByTestId('release-granted')).toContainText('特殊号');
  await expect(page.getByTestId('release-group')).toContainText('残疾人');
  await page.getByTestId('release-reason-disability').click();
  await shoot(page, '32-release-reason');
  await page.getByTestId('release-service-passport').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^[A-Z]\d{3}$/);
  await expect(page.getByTestId('offline-note')).toBeVisible();
  await page.getByTestId('ticket-done').click();

  // The same single-use password again, still offline: refused at the kiosk.
  await page.getByTestId('home-release').click();
  await typeCode(code);
  await expect(page.getByTestId('release-problem')).toHaveAttribute('data-problem', 'release_used');
  await expect(page.getByTestId('release-problem')).toContainText('已用完');
  await shoot(page, '33-release-used');
  await page.getByTestId('nav-home').or(page.getByRole('button', { name: /返回/ })).first().click();

  // The API returns: the ticket syncs, and the console lists it for supervision.
  await api.restart();
  await syncSettled(page, 30_000);
  await console_.reload();
  await console_.getByTestId('released-load').click();
  const row = console_.getByTestId('released-ticket');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row).toContainText(number);
  await expect(row).toContainText('特殊号');
  await expect(row).toContainText('残疾人');
  await expect(row).toContainText('kiosk-e2e-1');
  await expect(console_.getByTestId('release-password-1')).toContainText('1/1');
  await console_.getByTestId('released-kind').selectOption('on_site');
  await console_.getByTestId('released-load').click();
  await expect(console_.getByTestId('released-ticket')).toHaveCount(0);
  await console_.getByTestId('released-kind').selectOption('special');
  await console_.getByTestId('released-load').click();
  await expect(console_.getByTestId('released-ticket')).toHaveCount(1);
  await console_.screenshot({ path: join(CONSOLE_SHOTS, '21-released-tickets.png') });
});
