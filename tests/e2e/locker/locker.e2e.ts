import { expect, test, type Page } from '@playwright/test';
import { testResidentCard } from '@hall/devices/testing';
import { makeTestIdNumber } from '@hall/shared';
import { FIXTURE_PASSWORD } from '../../../apps/server/src/testing/fixture';
import { buildConsole } from '../console/build';
import { waitUntil } from '../harness/stations';
import { LAYOUT, scan, shot, startLockerHall, type LockerHall } from './lockerHall';

/**
 * The 24-hour locker through its touch screen in Chromium: real central API, real SMS
 * gateway simulator over HTTP, lock boards simulated behind a socat pty, the station in
 * its own process so it can lose power.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1080, height: 1920 } });

let hall: LockerHall;
let sequence = 100;
/** A different person each time (the generator is deterministic per sequence). */
const newCitizen = () => makeTestIdNumber({ sequence: ++sequence });
const lock = (id: string) => LAYOUT.compartments.find((c) => c.id === id)!;
const isOpen = (id: string) => hall.sim.isOpen(1, lock(id).lock);
const close = (id: string) => hall.sim.closeDoor(1, lock(id).lock);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  hall = await startLockerHall();
});
test.afterAll(async () => {
  await hall?.close();
});

async function openScreen(page: Page): Promise<void> {
  await page.goto(hall.url);
  await expect(page.getByText('扫码取件')).toBeVisible();
}

async function deposit(page: Page, idNumber: string, caseNumber: string, size: 'small' | 'medium' | 'large' = 'small') {
  const [item] = await hall.depositCodes([{ caseNumber, size, idNumber, name: '张三丰' }]);
  await scan(page, item!.code);
  const row = page.locator('.outcome-item').first();
  await expect(row).toHaveAttribute('data-tone', 'open');
  const compartment = (await row.getAttribute('data-compartment'))!;
  expect(isOpen(compartment)).toBe(true);
  return { parcelId: item!.parcelId, compartment };
}

/** A parcel in a closed compartment, known to the central API; back on the home screen. */
async function deposited(page: Page, idNumber: string, caseNumber: string) {
  const result = await deposit(page, idNumber, caseNumber);
  close(result.compartment);
  await waitUntil('deposit recorded', async () => (await hall.serverParcel(result.parcelId))?.status === 'deposited', 10_000);
  await page.getByRole('button', { name: /返回首页/ }).click();
  return result;
}

test('deposit: the clerk scans deposit codes, doors open, closing records it and the citizen gets an SMS', async ({ page }) => {
  await openScreen(page);
  await expect(page.getByTestId('locker-online')).toHaveAttribute('data-online', 'true');
  await shot(page, '01-home');
  const citizen = newCitizen();
  const codes = await hall.depositCodes([
    { caseNumber: 'SW-2026-0101', size: 'small', idNumber: citizen, name: '张三丰' },
    { caseNumber: 'SW-2026-0102', size: 'medium', idNumber: citizen, name: '张三丰' },
  ]);
  // Batch: two codes scanned one after the other, both doors open together.
  await scan(page, codes[0]!.code);
  await expect(page.locator('.outcome-item[data-compartment="A01"]')).toBeVisible();
  await scan(page, codes[1]!.code);
  await expect(page.locator('.outcome-item[data-compartment="B01"]')).toHaveAttribute('data-tone', 'open');
  await expect(page.locator('.outcome-item[data-compartment="A01"]')).toHaveAttribute('data-tone', 'open');
  expect(isOpen('A01') && isOpen('B01')).toBe(true);
  await expect(page.getByText('张*丰')).toHaveCount(2);
  await shot(page, '02-deposit-open');
  close('B01');
  await expect(page.locator('.outcome-item[data-compartment="B01"]')).toHaveAttribute('data-tone', 'ok');
  close('A01');
  await waitUntil('both deposit SMS sent', () => hall.gateway.messages.filter((m) => m.text.includes('取件码')).length === 2, 15_000);
  const sms = hall.gateway.messages.find((m) => m.text.includes('SW-2026-0102'))!;
  expect(sms.text).toMatch(/B01号柜.*取件码\d{8}/);
  expect((await hall.serverParcel(codes[0]!.parcelId))?.status).toBe('deposited');
  // The same deposit code again is refused.
  await scan(page, codes[0]!.code);
  await expect(page.locator('[data-outcome="refused"]')).toBeVisible();
});

test('pickup with the residence code opens the right door once; a replayed, expired or wrong code is refused', async ({ page }) => {
  await openScreen(page);
  const citizen = newCitizen();
  const { parcelId, compartment } = await deposited(page, citizen, 'SW-2026-0201');

  const code = await hall.residenceCode(citizen);
  await scan(page, code);
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'open');
  expect(isOpen(compartment)).toBe(true);
  await shot(page, '03-pickup-open');
  close(compartment);
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'ok');
  await shot(page, '04-pickup-done');
  await waitUntil('receipt SMS', () => hall.gateway.messages.some((m) => m.text.includes('SW-2026-0201') && m.text.includes('取出')), 15_000);

  await scan(page, code);
  await expect(page.locator('[data-outcome="refused"]')).toHaveAttribute('data-reason', 'replayed');
  await expect(page.getByText('此码已使用过')).toBeVisible();
  await shot(page, '05-refused-replayed');
  expect(isOpen(compartment)).toBe(false);

  await scan(page, await hall.residenceCode(citizen, new Date(Date.now() - 30 * 60_000)));
  await expect(page.locator('[data-outcome="refused"]')).toHaveAttribute('data-reason', 'expired');
  await scan(page, 'HRC1.AAAAthis-is-not-a-code');
  await expect(page.locator('[data-outcome="refused"]')).toHaveAttribute('data-reason', 'malformed');
  // A genuine code of someone with nothing here.
  await scan(page, await hall.residenceCode(newCitizen()));
  await expect(page.locator('[data-outcome="refused"]')).toHaveAttribute('data-reason', 'no_parcel');
  const opened = hall.lockerRows<{ n: number }>("SELECT COUNT(*) AS n FROM audit WHERE parcel_id = ? AND action = 'opened'", parcelId)[0]!.n;
  expect(opened).toBe(2); // deposit + pickup, nothing more
});

test('a door left open raises an alarm on screen and an alert in the console until a manager acknowledges it', async ({ page, context }) => {
  await openScreen(page);
  const { parcelId, compartment } = await deposit(page, newCitizen(), 'SW-2026-0301');
  await expect(page.getByTestId('locker-alarm')).toContainText(`${compartment}号柜门未关闭`);
  await shot(page, '06-door-left-open');
  await waitUntil(
    'left-open event at the server',
    async () =>
      (await hall.central.database.db.withTables<{ locker_events: { parcel_id: string; type: string } }>().selectFrom('locker_events').select('type').where('parcel_id', '=', parcelId).execute()).some(
        (e) => e.type === 'door_left_open',
      ),
    10_000,
  );
  close(compartment);
  await expect(page.getByTestId('locker-alarm')).toHaveCount(0);

  // The hall sees it in the console's live hall, and it stays (door closed or not) until acknowledged.
  const consolePage = await context.newPage();
  await consolePage.setViewportSize({ width: 1920, height: 1080 });
  await consolePage.goto(`${hall.central.url}/console/`);
  await consolePage.locator('input[name=login]').fill('lk-manager');
  await consolePage.locator('input[name=password]').fill(FIXTURE_PASSWORD);
  await consolePage.getByRole('button', { name: '登录' }).click();
  const alert = consolePage.locator('[data-testid=alerts] li.alert-locker', { hasText: `${compartment}号柜 柜门未关闭` });
  await expect(alert).toBeVisible();
  await shot(consolePage, '10-console-locker-alert');
  await alert.getByRole('button', { name: '确认处理' }).click();
  await expect(alert).toHaveCount(0);
  const audit = await hall.central.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'locker_alert').execute();
  expect(audit).toEqual([{ action: 'acknowledge', actor_id: 'lk-mgr' }]);
  await consolePage.reload();
  await expect(consolePage.getByTestId('alerts')).toBeVisible();
  await expect(consolePage.locator('[data-testid=alerts] li.alert-locker', { hasText: `${compartment}号柜 柜门未关闭` })).toHaveCount(0);
  await consolePage.close();
});

test('a door that will not open sends the citizen to the counter and flags the case', async ({ page }) => {
  await openScreen(page);
  const citizen = newCitizen();
  const { parcelId, compartment } = await deposited(page, citizen, 'SW-2026-0401');
  hall.sim.jam(1, lock(compartment).lock);
  await scan(page, await hall.residenceCode(citizen));
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'bad');
  await expect(page.getByText('柜门无法打开，请到出件窗口领取').first()).toBeVisible();
  await shot(page, '07-door-jammed');
  await waitUntil('case flagged at the server', async () => (await hall.serverParcel(parcelId))?.flag_reason === 'door_jammed', 10_000);
  await waitUntil('citizen told by SMS', () => hall.gateway.messages.some((m) => m.text.includes('SW-2026-0401') && m.text.includes('出件窗口')), 15_000);
  hall.sim.jam(1, lock(compartment).lock, false);
});

test('offline: pickup works with the central API down and the records arrive when it is back', async ({ page }) => {
  await openScreen(page);
  const citizen = newCitizen();
  const { parcelId, compartment } = await deposited(page, citizen, 'SW-2026-0501');
  const code = await hall.residenceCode(citizen);
  await hall.central.stop();
  await expect(page.getByTestId('locker-online')).toHaveAttribute('data-online', 'false', { timeout: 10_000 });
  await scan(page, code);
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'open');
  await shot(page, '08-offline-pickup');
  close(compartment);
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'ok');
  expect(hall.lockerRows<{ status: string }>('SELECT status FROM parcels WHERE id = ?', parcelId)[0]!.status).toBe('picked_up');
  await hall.central.start();
  await waitUntil('pickup reaches the server', async () => (await hall.serverParcel(parcelId))?.status === 'picked_up', 15_000);
});

test('power cut between opening and closing: after restart the door is not opened again and nothing is lost', async ({ page }) => {
  await openScreen(page);
  const citizen = newCitizen();
  const { parcelId, compartment } = await deposited(page, citizen, 'SW-2026-0601');
  const code = await hall.residenceCode(citizen);
  await scan(page, code);
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'open');
  await hall.killStation();
  expect(isOpen(compartment)).toBe(true);
  await hall.startStation();
  await page.goto(hall.url);
  await expect(page.getByText('扫码取件')).toBeVisible();
  // The same code after the restart: already spent.
  await scan(page, code);
  await expect(page.locator('[data-outcome="refused"]')).toBeVisible();
  close(compartment);
  await waitUntil('pickup recorded after restart', () => hall.lockerRows<{ status: string }>('SELECT status FROM parcels WHERE id = ?', parcelId)[0]!.status === 'picked_up', 10_000);
  await waitUntil('pickup reaches the server', async () => (await hall.serverParcel(parcelId))?.status === 'picked_up', 15_000);
  // The restart took longer than the left-open limit, so that alarm may sit in between.
  const actions = hall.lockerRows<{ action: string }>('SELECT action FROM audit WHERE parcel_id = ? ORDER BY seq', parcelId)
    .map((r) => r.action)
    .filter((a) => a !== 'left_open');
  expect(actions).toEqual(['open_intent', 'opened', 'closed', 'open_intent', 'opened', 'closed']);
});

test('no phone: the pickup code from the SMS plus the ID card on the reader opens the door', async ({ page }) => {
  await openScreen(page);
  const citizen = newCitizen();
  const { parcelId, compartment } = await deposited(page, citizen, 'SW-2026-0701');
  await waitUntil('deposit SMS', () => hall.gateway.messages.some((m) => m.text.includes('SW-2026-0701')), 15_000);
  const pickupCode = /取件码(\d{8})/.exec(hall.gateway.messages.find((m) => m.text.includes('SW-2026-0701'))!.text)![1]!;
  await page.getByTestId('by-code').click();
  for (const d of pickupCode) await page.locator('.keypad-grid').getByRole('button', { name: d, exact: true }).click();
  await shot(page, '09-pickup-code-entry');
  await page.getByRole('button', { name: /确认/ }).click();
  await expect(page.getByText('请将身份证放在读卡区')).toBeVisible();
  await shot(page, '10-place-id-card');
  hall.cards.placeCard({ document: testResidentCard({ idNumber: citizen }) });
  await expect(page.locator(`.outcome-item[data-compartment="${compartment}"]`)).toHaveAttribute('data-tone', 'open');
  expect(isOpen(compartment)).toBe(true);
  close(compartment);
  await waitUntil('pickup reaches the server', async () => (await hall.serverParcel(parcelId))?.status === 'picked_up', 15_000);
  hall.cards.removeCard();
});

test('unclaimed parcels go back to the counter: a clerk\'s staff code opens them, listed on screen, and the citizen is told', async ({ page }) => {
  await openScreen(page);
  const { parcelId, compartment } = await deposited(page, newCitizen(), 'SW-2026-0801');
  // The hall's period is six months; this station is restarted with one second standing in for it.
  await hall.killStation();
  await hall.startStation({ unclaimedDays: 1 / 86_400 });
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await openScreen(page);
  await scan(page, await hall.staffCode());
  await expect(page.locator('[data-outcome="return"]')).toBeVisible();
  const row = page.locator(`.outcome-item[data-compartment="${compartment}"]`);
  await expect(row).toContainText('SW-2026-0801');
  await expect(row).toContainText('请取出超期未领文件并关好柜门');
  expect(isOpen(compartment)).toBe(true);
  await shot(page, '11-return-unclaimed');
  // Every listed door is emptied and shut by the clerk.
  for (const item of await page.locator('.outcome-item').all()) close((await item.getAttribute('data-compartment')) ?? '');
  await waitUntil('return recorded at the server', async () => (await hall.serverParcel(parcelId))?.status === 'returned', 15_000);
  await waitUntil('citizen told to collect at the counter', () => hall.gateway.messages.some((m) => m.text.includes('SW-2026-0801') && m.text.includes('已退回出件窗口')), 15_000);
  const opened = hall.lockerRows<{ actor: string; reason: string }>("SELECT actor, reason FROM audit WHERE parcel_id = ? AND action = 'opened' ORDER BY seq", parcelId);
  expect(opened.at(-1)).toEqual({ actor: 'staff:lk-clerk', reason: 'return of case SW-2026-0801 to the counter' });
  await hall.killStation();
  await hall.startStation();
});
