import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoHall } from '../../../apps/server/src/demo/index';
import { startHallCentral, type HallCentral } from '../harness/central';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/**
 * Issue 18, the address of phone links: the hall manager sets the public address slips,
 * receipts and SMS links start with. A typo is said before saving and cannot be saved; the
 * saved address is what the API hands the stations.
 */
let central: HallCentral;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
});
test.afterAll(async () => central?.close());
const links = () => central.database.db.withTables<{ hall_phone_links: { hall_id: string; base_url: string } }>();

test('the hall manager sets the public address of phone links; a bad one cannot be saved', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-booking').click();
  const section = page.getByTestId('phone-links-section');
  await expect(section).toContainText('手机链接地址');
  await expect(page.getByTestId('phone-links-example')).toContainText('（终端的中心地址）/follow/…');

  await page.getByTestId('phone-links-url').fill('hall.example.gov.cn/?from=slip');
  await expect(page.getByTestId('phone-links-invalid')).toContainText('http:// 或 https://');
  await expect(page.getByTestId('phone-links-save')).toBeDisabled();
  await section.screenshot({ path: join(SCREENSHOTS, 'phone-links-invalid.png') });

  await page.getByTestId('phone-links-url').fill('https://hall.example.gov.cn/m/');
  await expect(page.getByTestId('phone-links-invalid')).toHaveCount(0);
  await expect(page.getByTestId('phone-links-example')).toContainText('https://hall.example.gov.cn/m/follow/…');
  await page.getByTestId('phone-links-save').click();
  await expect(page.getByTestId('phone-links-message')).toContainText('已保存');
  await page.evaluate('document.fonts.ready');
  await section.screenshot({ path: join(SCREENSHOTS, 'phone-links-saved.png') });

  // Stored for the hall, as the API's catalogue hands it to the stations (apps/server/src/phone/links).
  const stored = await links().selectFrom('hall_phone_links').selectAll().execute();
  expect(stored).toEqual([expect.objectContaining({ hall_id: central.hallId, base_url: 'https://hall.example.gov.cn/m' })]);

  // After a reload the page shows the saved address; clearing it goes back to the stations' own.
  await page.reload();
  await page.getByTestId('nav-booking').click();
  await expect(page.getByTestId('phone-links-url')).toHaveValue('https://hall.example.gov.cn/m');
  await page.getByTestId('phone-links-url').fill('');
  await page.getByTestId('phone-links-save').click();
  await expect(page.getByTestId('phone-links-message')).toContainText('已保存');
  expect(await links().selectFrom('hall_phone_links').selectAll().execute()).toEqual([]);
});
