import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { citizenIdHash } from '@hall/station/roles/kiosk';
import { asCitizenPlatform, type CentralApi, E2E_ID_HASH_KEY, type KioskStation } from './harness';
import { stationPage } from '../harness/stations';
import { PORTRAIT, shoot, syncSettled, typeKeys, typePinyin, typeTicketNumber, openKioskHall, type KioskHall } from './journeys';

/**
 * The kiosk as a citizen uses it: a real central API (demo hall, SQLite in a temp dir),
 * the kiosk station in browser mode with its ID-card reader, scanner and printer
 * simulated over socat pty pairs, and Debian's Chromium tapping the screen.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let hall: KioskHall;
let api: CentralApi;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser);
  ({ api, kiosk, page } = hall);
  await expect(page.getByTestId('hall-name')).toContainText('汕尾');
});

test.afterAll(async () => {
  await hall?.close();
});

async function lastJob(): Promise<string> {
  const jobs = await kiosk.printedJobs();
  return (jobs.at(-1) ?? []).join('\n');
}

async function home(): Promise<void> {
  if (await page.getByTestId('ticket-done').isVisible()) await page.getByTestId('ticket-done').click();
  else if (await page.getByTestId('nav-home').isVisible()) await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
}

test('takes a ticket with the ID card: priority for 60+, masked, printed, synced', async () => {
  await shoot(page, '01-home');
  await page.getByTestId('home-ticket').click();
  await expect(page.getByTestId('screen-identify')).toBeVisible();
  await shoot(page, '02-identify');

  const idNumber = await kiosk.placeCard({ birthDate: '1950-05-06', name: '测试长者', sex: 'male' });
  const identified = page.getByTestId('identified');
  await expect(identified).toBeVisible();
  await expect(identified).toContainText('测**者');
  await expect(page.getByTestId('masked-id')).toHaveText(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
  await expect(page.getByTestId('priority')).toBeVisible();
  // Neither the full number nor the full name ever reaches the screen.
  await expect(page.locator('body')).not.toContainText(idNumber);
  await expect(page.locator('body')).not.toContainText('测试长者');
  await shoot(page, '03-identified-elderly');

  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-services')).toBeVisible();
  await shoot(page, '04-services');
  await page.getByTestId('service-household-certificate').click();

  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  await expect(page.getByTestId('ticket-service')).toHaveText('户籍证明');
  await expect(page.getByTestId('ticket-card')).toContainText('绿色通道');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await shoot(page, '05-ticket');

  const printed = await lastJob();
  expect(printed).toContain(number);
  expect(printed).toContain('户籍证明');
  expect(printed).toContain('您前面还有');
  expect(printed).toMatch(/\[QR\] http/);
  expect(printed).not.toContain(idNumber);
  await syncSettled(page);
  await home();
  await kiosk.removeCard();
});

test('types the ID number on the keypad; a wrong check digit is refused, then a consultation ticket', async () => {
  await page.getByTestId('home-consultation').click();
  await page.getByTestId('identify-type').click();
  const good = await kiosk.placeCard({ birthDate: '1985-07-08', sequence: 7 }).then(async (n) => {
    await kiosk.removeCard();
    return n;
  });
  // The card above was only a way to get a valid generated number; the citizen types it.
  const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
  await typeKeys(page, bad);
  await page.getByTestId('key-done').click();
  await expect(page.getByTestId('id-error')).toContainText('校验位');
  await shoot(page, '06-identify-keypad-error');
  await page.getByTestId('key-clear').click();
  await typeKeys(page, good);
  await page.getByTestId('key-done').click();
  await expect(page.getByTestId('identified')).toBeVisible();
  await expect(page.getByTestId('masked-id')).toHaveText(`${good.slice(0, 4)}**********${good.slice(14)}`);
  await page.getByTestId('identify-continue').click();

  // Search by pinyin initials on the on-screen keyboard.
  await page.getByTestId('service-search').click();
  await typeKeys(page, 'hjzm');
  await expect(page.getByTestId('service-household-certificate')).toBeVisible();
  await expect(page.getByTestId('service-passport')).toHaveCount(0);
  await shoot(page, '07-services-search');
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await expect(page.getByTestId('ticket-card')).not.toContainText('绿色通道');
  await expect.poll(lastJob).toContain((await page.getByTestId('ticket-number').textContent()) ?? '?');
  await home();
});

/** The guided journey up to the filled form; shared by the online and offline tests. */
async function guidedFormJourney(screens: boolean, sequence: number): Promise<void> {
  await page.getByTestId('home-guided').click();
  await page.getByTestId('browse-theme').click();
  await page.getByTestId('group-户籍证明').click();
  if (screens) await shoot(page, '08-services-theme');
  await page.getByTestId('service-household-certificate').click();

  await expect(page.getByTestId('screen-questions')).toBeVisible();
  await expect(page.getByTestId('question-text')).toContainText('谁来办理');
  await expect(page.getByTestId('question-text')).toContainText('必答');
  if (screens) await shoot(page, '09-questions');
  await page.getByTestId('option-household-certificate.q.applicant.agent').click();
  await expect(page.getByTestId('question-text')).toContainText('哪一种证明');
  // Back goes one answer back, and a different answer is taken.
  await page.getByTestId('nav-back').click();
  await expect(page.getByTestId('question-text')).toContainText('谁来办理');
  await page.getByTestId('option-household-certificate.q.applicant.self').click();
  await page.getByTestId('option-household-certificate.q.kind.registration').click();

  await expect(page.getByTestId('screen-materials')).toBeVisible();
  await expect(page.getByTestId('situation')).toContainText('开具户籍证明');
  // "self" adds no power of attorney.
  await expect(page.getByTestId('material-household-certificate.m.attorney')).toHaveCount(0);
  await expect(page.getByTestId('material-household-certificate.m.application')).toContainText('空表');
  await page.getByTestId('print-notice').click();
  await expect(page.getByTestId('notice-status')).toBeVisible();
  if (screens) await shoot(page, '10-materials');

  await page.getByTestId('fill-form').click();
  await expect(page.getByTestId('screen-identify')).toBeVisible();
  await kiosk.placeCard({ birthDate: '1992-02-03', name: '测试申请人', sequence });
  await page.getByTestId('identify-continue').click();

  await expect(page.getByTestId('screen-form')).toBeVisible();
  await expect(page.getByTestId('prefilled-name')).toHaveText('测***人');
  await expect(page.getByTestId('prefilled-idNumber')).toContainText('**********');
  await expect(page.getByTestId('prefilled-householdAddress')).toContainText('****');
  // Review before filling: the required fields say so.
  await page.getByTestId('form-review').click();
  await expect(page.getByTestId('error-phone')).toContainText('必填');
  await page.getByTestId('input-phone').click();
  await typeKeys(page, '1380013');
  await page.getByTestId('key-done').click();
  await expect(page.getByTestId('error-phone')).toContainText('11位');
  await page.getByTestId('input-phone').click();
  await typeKeys(page, '8000');
  await page.getByTestId('choice-purpose-employment').click();
  await page.getByTestId('input-details').click();
  await typeKeys(page, 'hujizhengming');
  await typePinyin(page, '', '户籍证');
  // The last syllable's candidates are on screen for the picture.
  await expect(page.getByTestId('composing')).toHaveText('ming');
  if (screens) await shoot(page, '11-form-pinyin');
  await typePinyin(page, '', '明');
  await expect(page.getByTestId('input-details')).toHaveText('户籍证明');
  await page.getByTestId('choice-pickup-counter').click();
  await page.getByTestId('form-review').click();

  await expect(page.getByTestId('screen-review')).toBeVisible();
  await expect(page.getByTestId('review-phone')).toContainText('138****8000');
  await expect(page.getByTestId('review-details')).toContainText('户籍证明');
  if (screens) await shoot(page, '12-review');
  await page.getByTestId('review-submit').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
}

test('guided service: questions, materials, one-time notice, form with pinyin, submitted with the ticket', async () => {
  const jobsBefore = (await kiosk.printedJobs()).length;
  await guidedFormJourney(true, 11);
  await expect(page.getByTestId('submitted')).toContainText('已提交');
  await shoot(page, '13-ticket-submitted');
  // The one-time notice, then the ticket (its slip prints after the number is on screen).
  await expect.poll(async () => (await kiosk.printedJobs()).length).toBe(jobsBefore + 2);
  const jobs = await kiosk.printedJobs();
  const notice = (jobs.at(-2) ?? []).join('\n');
  expect(notice).toContain('户籍证明');
  expect(notice).toContain('居民身份证');
  expect((jobs.at(-1) ?? []).join('\n')).toContain((await page.getByTestId('ticket-number').textContent()) ?? '?');
  await syncSettled(page);
  await home();
  await kiosk.removeCard();
});

test('offline: tickets and forms keep working with the central API stopped and sync afterwards', async () => {
  await api.stop();
  const corner = page.getByTestId('sync-status');
  await expect(corner).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
  // No mesh peers here: the kiosk works alone, and says so calmly.
  await expect(corner).toHaveAttribute('data-mode', 'alone');
  await expect(corner.getByTestId('sync-label')).toHaveText('单机工作');

  await page.getByTestId('home-ticket').click();
  await kiosk.placeCard({ birthDate: '1988-08-08', sequence: 21 });
  await page.getByTestId('identify-continue').click();
  await page.getByTestId('service-passport').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^B\d{3}$/);
  await expect(page.getByTestId('offline-note')).toBeVisible();
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await expect.poll(lastJob).toContain(number);
  await shoot(page, '14-ticket-offline');
  await home();
  await kiosk.removeCard();

  await guidedFormJourney(false, 13);
  await expect(page.getByTestId('submitted')).toContainText('离线');
  const pending = Number(await corner.getAttribute('data-pending'));
  // Two tickets and one case wait for the link.
  expect(pending).toBeGreaterThanOrEqual(3);
  await home();
  await kiosk.removeCard();

  await api.restart();
  await syncSettled(page, 30_000);
  await expect(corner).toHaveAttribute('data-mode', 'connected');
  await expect(corner.getByTestId('sync-label')).toHaveText('已连接中心');
  // Back in touch, the kiosk reported the outage it worked through, with its own commits.
  await expect
    .poll(() => {
      const db = new Database(api.dbFile, { readonly: true });
      try {
        const rows = db.prepare("SELECT mode, max_peers AS maxPeers, local_mutations AS localMutations FROM sync_link_periods WHERE device_id = 'kiosk-e2e-1'").all() as { localMutations: number }[];
        // Two tickets and one case at least were committed during the outage.
        return rows.map((r) => ({ ...r, localMutations: r.localMutations >= 3 }));
      } finally {
        db.close();
      }
    })
    .toEqual([{ mode: 'alone', maxPeers: 0, localMutations: true }]);
});

test('a printer without paper is said in plain words; the screen keeps the ticket and reprint works', async () => {
  await kiosk.setPrinter({ paperOut: true });
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('identify-skip').click();
  await page.getByTestId('service-id-card-renewal').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'problem');
  await expect(page.getByTestId('print-status')).toContainText('打印机缺纸');
  await shoot(page, '15-ticket-printer-problem');
  await home();

  await kiosk.setPrinter({ paperOut: false });
  await page.getByTestId('home-reprint').click();
  await typeTicketNumber(page, 'Z99');
  await page.getByTestId('reprint-go').click();
  await expect(page.getByTestId('reprint-not-found')).toBeVisible();
  await page.getByTestId('key-clear').click();
  await typeTicketNumber(page, number);
  await expect(page.getByTestId('reprint-number')).toHaveText(number);
  await shoot(page, '16-reprint');
  await page.getByTestId('reprint-go').click();
  await expect(page.getByTestId('ticket-number')).toHaveText(number);
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await expect.poll(lastJob).toContain(number);
  await home();
});

test('a pickup ticket goes to the certificate pickup queue', async () => {
  await page.getByTestId('home-pickup').click();
  await kiosk.placeCard({ birthDate: '1991-01-01', sequence: 51 });
  await page.getByTestId('identify-continue').click();
  // Only matters whose result is collected later are offered.
  await expect(page.getByTestId('service-passport')).toBeVisible();
  await expect(page.getByTestId('service-household-certificate')).toHaveCount(0);
  await shoot(page, '21-pickup-services');
  await page.getByTestId('service-passport').click();
  await expect(page.getByTestId('ticket-number')).toHaveText(/^L\d{3}$/);
  await expect.poll(lastJob).toContain((await page.getByTestId('ticket-number').textContent()) ?? '?');
  await syncSettled(page);
  await home();
  await kiosk.removeCard();
});

test('a residence code identifies the citizen once; a replayed code is refused', async () => {
  const idNumber = await kiosk.placeCard({ birthDate: '1993-03-03', sequence: 61 });
  await kiosk.removeCard();
  const code = await asCitizenPlatform(api, idNumber);

  await page.getByTestId('home-ticket').click();
  await kiosk.sim('/scan', { code });
  await expect(page.getByTestId('residence-code')).toBeVisible();
  await shoot(page, '22-identified-residence-code');
  await page.getByTestId('identify-continue').click();
  await page.getByTestId('service-residence-permit').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await home();

  await page.getByTestId('home-ticket').click();
  await kiosk.sim('/scan', { code });
  await expect(page.getByRole('alert')).toContainText('二维码无效');
  await expect(page.getByTestId('identified')).toHaveCount(0);
  await page.getByTestId('nav-home').click();
});

test('a blacklisted citizen is told why and until when', async () => {
  const idNumber = await kiosk.placeCard({ birthDate: '1979-09-09', sequence: 41 });
  await kiosk.removeCard();
  // A city-wide entry as written before entries named their hall, straight into the API's database: this
  // kiosk hashes with a test key, not the API's (blacklist.e2e.ts adds entries through the console's
  // endpoint and checks the kiosk's offline list).
  const db = new Database(api.dbFile);
  db.prepare('insert into blacklist (id, id_hash, reason, from_date, until_date) values (?, ?, ?, ?, ?)').run(
    'bl-e2e-1',
    citizenIdHash(idNumber, E2E_ID_HASH_KEY),
    '多次预约未到',
    '2020-01-01',
    '2099-12-31',
  );
  db.close();
  await page.getByTestId('home-ticket').click();
  await kiosk.placeCard({ birthDate: '1979-09-09', sequence: 41 });
  await page.getByTestId('identify-continue').click();
  const jobsBefore = (await kiosk.printedJobs()).length;
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'blacklisted');
  await expect(page.getByTestId('refusal-text')).toContainText('多次预约未到');
  await expect(page.getByTestId('refusal-text')).toContainText('2099-12-31');
  await shoot(page, '20-refusal-blacklisted');
  expect((await kiosk.printedJobs()).length).toBe(jobsBefore);
  await page.getByTestId('refusal-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await kiosk.removeCard();
  // Nothing personal in the station's log.
  expect(kiosk.output()).not.toContain(idNumber);
});

test('idle timeout shows a countdown, then returns home and forgets the citizen', async () => {
  await page.goto(stationPage(kiosk.url, '/?idle=5000'));
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await page.getByTestId('home-ticket').click();
  await kiosk.placeCard({ birthDate: '1970-01-02', sequence: 31 });
  await expect(page.getByTestId('identified')).toBeVisible();
  await expect(page.getByTestId('idle-countdown')).toBeVisible({ timeout: 8_000 });
  await shoot(page, '17-idle-countdown');
  await expect(page.getByTestId('screen-home')).toBeVisible({ timeout: 8_000 });
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0);
  await page.getByTestId('home-ticket').click();
  await expect(page.getByTestId('place-card')).toBeVisible();
  await expect(page.getByTestId('identified')).toHaveCount(0);
  await page.getByTestId('nav-home').click();
  await kiosk.removeCard();
  await page.goto(kiosk.url);
});

test('English and elderly mode', async () => {
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('home-ticket')).toContainText('Take a ticket');
  await page.getByTestId('elderly-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-elderly', 'true');
  const height = (await page.getByTestId('home-ticket').boundingBox())?.height ?? 0;
  expect(height).toBeGreaterThanOrEqual(88);
  await shoot(page, '18-home-english-elderly');
  await page.getByTestId('home-guided').click();
  await shoot(page, '19-services-english-elderly');
  await page.getByTestId('nav-home').click();
  await page.getByTestId('language-toggle').click();
  await page.getByTestId('elderly-toggle').click();
  await expect(page.getByTestId('home-ticket')).toContainText('取号');
});

test('a page without the station token, or with a wrong one, says so instead of waiting for the station', async ({ browser }) => {
  const { origin } = new URL(kiosk.url);
  // A fresh page each time: a change of fragment alone would not load the page again.
  for (const url of [`${origin}/`, `${origin}/#token=${'A'.repeat(43)}`, kiosk.url]) {
    const visitor = await browser.newPage({ viewport: PORTRAIT });
    await visitor.goto(url);
    const notice = visitor.getByTestId('station-unauthorised');
    if (url === kiosk.url) {
      await expect(visitor.getByTestId('screen-home')).toBeVisible();
      await expect(notice).toHaveCount(0);
    } else {
      await expect(notice).toContainText('此页面未获授权连接本机终端');
      await expect(notice).toContainText('This page is not authorised to drive this station');
      await expect(visitor.getByTestId('screen-home')).toHaveCount(0);
    }
    await visitor.close();
  }
});
