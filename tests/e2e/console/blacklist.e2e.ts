import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestIdNumber } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { listAudit } from '../../../apps/server/src/store/audit';
import { startHallCentral, type HallCentral } from '../harness/central';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/** 预约黑名单 in the console: the hall manager sets the no-show rule, adds a citizen with a reason, finds and lifts the entry. */
let central: HallCentral;

test.use({ viewport: { width: 1600, height: 900 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
});

test.afterAll(async () => central?.close());

const inDays = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));

test('sets the rule, adds an entry, finds it by full ID number, lifts it with a reason; every change audited', async ({ page }) => {
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-blacklist').click();
  await expect(page.getByTestId('blacklist-page')).toBeVisible();

  await expect(page.getByTestId('rule-noShows')).toHaveValue('3');
  await page.getByTestId('rule-noShows').fill('2');
  await page.getByTestId('rule-windowDays').fill('60');
  await page.getByTestId('no-show-rule').getByRole('button', { name: '保存规则' }).click();
  await expect(page.getByTestId('rule-saved')).toBeVisible();

  const idNumber = makeTestIdNumber({ birthDate: '1971-01-21', sequence: 33 });
  const until = inDays(10);
  await page.getByTestId('add-id-number').fill(idNumber);
  await page.getByTestId('blacklist-add').locator('input:not([data-testid])').first().fill('测试甲');
  await page.getByTestId('add-reason').fill('多次预约未到，窗口核实');
  await page.getByTestId('add-until').fill(until);
  await page.getByTestId('add-submit').click();
  const row = page.locator('[data-testid^="blacklist-"][data-active]');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-active', 'true');
  await expect(row).toContainText('测*甲');
  await expect(row).toContainText(until);
  await expect(row).toContainText('人工列入');
  await expect(page.getByTestId('blacklist-page')).not.toContainText(idNumber);

  // A full ID number finds the entry by its keyed hash; another number finds nothing.
  await page.getByTestId('blacklist-search').fill(makeTestIdNumber({ birthDate: '1971-01-21', sequence: 35 }));
  await page.getByTestId('blacklist-search').press('Enter');
  await expect(row).toHaveCount(0);
  await page.getByTestId('blacklist-search').fill(idNumber);
  await page.getByTestId('blacklist-search').press('Enter');
  await expect(row).toHaveCount(1);
  // The typed number leaves the screen; only its masked form says what was searched.
  await expect(page.getByTestId('blacklist-search')).toHaveValue('');
  await expect(page.getByTestId('searched-id')).toBeVisible();
  await expect(page.getByTestId('blacklist-page')).not.toContainText(idNumber);
  await page.screenshot({ path: join(SCREENSHOTS, '30-blacklist.png'), fullPage: true });

  await row.getByTestId('lift').click();
  await row.getByTestId('lift-reason').fill('经核实系就医未能到场');
  await row.getByTestId('lift-confirm').click();
  await expect(row).toHaveAttribute('data-active', 'false');
  await expect(row).toContainText('已移出');
  await expect(row).toContainText('经核实系就医未能到场');
  await expect(row.getByTestId('lift')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, '31-blacklist-lifted.png'), fullPage: true });

  const audit = await listAudit(central.database.db, { entity: 'blacklist' });
  expect(audit.map((a) => a.action).sort()).toEqual(['create', 'lift']);
  const rule = await listAudit(central.database.db, { entity: 'no_show_rule' });
  expect(rule).toHaveLength(1);
});
