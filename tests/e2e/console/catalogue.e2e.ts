import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import type { Service } from '@hall/shared';
import { startKioskStation, type KioskStation } from '../../../apps/kiosk/src/main/station';
import type { HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { enrolledConfig, FAST_SYNC } from '../harness/stations';
import { PORTRAIT } from '../kiosk/journeys';
import { SCREENSHOTS } from './build';
import { signIn, startConsoleHall } from './hall';

/**
 * Issue 20, the catalogue as a hall manager keeps it: a service with its guide and shared
 * materials made in the console, seen at a kiosk of the hall, edited, its versions compared,
 * and a workbook with a bad row refused.
 */
let central: HallCentral;
let kiosk: KioskStation | undefined;

test.use({ viewport: { width: 1920, height: 1080 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({ central } = await startConsoleHall());
  const config = await enrolledConfig(central, { deviceId: 'kiosk-catalogue', role: 'kiosk', rendererDir: builtRenderer('kiosk') });
  // The catalogue refresh stays at its production minute: only the console's poke can bring the edit in time.
  kiosk = await startKioskStation(
    { ...config, devices: { ticketPrinter: { kind: 'simulated' }, idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' } } },
    { host: true, idHashKey: 'e2e-catalogue-id-hash-key-000000000000', enforceOpeningHours: false, sync: FAST_SYNC },
  );
});

test.afterAll(async () => {
  await kiosk?.stop();
  await central?.close();
});

const serviceByCode = async (code: string): Promise<Service | undefined> => {
  const { services } = (await (await fetch(`${central.url}/api/v1/services?hallId=${central.hallId}`)).json()) as { services: Service[] };
  return services.find((s) => s.code === code);
};

async function librarySave(page: Page, name: string, copies: number, expected: string): Promise<void> {
  const editor = page.getByTestId('shared-material-editor');
  await editor.getByLabel('材料名称').fill(name);
  await editor.getByLabel('复印件份数').fill(String(copies));
  await page.getByTestId('save-shared-material').click();
  await expect(page.getByTestId('library-message')).toHaveText(expected);
}

async function openGuideAtKiosk(kioskPage: Page, serviceId: string): Promise<void> {
  await kioskPage.goto(kiosk!.runtime.host?.url ?? '');
  await kioskPage.getByTestId('home-guided').click();
  await kioskPage.getByTestId(`service-${serviceId}`).click();
  await expect(kioskPage.getByTestId('screen-materials')).toBeVisible();
}

test('the hall manager builds a service with a guide and shared materials, sees it at the kiosk, edits it and reads the version diff', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-catalogue').click();

  // 共享材料: two documents entered once.
  await page.getByTestId('catalogue-tab-materials').click();
  await page.getByTestId('new-shared-material').click();
  await page.getByTestId('save-shared-material').click();
  await expect(page.getByTestId('error-library.name')).toHaveText('请填写材料名称');
  await librarySave(page, '居民身份证', 1, '已保存，同步更新了 0 个事项');
  await page.getByTestId('new-shared-material').click();
  await librarySave(page, '户口簿', 1, '已保存，同步更新了 0 个事项');
  await expect(page.getByTestId('shared-library')).toContainText('尚未被使用');

  // A new service: saving it half-filled names the missing fields and saves nothing.
  await page.getByTestId('catalogue-tab-services').click();
  await page.getByTestId('new-service').click();
  const editor = page.getByTestId('service-editor');
  await editor.getByLabel('事项名称', { exact: true }).fill('老年人优待证办理');
  await editor.getByLabel('事项编码', { exact: true }).fill('E2E-LNYDZ-001');
  await page.getByTestId('save-catalogue-service').click();
  await expect(page.getByTestId('catalogue-message')).toContainText('未保存');
  await expect(page.getByTestId('error-guide.place')).toHaveText('必填');
  await expect(page.getByTestId('error-guide.conditions')).toHaveText('必填');
  await expect(page.getByTestId('error-materials')).toHaveText('必填');
  expect(await serviceByCode('E2E-LNYDZ-001')).toBeUndefined();
  await page.screenshot({ path: join(SCREENSHOTS, '20-catalogue-validation.png'), fullPage: true });

  await editor.getByLabel('主题', { exact: true }).fill('社会保障');
  await editor.getByLabel('标签', { exact: true }).fill('高频、老年人');
  await editor.getByLabel('承办机构', { exact: true }).fill('区民政局老龄工作科');
  await editor.getByLabel('设定依据', { exact: true }).fill('《中华人民共和国老年人权益保障法》');
  await editor.getByLabel('受理条件', { exact: true }).fill('本市户籍\n年满60周岁');
  await editor.getByLabel('法定时限（工作日）', { exact: true }).fill('10');
  await editor.getByLabel('承诺时限（工作日）', { exact: true }).fill('5');
  await editor.getByLabel('办理流程', { exact: true }).fill('受理\n审核\n发证');
  await editor.getByLabel('办理地点', { exact: true }).fill('一楼综合窗口');
  await editor.getByLabel('咨询电话', { exact: true }).fill('0757-12345');
  for (const name of ['居民身份证', '户口簿']) {
    await page.getByTestId('library-pick').selectOption({ label: name });
    await page.getByTestId('add-from-library').click();
  }
  await page.getByTestId('add-own-material').click();
  await page.getByTestId('service-materials').getByLabel('材料名称').fill('近期一寸免冠照片');
  await page.getByTestId('save-catalogue-service').click();
  await expect(page.getByTestId('catalogue-message')).toHaveText('已新建事项“老年人优待证办理”');
  const created = await serviceByCode('E2E-LNYDZ-001');
  expect(created?.materials.map((m) => [m.name, m.sharedId !== undefined])).toEqual([
    ['居民身份证', true],
    ['户口簿', true],
    ['近期一寸免冠照片', false],
  ]);
  expect(created?.tags).toEqual(['高频', '老年人']);
  await page.screenshot({ path: join(SCREENSHOTS, '21-catalogue-service.png'), fullPage: true });

  // The kiosk has it: the console's save pokes the hall, the station fetches, the screen follows.
  const kioskPage = await browser.newPage({ viewport: PORTRAIT });
  await kioskPage.goto(kiosk!.runtime.host?.url ?? '');
  await kioskPage.getByTestId('home-guided').click();
  await expect(kioskPage.getByTestId(`service-${created!.id}`)).toBeVisible({ timeout: 10_000 });
  await kioskPage.getByTestId(`service-${created!.id}`).click();
  await expect(kioskPage.getByTestId('screen-materials')).toContainText('户口簿');
  await kioskPage.getByTestId('open-guide').click();
  await expect(kioskPage.getByTestId('guide-department')).toContainText('区民政局老龄工作科');
  await expect(kioskPage.getByTestId('guide-time-limit')).toContainText('承诺时限：5 个工作日');
  await expect(kioskPage.getByTestId('guide-enquiry-phone')).toHaveText('咨询电话：0757-12345');

  // Edit: a shorter promise, the photo no longer needed (version 2) …
  await editor.getByLabel('承诺时限（工作日）', { exact: true }).fill('3');
  await page.getByTestId('service-materials').getByRole('row', { name: /近期一寸免冠照片/ }).getByRole('button', { name: '移除' }).click();
  await page.getByTestId('save-catalogue-service').click();
  await expect(page.getByTestId('catalogue-message')).toHaveText('已保存，第 2 版，大厅设备将自动更新');
  // … and the library's 居民身份证 now asks for two copies: every service using it follows (version 3).
  await page.getByTestId('catalogue-tab-materials').click();
  await expect(page.getByTestId('shared-library')).toContainText('老年人优待证办理');
  await page.getByTestId('shared-library').getByRole('row', { name: /居民身份证/ }).getByRole('button', { name: '编辑' }).click();
  await librarySave(page, '居民身份证', 2, '已保存，同步更新了 1 个事项');

  // The kiosk shows the edited service without anyone touching it.
  await openGuideAtKiosk(kioskPage, created!.id);
  await expect(kioskPage.getByTestId('screen-materials')).not.toContainText('近期一寸免冠照片', { timeout: 10_000 });
  await kioskPage.getByTestId('open-guide').click();
  await expect(kioskPage.getByTestId('guide-time-limit')).toContainText('承诺时限：3 个工作日');
  await kioskPage.screenshot({ path: join(SCREENSHOTS, '24-catalogue-kiosk-guide.png') });

  // 版本差异: the latest two are ticked; then the first save against the second.
  await page.getByTestId('catalogue-tab-services').click();
  await page.getByTestId('catalogue-service-E2E-LNYDZ-001').click();
  // Opened again from the list, the editor holds the service as saved, the library's edit included.
  await expect(editor.getByLabel('承诺时限（工作日）', { exact: true })).toHaveValue('3');
  await expect(editor.getByTestId(`material-${created!.materials[0]!.id}`)).toContainText('2');
  const history = page.getByTestId('version-history');
  await expect(history.getByTestId('version-3')).toContainText('大厅值班经理');
  await history.getByTestId('compare-versions').click();
  const diff = page.getByTestId('version-diff');
  await expect(diff).toContainText('版本差异：第 2 版 → 第 3 版');
  await expect(diff.getByTestId(`diff-material-${created!.materials[0]!.id}`)).toContainText('修改材料 居民身份证');
  await expect(diff.getByTestId(`diff-material-${created!.materials[0]!.id}`)).toContainText('复印件份数12');
  await history.getByLabel('版本 3').uncheck();
  await history.getByLabel('版本 1').check();
  await history.getByTestId('compare-versions').click();
  await expect(diff).toContainText('版本差异：第 1 版 → 第 2 版');
  await expect(diff.getByTestId('diff-guide.promisedDays')).toHaveText('承诺时限（工作日）53');
  await expect(diff.getByTestId(`diff-material-${created!.materials[2]!.id}`)).toHaveText('删除材料 近期一寸免冠照片');
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, '22-catalogue-version-diff.png'), fullPage: true });

  await page.getByTestId('catalogue-tab-materials').click();
  await page.screenshot({ path: join(SCREENSHOTS, '23-catalogue-shared-materials.png'), fullPage: true });
  await page.getByTestId('catalogue-tab-themes').click();
  await page.getByTestId('tag-老年人').click();
  await expect(page.getByTestId('catalogue-list').getByRole('button', { name: /老年人优待证办理/ })).toBeVisible();
  await kioskPage.close();
});

test('an Excel import with a bad row is refused whole, the row named; a good one is imported', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-catalogue').click();
  await page.getByTestId('catalogue-tab-workbook').click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-catalogue').click();
  const file = join(tmpdir(), `catalogue-${Date.now()}.xlsx`);
  await (await downloading).saveAs(file);

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('事项')!;
  const column = (title: string) => (sheet.getRow(1).values as unknown[]).indexOf(title);
  const first = sheet.getRow(2);
  const second = sheet.getRow(3);
  const firstCode = first.getCell(column('事项编码')).text;
  const secondName = second.getCell(column('事项名称')).text;
  first.getCell(column('承诺时限(工作日)')).value = '五天';
  second.getCell(column('事项名称')).value = `${secondName}（新）`;
  const bad = join(tmpdir(), `catalogue-bad-${Date.now()}.xlsx`);
  writeFileSync(bad, Buffer.from(await book.xlsx.writeBuffer()));

  await page.getByTestId('import-file').setInputFiles(bad);
  await page.getByTestId('import-catalogue').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('文件未导入：以下 1 行需要修改');
  await expect(errors.getByTestId('import-error-事项-2')).toContainText('第 2 行');
  await expect(errors.getByTestId('import-error-事项-2')).toContainText('承诺时限(工作日)');
  await page.screenshot({ path: join(SCREENSHOTS, '25-catalogue-import-refused.png'), fullPage: true });
  // Not even the good row went in.
  expect((await serviceByCode(second.getCell(column('事项编码')).text))?.name.zh).toBe(secondName);

  first.getCell(column('承诺时限(工作日)')).value = 2;
  const good = join(tmpdir(), `catalogue-good-${Date.now()}.xlsx`);
  writeFileSync(good, Buffer.from(await book.xlsx.writeBuffer()));
  await page.getByTestId('import-file').setInputFiles(good);
  await page.getByTestId('import-catalogue').click();
  await expect(page.getByTestId('import-message')).toContainText('修改 2 个');
  expect((await serviceByCode(second.getCell(column('事项编码')).text))?.name.zh).toBe(`${secondName}（新）`);
  expect((await serviceByCode(firstCode))?.guide.promisedDays).toBe(2);
});
