import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { demoHall } from '../../../apps/server/src/demo/index';
import { startHallCentral, type HallCentral } from '../harness/central';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/**
 * Issue 20, people and permissions as a hall manager uses them: a configured role takes the
 * statistics page away from the duty supervisor (the page disappears and the API refuses),
 * the audit log shows the change, departments are added and renamed, and staff accounts
 * go out as an Excel sheet without passwords.
 */
let central: HallCentral;

test.use({ viewport: { width: 1920, height: 1080 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
});

test.afterAll(async () => central?.close());

/** Signs in in a fresh browser context: a second person at another desk. */
async function asSomeoneElse(browser: Browser, who: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await signIn(page, central, who);
  return page;
}

async function statsStatus(page: Page): Promise<number> {
  // The console keeps its session token in sessionStorage (evaluated in the page, where it exists).
  const token = String(await page.evaluate("JSON.parse(sessionStorage.getItem('hall-console-session') || '{}').token || ''"));
  const response = await fetch(`${central.url}/api/v1/stats?hallId=${central.hallId}&from=2026-01-01&to=2026-01-31`, { headers: { authorization: `Bearer ${token}` } });
  return response.status;
}

test('a role without the statistics page, given to the supervisor, takes the page away; the audit log shows it', async ({ page, browser }) => {
  // Before: the duty supervisor reads statistics with the built-in role.
  const before = await asSomeoneElse(browser, 'supervisor');
  await expect(before.getByTestId('nav-stats')).toBeVisible();
  expect(await statsStatus(before)).toBe(200);
  await before.context().close();

  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-roles').click();
  const roles = page.getByTestId('roles-page');
  await expect(roles.getByTestId('role-大厅管理员')).toBeVisible();
  await roles.getByTestId('role-name').fill('值班督查（无统计）');
  for (const permission of ['live', 'supervision', 'audit']) await roles.getByTestId(`role-permission-${permission}`).check();
  await roles.getByTestId('role-save').click();
  await expect(page.getByTestId('roles-feedback')).toHaveText('已创建角色 值班督查（无统计）');
  await expect(roles.getByTestId('role-值班督查（无统计）')).toContainText('实时大厅、时限监督、审计日志');

  await roles.getByTestId('assign-staff').selectOption({ label: 'SW100 户政值班主管（督查/窗口人员）' });
  await roles.getByTestId('assign-role-值班督查（无统计）').check();
  await roles.getByTestId('assign-save').click();
  await expect(page.getByTestId('roles-feedback')).toHaveText('已为 户政值班主管 分配角色');
  await expect(roles.getByTestId('assigned-SW100')).toContainText('值班督查（无统计）');
  await page.screenshot({ path: join(SCREENSHOTS, '50-roles.png'), fullPage: true });

  // After: the supervisor signs in again and the page is gone; asking the API anyway is refused.
  const after = await asSomeoneElse(browser, 'supervisor');
  await expect(after.getByTestId('nav-audit')).toBeVisible();
  await expect(after.getByTestId('nav-stats')).toHaveCount(0);
  await expect(after.getByTestId('nav-staff')).toHaveCount(0);
  await after.goto(`${central.url}/console/#/stats`);
  await expect(after.getByTestId('live')).toBeVisible();
  expect(await statsStatus(after)).toBe(403);
  await after.screenshot({ path: join(SCREENSHOTS, '51-supervisor-without-statistics.png') });
  await after.context().close();

  // The audit log lists the assignment, found by who did it and what it was.
  await page.getByTestId('nav-audit').click();
  const audit = page.getByTestId('audit-page');
  await audit.getByTestId('audit-actor').fill('hallmanager');
  await audit.getByTestId('audit-action').selectOption('assign_roles');
  const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
  await audit.getByTestId('audit-from').fill(today);
  await audit.getByTestId('audit-to').fill(today);
  await audit.getByTestId('audit-search').click();
  await expect(audit.getByTestId('audit-total')).toHaveText('共 1 条');
  await expect(audit.getByTestId('audit-row')).toHaveCount(1);
  await expect(audit.getByTestId('audit-row')).toContainText('分配角色');
  await expect(audit.getByTestId('audit-row')).toContainText('staff.supervisor');
  // The detail reads as 名：值, not as JSON.
  await expect(audit.getByTestId('audit-row').locator('.audit-detail')).not.toContainText('{"');
  await expect(audit.getByTestId('audit-row')).toContainText('hallmanager（大****理）');
  await audit.getByTestId('audit-action').selectOption('');
  await audit.getByTestId('audit-entity').selectOption('role');
  await audit.getByTestId('audit-search').click();
  await expect(audit.getByTestId('audit-row')).toHaveCount(1);
  await expect(audit.getByTestId('audit-row')).toContainText('新增');
  await page.screenshot({ path: join(SCREENSHOTS, '52-audit-log.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), audit.getByTestId('audit-export-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')).toHaveLength(3);
  expect(csv).toContain('role');
});

test('departments are added, renamed and switched off; staff accounts export to Excel without passwords', async ({ page }) => {
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-departments').click();
  const departments = page.getByTestId('departments-page');
  await departments.getByTestId('department-name').fill('税务');
  await departments.getByTestId('department-add').click();
  await expect(page.getByTestId('departments-feedback')).toHaveText('已新增部门 税务');
  const row = departments.locator('tbody tr', { hasText: '税务' });
  await row.getByRole('button', { name: '改名' }).click();
  await departments.getByTestId('department-rename-input').fill('税务服务');
  await departments.getByRole('button', { name: '保存' }).click();
  await expect(departments.locator('tbody tr', { hasText: '税务服务' })).toContainText('在用');
  await departments.locator('tbody tr', { hasText: '税务服务' }).getByRole('button', { name: '停用' }).click();
  await expect(departments.locator('tbody tr', { hasText: '税务服务' })).toContainText('已停用');
  // A department with staff and services stays: the server says why.
  const household = departments.locator('tbody tr', { hasText: '户政' }).first();
  await household.getByRole('button', { name: '停用' }).click();
  await expect(page.getByTestId('departments-feedback')).toContainText('该部门仍有 4 名人员、2 个窗口、12 个事项');
  await page.screenshot({ path: join(SCREENSHOTS, '53-departments.png'), fullPage: true });

  await page.getByTestId('nav-staff').click();
  const excel = page.getByTestId('staff-excel');
  const [download] = await Promise.all([page.waitForEvent('download'), excel.getByTestId('staff-export').click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const logins: string[] = [];
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    logins.push(String(r.getCell(2).value));
    expect(r.getCell(7).value ?? '').toBe('');
  });
  expect(logins).toContain('supervisor');

  // A sheet with one bad row imports nothing and says which row and column; fixed, it imports.
  const header = ['工号', '登录名', '姓名', '部门编号', '角色', '状态', '初始密码'];
  const good = ['SW070', 'clerk7', '窗口七号办事员', 'dept.household', 'clerk', '启用', 'first-pass-7'];
  const bad = ['SW080', 'clerk8', '窗口八号办事员', 'dept.nowhere', 'clerk', '启用', 'short'];
  await excel.getByTestId('staff-import').setInputFiles(await sheetFile('staff-bad.xlsx', [header, good, bad]));
  await expect(excel.getByTestId('staff-import-errors')).toContainText('第 3 行 部门编号：本大厅没有部门 dept.nowhere');
  await expect(excel.getByTestId('staff-import-errors')).toContainText('第 3 行 初始密码：初始密码至少 8 个字符');
  await expect(page.getByTestId('staff-row-clerk7')).toHaveCount(0);
  await excel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, '54-staff-excel.png'), fullPage: true });
  await excel.getByTestId('staff-import').setInputFiles(await sheetFile('staff-good.xlsx', [header, good]));
  await expect(page.getByTestId('staff-excel-feedback')).toHaveText('已导入：新增 1 人，更新 0 人');
  await expect(page.getByTestId('staff-row-clerk7')).toBeVisible();
});

async function sheetFile(name: string, rows: string[][]): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('人员账号');
  for (const row of rows) sheet.addRow(row);
  const path = join(mkdtempSync(join(tmpdir(), 'hall-staff-xlsx-')), name);
  writeFileSync(path, Buffer.from(await book.xlsx.writeBuffer()));
  return path;
}
