import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber } from '@hall/shared';
import { asCitizenPlatform, type CentralApi, type KioskStation } from './harness';
import { shoot, openKioskHall, type KioskHall } from './journeys';

/**
 * 码上填表: the citizen shows a residence code and the kiosk fills the form's name, ID number,
 * phone and residence address from the fields sealed in it — with the central API stopped,
 * so only what the kiosk holds (signing keys, data keys) is used. Fields stay masked.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let hall: KioskHall;
let dir: KioskHall['dir'];
let api: CentralApi;
let kiosk: KioskStation;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await openKioskHall(browser, { deviceId: 'kiosk-e2e-rcform' });
  ({ dir, api, kiosk, page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
});

// Made-up citizen; never a real person's data.
const CITIZEN = { name: '测试居民', address: '广东省汕尾市城区测试路8号', phone: '13800138000' };

test('a residence code fills name, ID number, phone and residence address offline, masked, marked as read from the code', async () => {
  const idNumber = makeTestIdNumber({ birthDate: '1991-04-05', sequence: 77 });
  const code = await asCitizenPlatform(api, idNumber, CITIZEN);
  // The kiosk fetched the data keys with its credential (0600 beside it); then the data centre goes away.
  await expect.poll(() => existsSync(join(dir.path, 'kiosk', 'residence-data-keys')), { timeout: 20_000 }).toBe(true);
  await api.stop();
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-state', 'online', { timeout: 20_000 });

  await page.getByTestId('home-guided').click();
  await page.getByTestId('browse-theme').click();
  await page.getByTestId('group-居住证').click();
  await page.getByTestId('service-residence-permit').click();
  await page.getByTestId('option-residence-permit.q.minor.no').click();
  await page.getByTestId('option-residence-permit.q.kind.first').click();
  await page.getByTestId('option-residence-permit.q.basis.job').click();
  await expect(page.getByTestId('screen-materials')).toBeVisible();
  await page.getByTestId('fill-form').click();
  await expect(page.getByTestId('screen-identify')).toBeVisible();

  await kiosk.sim('/scan', { code });
  await expect(page.getByTestId('residence-code')).toBeVisible();
  await expect(page.getByTestId('identified')).toContainText('测**民');
  await shoot(page, '60-identified-residence-code-fields');
  await page.getByTestId('identify-continue').click();

  await expect(page.getByTestId('screen-form')).toBeVisible();
  await expect(page.getByTestId('prefilled-name')).toHaveText('测**民');
  await expect(page.getByTestId('prefilled-idNumber')).toHaveText(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
  await expect(page.getByTestId('prefilled-phone')).toHaveText('138****8000');
  await expect(page.getByTestId('prefilled-residenceAddress')).toHaveText('广东省汕尾市****');
  for (const field of ['name', 'idNumber', 'phone', 'residenceAddress']) {
    await expect(page.getByTestId(`prefilled-${field}`).locator('..')).toContainText('已从粤居码读取');
  }
  // The card-only field is left for the citizen.
  await expect(page.getByTestId('prefilled-householdAddress')).toHaveCount(0);
  for (const secret of [idNumber, CITIZEN.name, CITIZEN.address, CITIZEN.phone]) await expect(page.locator('body')).not.toContainText(secret);
  await shoot(page, '61-form-from-residence-code');
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});
