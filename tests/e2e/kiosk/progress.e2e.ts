import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { demoServices } from '../../../apps/server/src/demo/services/index';
import { citizenIdHash } from '@hall/station/roles/kiosk';
import { counterDevice, officer } from './counterCases';
import { type CentralApi, E2E_ID_HASH_KEY, type KioskStation } from './harness';
import { openKioskHall, shoot, syncSettled, type KioskHall } from './journeys';

/**
 * 办件进度查询 at the kiosk: cases accepted at a counter (over the real sync API, clerk-proven)
 * and moved on by an officer in the back office reach the kiosk; the citizen scans the
 * receipt's QR for one case, places the ID card for all of theirs (with the data centre
 * away), and a forged receipt is refused in plain words.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const HALL = 'hall.shanwei-psb';
const DEVICE = 'kiosk-e2e-progress';
// The sex is named: the simulator's default would move the sequence, and the number with it.
const CARD = { birthDate: '1948-03-03', sequence: 72, sex: 'female' as const };

let hall: KioskHall;
let api: CentralApi;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser, { stationDir: DEVICE, deviceId: DEVICE });
  ({ api, kiosk, page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
});

function service(id: string) {
  const found = demoServices.find((s) => s.id === id);
  if (!found) throw new Error(`no demo service ${id}`);
  return found;
}

test('a receipt QR shows its case, the ID card all of the citizen’s (offline), a forged receipt is refused', async () => {
  const idNumber = kiosk.cardIdNumber(CARD);
  const citizen = { maskedName: '陈*', idHash: citizenIdHash(idNumber, E2E_ID_HASH_KEY) };
  const someoneElse = { maskedName: '林*', idHash: citizenIdHash(kiosk.cardIdNumber({ birthDate: '1990-01-01', sequence: 72 }), E2E_ID_HASH_KEY) };
  const counter = await counterDevice(api, { id: 'counter-e2e-progress', hallId: HALL, counterId: 'counter.1', clerk: { login: 'clerk1', password: 'demo-clerk1' } });
  const permit = await counter.accept(service('residence-permit'), citizen, 'SW-E2E-0001');
  const renewal = await counter.accept(service('id-card-renewal'), citizen, 'SW-E2E-0002');
  const others = await counter.accept(service('residence-permit'), someoneElse, 'SW-E2E-0003');
  const decide = await officer(api, HALL, 'dept.household', 'officer-e2e-progress');
  await decide(permit.caseId, 'approve', { note: '符合条件' });
  await decide(permit.caseId, 'complete');
  await decide(renewal.caseId, 'supplement', { items: [{ note: '请补交近期免冠彩色照片' }] });

  await shoot(page, '50-progress-home');
  await page.getByTestId('home-progress').click();
  await expect(page.getByTestId('screen-progress')).toBeVisible();
  await shoot(page, '50-progress-prompt-screen');

  // The kiosk pulls the officer's steps; until then the receipt shows the older step, so scan again.
  const card = page.getByTestId(`progress-case-${permit.caseId}`);
  await expect(async () => {
    await kiosk.sim('/scan', { code: `hall:case:${permit.caseId}:${permit.receiptToken}` });
    await expect(card).toHaveAttribute('data-step', 'collect', { timeout: 1500 });
  }).toPass({ timeout: 20_000 });
  await expect(card.getByTestId('progress-status')).toHaveText('已办结，请到出件窗口领取');
  await expect(card).toContainText('SW-E2E-0001');
  await expect(card).toContainText('陈*');
  await expect(page.locator('.progress-card')).toHaveCount(1);
  await shoot(page, '51-progress-receipt');

  // A receipt with the right case id and a made-up token opens nothing.
  await kiosk.sim('/scan', { code: `hall:case:${permit.caseId}:${'A'.repeat(32)}` });
  await expect(page.getByTestId('progress-problem')).toHaveAttribute('data-problem', 'receipt_not_found');
  await expect(page.getByTestId('progress-problem')).toContainText('这张回执查不到办件');
  await expect(page.locator('.progress-card')).toHaveCount(0);
  await shoot(page, '52-progress-forged-receipt');

  // The data centre goes away: the card still finds the citizen's cases, newest first, nobody else's.
  await api.stop();
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await kiosk.placeCard({ ...CARD, name: '陈测试' });
  await expect(page.getByTestId('progress-count')).toContainText('2');
  const cards = page.locator('.progress-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toHaveAttribute('data-testid', `progress-case-${renewal.caseId}`);
  await expect(cards.nth(0)).toHaveAttribute('data-step', 'supplement');
  await expect(cards.nth(0).getByTestId('progress-missing')).toContainText('请补交近期免冠彩色照片');
  await expect(cards.nth(0).getByTestId('progress-due')).toContainText('请在');
  await expect(cards.nth(1)).toHaveAttribute('data-testid', `progress-case-${permit.caseId}`);
  await expect(page.getByTestId(`progress-case-${others.caseId}`)).toHaveCount(0);
  await kiosk.removeCard();
  await shoot(page, '53-progress-by-card-offline');
  // English second: the same answer in plain English words.
  await page.getByTestId('language-toggle').click();
  await expect(cards.nth(0).getByTestId('progress-status')).toHaveText('Documents needed: please bring');
  await expect(cards.nth(1).getByTestId('progress-status')).toHaveText('Done. Please collect it at the delivery counter');
  await shoot(page, '53-progress-by-card-offline-en');
  await page.getByTestId('language-toggle').click();

  // 返回: ready for the next receipt; 首页 ends the session.
  await page.getByTestId('nav-back').click();
  await expect(page.getByTestId('screen-progress')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
  expect(kiosk.output()).not.toContain(idNumber);
  expect(kiosk.output()).not.toContain(permit.receiptToken);
});

test('a citizen barred for a missed supplement is told so, and until when, when taking a ticket', async () => {
  await api.restart();
  await syncSettled(page);
  const idNumber = kiosk.cardIdNumber(CARD);
  // As the case sweep writes it when it closes an overdue case (source case_overdue).
  const db = new Database(api.dbFile);
  db.prepare('insert into blacklist (id, id_hash, reason, from_date, until_date, hall_id, source) values (?, ?, ?, ?, ?, ?, ?)').run(
    'bl-e2e-overdue',
    citizenIdHash(idNumber, E2E_ID_HASH_KEY),
    '办件SW-E2E-0002逾期未补正',
    '2020-01-01',
    '2099-12-31',
    HALL,
    'case_overdue',
  );
  db.close();
  await page.getByTestId('home-ticket').click();
  await kiosk.placeCard(CARD);
  await page.getByTestId('identify-continue').click();
  await kiosk.removeCard();
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'blacklisted');
  await expect(page.getByTestId('refusal-text')).toContainText('没有在期限内补齐材料');
  await expect(page.getByTestId('refusal-text')).toContainText('SW-E2E-0002');
  await expect(page.getByTestId('refusal-text')).toContainText('2099-12-31');
  await shoot(page, '54-refusal-case-overdue');
  await page.getByTestId('refusal-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});
