import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { CentralApi, ensureRendererBuilt, KioskStation, tempDir } from './harness';
import { PORTRAIT, shoot, syncSettled } from './journeys';

/**
 * Polite refusals the kiosk gives before printing anything: the hall is closed (and when
 * it opens), a service's daily cap is used up (and when tickets come again). The hall is
 * configured in the central API's database before the kiosks fetch their catalogue.
 * (The blacklist refusal is in kiosk.e2e.ts.)
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const ZONE = 'Asia/Shanghai';
let dir: ReturnType<typeof tempDir>;
let api: CentralApi;
const opened: { station: KioskStation; page: Page }[] = [];

async function openKiosk(browser: Browser, deviceId: string, keepOpeningHours: boolean) {
  const station = await KioskStation.start(api, `${dir.path}/${deviceId}`, deviceId, 400, keepOpeningHours ? { HALL_KIOSK_IGNORE_HOURS: '0' } : {});
  const page = await browser.newPage({ viewport: PORTRAIT });
  await page.goto(station.url);
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await syncSettled(page);
  opened.push({ station, page });
  return { station, page };
}

/** The hall-local date `days` from today. */
function localDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ensureRendererBuilt();
  dir = tempDir();
  api = await CentralApi.start(dir.path);
  // Open one minute a day, every day: closed now (unless the test runs at 00:00 Beijing time), open again at midnight.
  const db = new Database(api.dbFile);
  db.prepare('update halls set opening_hours_json = ?').run(JSON.stringify({ weekdays: [1, 2, 3, 4, 5, 6, 7], sessions: [{ from: '00:00', to: '00:01' }] }));
  db.prepare("update services set daily_cap = 1 where id = 'hk-macao-permit'").run();
  db.close();
});

test.afterAll(async () => {
  for (const { station, page } of opened) {
    await page.close();
    await station.stop();
  }
  await api?.stop();
  dir?.remove();
});

async function takeTicket(page: Page, serviceId: string): Promise<void> {
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('identify-skip').click();
  await page.getByTestId(`service-${serviceId}`).click();
}

test('a closed hall says when it opens and prints nothing', async ({ browser }) => {
  const { page, station } = await openKiosk(browser, 'kiosk-e2e-hours', true);
  await takeTicket(page, 'household-certificate');
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'closed');
  await expect(page.getByTestId('refusal-text')).toContainText('不在服务时间');
  await expect(page.getByTestId('refusal-text')).toContainText(`${localDate(1)} 00:00`);
  await shoot(page, '28-refusal-closed');
  expect(await station.printedJobs()).toHaveLength(0);
  await page.getByTestId('refusal-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});

test('a service whose daily cap is used up says so and when tickets come again', async ({ browser }) => {
  const { page, station } = await openKiosk(browser, 'kiosk-e2e-cap', false);
  await takeTicket(page, 'hk-macao-permit');
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await page.getByTestId('ticket-done').click();
  const printed = (await station.printedJobs()).length;

  await takeTicket(page, 'hk-macao-permit');
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'daily_cap_reached');
  await expect(page.getByTestId('refusal-text')).toContainText('“往来港澳通行证及签注”今日号源已取完');
  await expect(page.getByTestId('refusal-text')).toContainText(`${localDate(1)} 00:00`);
  await shoot(page, '29-refusal-daily-cap');
  expect(await station.printedJobs()).toHaveLength(printed);
  await page.getByTestId('refusal-done').click();
  // Other services still issue.
  await takeTicket(page, 'household-certificate');
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await page.getByTestId('ticket-done').click();
});
