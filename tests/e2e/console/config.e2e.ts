import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import type { CallingRules, Counter, FormSchema, Queue } from '@hall/shared';
import { startDisplayStation, type DisplayStation } from '../../../apps/display/src/main/station';
import { listAudit } from '../../../apps/server/src/store/audit';
import { FIXTURE_PASSWORD } from '../../../apps/server/src/testing/fixture';
import { parseDisplayConfig } from '@hall/station/roles/display';
import type { HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { enrolledConfig, FAST_SYNC } from '../harness/stations';
import { SCREENSHOTS } from './build';
import { signIn, startConsoleHall } from './hall';

/** The console's configuration pages, used as a hall manager would, against a real central API. */
let central: HallCentral;

test.use({ viewport: { width: 1920, height: 1080 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({ central } = await startConsoleHall());
});

test.afterAll(async () => central?.close());

const login = (page: Page, who: string) => signIn(page, central, who);

const api = async <T>(path: string): Promise<T> => (await (await fetch(`${central.url}/api/v1${path}`)).json()) as T;

async function tokenOf(request: APIRequestContext, login: string, password: string): Promise<string> {
  const r = await request.post(`${central.url}/api/v1/auth/login`, { data: { login, password } });
  return ((await r.json()) as { token: string }).token;
}

test('staff page: add a clerk, assign counters and queues, reset the password and disable the account', async ({ page, request }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-staff').click();
  const add = page.getByTestId('add-staff');
  await add.locator('input[name=login]').fill('clerk9');
  await add.locator('input[name=displayName]').fill('窗口九号办事员');
  await add.locator('input[name=staffNumber]').fill('SW090');
  await expect(add.locator('select[name=role] option')).toHaveText(['窗口人员', '督查', '大厅管理员']);
  await add.locator('input[name=password]').fill('first-pass-9');
  await add.getByRole('button', { name: '添加' }).click();
  await expect(page.getByTestId('staff-message')).toHaveText('已添加 窗口九号办事员');
  const row = page.getByTestId('staff-row-clerk9');
  await expect(row).toContainText('窗口人员');
  await expect(row).toContainText('不限');

  await row.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByTestId('edit-staff');
  await edit.locator('input[name=counter-2]').check();
  await edit.locator('input[name=counter-3]').check();
  await edit.locator('input[name=queue-A]').check();
  await edit.getByTestId('save-staff').click();
  await expect(page.getByTestId('staff-message')).toHaveText('已保存');
  await expect(row).toContainText('2号、3号');
  await expect(row).toContainText('A 户政业务');
  await page.screenshot({ path: join(SCREENSHOTS, '08-staff.png'), fullPage: true });

  await edit.locator('input[name=new-password]').fill('second-pass-9');
  await edit.getByTestId('reset-password').click();
  await expect(page.getByTestId('staff-message')).toHaveText('密码已重置');
  expect((await request.post(`${central.url}/api/v1/auth/login`, { data: { login: 'clerk9', password: 'first-pass-9' } })).status()).toBe(401);
  expect((await request.post(`${central.url}/api/v1/auth/login`, { data: { login: 'clerk9', password: 'second-pass-9' } })).status()).toBe(200);

  await edit.getByTestId('toggle-active').click();
  await expect(row).toContainText('已停用');
  expect((await request.post(`${central.url}/api/v1/auth/login`, { data: { login: 'clerk9', password: 'second-pass-9' } })).status()).not.toBe(200);

  const audit = await listAudit(central.database.db, { entity: 'staff' });
  const mine = audit.filter((a) => a.actor.id === 'staff.hall-manager' && a.action !== 'login');
  expect(mine.map((a) => a.action).sort()).toEqual(['create', 'update', 'update', 'update', 'update']);

  // The manager of another hall sees neither this hall's staff nor may change them.
  const t2 = await tokenOf(request, 't2-manager', FIXTURE_PASSWORD);
  const headers = { authorization: `Bearer ${t2}` };
  expect((await request.get(`${central.url}/api/v1/admin/halls/${central.hallId}/staff`, { headers })).status()).toBe(403);
  const clerkId = mine.find((a) => a.action === 'create')!.entityId;
  expect((await request.patch(`${central.url}/api/v1/staff/${clerkId}`, { headers, data: { active: true } })).status()).toBe(403);
});

test('queues and counters page: add a queue, edit a counter’s queues and priorities, add a priority group', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-layout').click();
  await expect(page.getByTestId('queue-row-A')).toContainText('户政业务');
  await page.getByTestId('add-queue').click();
  const queueEditor = page.getByTestId('queue-editor');
  await queueEditor.locator('input[name=prefix]').fill('q');
  // Its consultation tickets (咨询号) get their own letter; the demo's Z is the 户政 queue's.
  await queueEditor.locator('input[name=consultationPrefix]').fill('w');
  await queueEditor.locator('input[name=name]').fill('企业专区');
  await queueEditor.getByLabel('企业').check();
  await queueEditor.getByTestId('save-queue').click();
  await expect(page.getByTestId('layout-message')).toHaveText('已保存');
  await expect(page.getByTestId('queue-row-Q')).toContainText('企业专区');
  await expect(page.getByTestId('queue-row-A')).toContainText('Z');
  const { queues } = await api<{ queues: Queue[] }>(`/halls/${central.hallId}/queues`);
  const added = queues.find((q) => q.prefix === 'Q')!;
  expect(added.kinds).toEqual(['walk_in', 'enterprise']);
  expect(added.consultationPrefix).toBe('W');

  // A second queue with a taken letter (here the 户政 queue's consultation letter) is refused and says why.
  await page.getByTestId('add-queue').click();
  await queueEditor.locator('input[name=prefix]').fill('Z');
  await queueEditor.locator('input[name=name]').fill('重复字头');
  await queueEditor.getByTestId('save-queue').click();
  await expect(page.getByTestId('layout-message')).toContainText('出错了');
  await queueEditor.getByRole('button', { name: '取消' }).click();

  const before = (await api<{ counter: Counter }>('/counters/counter.4')).counter;
  const serviceId = before.services[0]!.serviceId;
  await page.getByTestId('layout-counter-4').getByRole('button', { name: '编辑' }).click();
  const counterEditor = page.getByTestId('counter-editor');
  await counterEditor.locator('input[name=calls-Q]').check();
  await counterEditor.getByTestId(`counter-service-${serviceId}`).locator('input[type=number]').fill('3');
  await page.screenshot({ path: join(SCREENSHOTS, '09-queues-counters.png'), fullPage: true });
  await counterEditor.getByTestId('save-counter').click();
  await expect(page.getByTestId('layout-message')).toHaveText('已保存');
  const { counter } = await api<{ counter: Counter }>('/counters/counter.4');
  expect(counter.queueIds).toContain(added.id);
  expect(counter.services.find((x) => x.serviceId === serviceId)?.priority).toBe(3);

  const groups = page.getByTestId('priority-groups');
  await groups.getByRole('button', { name: '新增群体' }).click();
  await groups.locator('.row').last().locator('input').first().fill('孕妇');
  await groups.getByTestId('save-groups').click();
  await expect(page.getByTestId('layout-message')).toHaveText('已保存');
  const hall = await api<{ callingRules: CallingRules }>(`/halls/${central.hallId}`);
  expect(hall.callingRules.priorityGroups.map((g) => g.name.zh)).toContain('孕妇');
  const audit = await listAudit(central.database.db, {});
  expect(audit.filter((a) => a.actor.id === 'staff.hall-manager').map((a) => a.entity)).toEqual(expect.arrayContaining(['queue', 'counter', 'calling_rules']));
});

test('forms page: a new field with a validation pattern shows in the kiosk preview and saves a new version', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-forms').click();
  const editor = page.getByTestId('form-editor');
  await expect(editor).toBeVisible();
  const title = (await editor.locator('h2').innerText()).split(' ')[0]!;
  const { forms } = await api<{ forms: FormSchema[] }>('/forms');
  const form = forms.find((f) => f.title.zh === title)!;
  const section = form.sections[0]!;
  await editor.getByTestId(`add-field-${section.id}`).click();
  const added = editor.locator('.field-edit').nth(section.fields.length);
  await added.getByLabel('字段编号').fill('postcode');
  await added.getByLabel('名称').fill('邮政编码');
  await added.locator('input[name=required-postcode]').check();
  await added.locator('input[name=pattern-postcode]').fill('\\d{6}');

  const preview = page.getByTestId('kiosk-preview');
  await expect(preview.getByTestId('preview-field-postcode')).toContainText('邮政编码*');
  await preview.getByTestId('preview-input-postcode').fill('5100');
  await preview.getByTestId('preview-next').click();
  await expect(preview.getByTestId('preview-error-postcode')).toHaveText('格式不正确');
  // Fields read from the ID card are shown as the kiosk shows them: masked.
  await expect(preview).toContainText('已从身份证');
  await page.screenshot({ path: join(SCREENSHOTS, '10-forms.png'), fullPage: true });
  await preview.getByTestId('preview-input-postcode').fill('510000');
  await expect(preview.getByTestId('preview-error-postcode')).toHaveCount(0);

  await editor.getByTestId('save-form').click();
  await expect(page.getByTestId('form-message')).toHaveText(`已保存为版本 ${form.version + 1}`);
  const saved = (await api<{ form: FormSchema }>(`/forms/${form.id}`)).form;
  expect(saved.version).toBe(form.version + 1);
  expect(saved.sections[0]!.fields.find((f) => f.id === 'postcode')).toMatchObject({ pattern: '\\d{6}', required: true });
  const audit = await listAudit(central.database.db, { entity: 'form', entityId: form.id });
  expect(audit[0]?.hallId).toBe(central.hallId);
});

test('SMS templates page: placeholders are checked, the preview masks the pickup code, the hall’s text is saved', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-sms').click();
  const card = page.getByTestId('sms-locker_deposited');
  await expect(card).toContainText('系统默认');
  const text = card.getByTestId('sms-text-locker_deposited');
  await text.fill('【天河政务大厅】您的办件{caseNumber}已存入{lockerName}。');
  await expect(card.getByTestId('sms-problems-locker_deposited')).toContainText('{pickupCode}');
  await expect(card.getByTestId('sms-save-locker_deposited')).toBeDisabled();
  await text.fill('【天河政务大厅】您的办件{caseNumber}已存入{lockerName}{compartmentId}号柜，取件码');
  await card.getByRole('button', { name: '{pickupCode} 取件码' }).click();
  const preview = card.getByTestId('sms-preview-locker_deposited');
  await expect(preview).toContainText('取件码********');
  await expect(preview).toContainText('GZ2026031100123');
  await expect(card.getByTestId('sms-save-locker_deposited')).toBeEnabled();
  await page.screenshot({ path: join(SCREENSHOTS, '11-sms-templates.png') });
  await card.getByTestId('sms-save-locker_deposited').click();
  await expect(card.getByTestId('sms-message-locker_deposited')).toHaveText('已保存');
  await expect(card).toContainText('本大厅自定义');
  const audit = await listAudit(central.database.db, { entity: 'sms_template' });
  expect(audit.map((a) => [a.entityId, a.hallId])).toEqual([['locker_deposited', central.hallId]]);
});

test('holidays page: a holiday week and a make-up working Saturday are kept per hall', async ({ page, request }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-calendar').click();
  const form = page.getByTestId('add-days');
  const year = new Date().getFullYear();
  await form.locator('input[name=from]').fill(`${year}-10-01`);
  await form.locator('input[name=to]').fill(`${year}-10-07`);
  await form.locator('input[name=name]').fill('国庆节');
  await form.getByRole('button', { name: '添加' }).click();
  await expect(page.getByTestId('calendar-message')).toHaveText('已保存');
  await expect(page.getByTestId('calendar-days').locator('tr')).toHaveCount(7);
  await form.locator('input[name=from]').fill(`${year}-10-10`);
  await form.locator('input[name=to]').fill('');
  await form.locator('select[name=kind]').selectOption('workday');
  await form.locator('input[name=name]').fill('国庆节调休');
  await form.getByRole('button', { name: '添加' }).click();
  await expect(page.getByTestId(`day-${year}-10-10`)).toContainText('调休上班');
  await expect(page.getByTestId('year-grid').locator('.mark-holiday')).toHaveCount(7);
  await page.screenshot({ path: join(SCREENSHOTS, '12-holidays.png') });
  await page.getByTestId(`day-${year}-10-07`).getByRole('button', { name: '删除' }).click();
  await expect(page.getByTestId('calendar-days').locator('tr')).toHaveCount(7);

  const t2 = await tokenOf(request, 't2-manager', FIXTURE_PASSWORD);
  const other = await request.put(`${central.url}/api/v1/admin/halls/${central.hallId}/calendar`, {
    headers: { authorization: `Bearer ${t2}` },
    data: { remove: [`${year}-10-01`] },
  });
  expect(other.status()).toBe(403);
  expect(await listAudit(central.database.db, { entity: 'calendar' })).toHaveLength(3);
});

test('statistics export to Excel is a workbook with the figures, audited like CSV', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-stats').click();
  await expect(page.locator('svg.chart').first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-split-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/^hall-stats-service-.*\.xlsx$/);
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const xml = Object.entries(files)
    .filter(([name]) => name.startsWith('xl/'))
    .map(([, data]) => strFromU8(data))
    .join('');
  expect(xml).toContain('等候均值（分钟）');
  expect(xml).toContain('居民身份证');
  const audit = await listAudit(central.database.db, { entity: 'stats' });
  expect(audit.some((a) => a.action === 'export' && (a.detail as { format?: string } | null)?.format === 'xlsx')).toBe(true);
});

test('a notice published in the console reaches the wall display through the catalogue', async ({ page }) => {
  test.setTimeout(120_000);
  const config = await enrolledConfig(central, { deviceId: 'display-notices', role: 'display', rendererDir: builtRenderer('display') });
  let display: DisplayStation | undefined;
  try {
    display = await startDisplayStation(config, {
      host: true,
      display: parseDisplayConfig({ notices: ['请留意叫号'], voice: { enabled: false } }),
      sync: { ...FAST_SYNC, catalogueRefreshMs: 300 },
    });
    const wall = await page.context().newPage();
    await wall.goto(display.runtime.host?.url ?? '');
    await expect(wall.getByTestId('notices')).toContainText('请留意叫号');

    await login(page, 'hallmanager');
    await page.getByTestId('nav-notices').click();
    await page.getByLabel('公告内容').fill('今日下午出入境业务暂停办理');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await expect(page.locator('ul.notices')).toContainText('今日下午出入境业务暂停办理');
    await expect(wall.getByTestId('notices')).toContainText('今日下午出入境业务暂停办理', { timeout: 15_000 });
    await wall.screenshot({ path: join(SCREENSHOTS, '13-notice-on-wall-display.png') });

    // Switched off in the console, it leaves the wall.
    // The box follows the saved notice, so it changes once the server has answered.
    const active = page.locator('ul.notices li').filter({ hasText: '今日下午出入境业务暂停办理' }).getByRole('checkbox');
    await active.click();
    await expect(active).not.toBeChecked();
    await expect(wall.getByTestId('notices')).not.toContainText('今日下午出入境业务暂停办理', { timeout: 15_000 });
    await expect(wall.getByTestId('notices')).toContainText('请留意叫号');
  } finally {
    await display?.stop();
  }
});
