import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Service } from '@hall/shared';
import { listAudit } from '../../../apps/server/src/store/audit';
import type { HallCentral } from '../harness/central';
import type { Activity } from './activity';
import { SCREENSHOTS } from './build';
import { signIn, startConsoleHall } from './hall';

let central: HallCentral;
let activity: Activity;

test.use({ viewport: { width: 1920, height: 1080 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({ central, activity } = await startConsoleHall());
  // One enrolled-never-synced kiosk (offline) and one pending display.
  await central.enrollmentCode('kiosk-1', 'kiosk');
  await central.database.db.updateTable('devices').set({ enrolled_at: new Date(Date.now() - 3600_000).toISOString() }).where('id', '=', 'kiosk-1').execute();
  await central.enrollmentCode('display-1', 'display');
  // A counter device registered before devices were bound to counters: its calls are refused until bound.
  await central.enrollmentCode('counter-old', 'counter');
  // The kiosk worked with three stations through a 12-minute outage of the central API an hour ago.
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  await central.database.db
    .withTables<{ sync_link_periods: { device_id: string; from_at: string; to_at: string; hall_id: string; mode: string; max_peers: number; local_mutations: number; received_at: string } }>()
    .insertInto('sync_link_periods')
    .values({ device_id: 'kiosk-1', from_at: minutesAgo(60), to_at: minutesAgo(48), hall_id: central.hallId, mode: 'mesh', max_peers: 3, local_mutations: 9, received_at: minutesAgo(47) })
    .execute();
});

test.afterAll(async () => central?.close());

const login = (page: Page, who: 'hallmanager' | 'cityadmin' | 't2-manager') => signIn(page, central, who);

test('login rejects a wrong password and opens the live hall', async ({ page }) => {
  await page.goto(`${central.url}/console/`);
  await page.locator('input[name=login]').fill('hallmanager');
  await page.locator('input[name=password]').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('登录失败');
  await page.screenshot({ path: join(SCREENSHOTS, '01-login.png') });
  await login(page, 'hallmanager');
  const live = page.getByTestId('live');
  await expect(live.getByTestId('counter-1')).toBeVisible();
  // Nine tickets wait today; the oldest has waited about 40 minutes, which raises an alert.
  const rows = live.getByTestId('queues').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const waiting = (await rows.allInnerTexts()).map((text) => Number(text.split('\t')[1] ?? 0)).reduce((a, b) => a + b, 0);
  expect(waiting).toBe(9);
  await expect(page.getByTestId('alerts')).toContainText('设备离线：kiosk-1');
  await expect(page.getByTestId('alerts')).toContainText('等候过久');
  await expect(live.getByTestId('devices')).toContainText('待注册');
  await expect(live.getByTestId('outage-kiosk-1')).toContainText(/中央服务中断期间与 3 台设备协同工作 12 分钟（\d\d:\d\d–\d\d:\d\d），本机办理 9 笔/);
  await expect(live.getByTestId('hall-outage')).toContainText('本厅最近一次中央服务中断 12 分钟');
  await page.screenshot({ path: join(SCREENSHOTS, '02-live-hall.png') });
});

test('statistics show the chart and tables, and the CSV export is audited', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-stats').click();
  await expect(page.locator('svg.chart').first()).toBeVisible();
  const series = page.getByTestId('series-table').locator('tbody tr');
  await expect(series.first()).toBeVisible();
  const column = async (i: number) => (await series.allInnerTexts()).map((text) => Number(text.split('\t')[i] ?? 0)).reduce((a, b) => a + b, 0);
  expect(await column(1)).toBe(activity.tickets);
  // 咨询号 counted apart, beside the issued count.
  expect(activity.consultations).toBeGreaterThan(0);
  expect(await column(2)).toBe(activity.consultations);
  await expect(page.getByTestId('split-table')).toContainText('居民身份证');
  await page.screenshot({ path: join(SCREENSHOTS, '03-statistics.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-split').click()]);
  expect(download.suggestedFilename()).toMatch(/^hall-stats-service-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('group,label,issued,consultation,served');
  await expect(page.getByTestId('export-state')).toHaveText('已导出');
  const audit = await listAudit(central.database.db, { entity: 'stats' });
  expect(audit.some((a) => a.action === 'export' && a.actor.id === 'staff.hall-manager')).toBe(true);
});

test('supervision lights cases red, orange and yellow by working days', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-supervision').click();
  const cases = page.getByTestId('cases');
  for (const light of ['red', 'orange', 'yellow'] as const) {
    await expect(cases.locator(`tr[data-light=${light}]`)).toContainText(activity.casesByLight[light][0]!);
  }
  await page.screenshot({ path: join(SCREENSHOTS, '04-supervision.png') });
});

test("editing a service's decision tree changes the citizen's path preview and saves a new config version", async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-services').click();
  const editor = page.getByTestId('tree-editor');
  await expect(editor).toBeVisible();
  const preview = page.getByTestId('tree-preview');
  // Walk the preview to a situation with the first option each time.
  for (let i = 0; i < 6 && !(await preview.getByTestId('preview-result').isVisible()); i++) {
    await preview.getByTestId('preview-question').locator('button').first().click();
  }
  await expect(preview.getByTestId('preview-result')).toBeVisible();
  const before = await preview.getByTestId('preview-result').innerText();

  // The last question on the first-option path: swap where its first option and another
  // option lead, so the same clicks now reach a different situation and the tree stays valid.
  const { services } = (await (await fetch(`${central.url}/api/v1/services?hallId=${central.hallId}`)).json()) as { services: Service[] };
  const service = services.find((s) => s.decisionTree)!;
  const tree = service.decisionTree!;
  let question = tree.questions.find((q) => q.id === tree.rootQuestionId)!;
  for (;;) {
    const next = question.options[0]!.next ?? question.next;
    if (!next || next.type === 'situation') break;
    question = tree.questions.find((q) => q.id === next.questionId)!;
  }
  const first = question.options[0]!;
  const other = question.options.find((o) => o.next?.type === 'situation' && JSON.stringify(o.next) !== JSON.stringify(first.next))!;
  expect(other, `question ${question.id} needs two options leading to different situations`).toBeTruthy();
  const firstSelect = editor.getByTestId(`next-${question.id}-${first.id}`);
  const otherSelect = editor.getByTestId(`next-${question.id}-${other.id}`);
  const [a, b] = [await firstSelect.inputValue(), await otherSelect.inputValue()];
  await firstSelect.selectOption(b);
  await otherSelect.selectOption(a);
  for (let i = 0; i < 6 && !(await preview.getByTestId('preview-result').isVisible()); i++) {
    await preview.getByTestId('preview-question').locator('button').first().click();
  }
  await expect(preview.getByTestId('preview-result')).toBeVisible();
  const after = await preview.getByTestId('preview-result').innerText();
  expect(after).not.toBe(before);
  await page.screenshot({ path: join(SCREENSHOTS, '05-decision-tree.png') });

  const versionBefore = await page.getByTestId('config-version').innerText();
  await page.getByTestId('save-service').click();
  await expect(page.getByTestId('save-message')).toContainText('已保存');
  await expect(page.getByTestId('config-version')).not.toHaveText(versionBefore);
  const audit = await listAudit(central.database.db, { entity: 'service' });
  expect(audit.some((a) => a.action === 'update' && a.actor.id === 'staff.hall-manager')).toBe(true);
});

test('a hall manager sees only their hall; the city administrator sees all', async ({ page, request }) => {
  await login(page, 'hallmanager');
  const select = page.getByTestId('hall-select');
  await expect(select).toBeDisabled();
  await expect(select.locator('option')).toHaveCount(1);
  const token = await page.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('hall-console-session') ?? '{}').token as string);
  const other = await request.get(`${central.url}/api/v1/stats?hallId=t2-hall&from=2026-01-01&to=2026-12-31`, { headers: { authorization: `Bearer ${token}` } });
  expect(other.status()).toBe(403);
  const live = await request.get(`${central.url}/api/v1/admin/halls/t2-hall/live`, { headers: { authorization: `Bearer ${token}` } });
  expect(live.status()).toBe(403);

  await page.getByRole('button', { name: '退出' }).click();
  await login(page, 'cityadmin');
  await expect(page.getByTestId('hall-select')).toBeEnabled();
  await expect(page.getByTestId('hall-select').locator('option')).toHaveCount(2);
  await page.getByTestId('hall-select').selectOption('t2-hall');
  await expect(page.getByTestId('live').getByTestId('counter-1')).toContainText('1号窗口');
  await page.getByTestId('language').click();
  await page.getByTestId('hall-select').selectOption(central.hallId);
  await page.getByTestId('nav-stats').click();
  await expect(page.getByRole('button', { name: 'Show' })).toBeVisible();
  await expect(page.locator('svg.chart').first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, '06-statistics-en-city-admin.png'), fullPage: true });
});

test('calling rules and counter priorities are edited, saved and audited', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-rules').click();
  const maxRecalls = page.locator('input[name=maxRecalls]');
  await expect(maxRecalls).toBeVisible();
  await maxRecalls.fill('4');
  await page.getByTestId('save-rules').click();
  await expect(page.getByTestId('rules-message')).toHaveText('已保存');
  const hall = (await (await fetch(`${central.url}/api/v1/halls/${central.hallId}`)).json()) as { callingRules: { maxRecalls: number } };
  expect(hall.callingRules.maxRecalls).toBe(4);

  type CounterBody = { counter: { services: { serviceId: string; priority: number }[] } };
  const readCounter = async () => ((await (await fetch(`${central.url}/api/v1/counters/counter.1`)).json()) as CounterBody).counter;
  const firstService = (await readCounter()).services[0]!.serviceId;
  const row = page.getByTestId('counter-row-1');
  const priority = row.locator('input[type=number]').first();
  await priority.fill('7');
  await row.getByRole('button').click();
  await expect(page.getByTestId('rules-message')).toHaveText('已保存');
  expect((await readCounter()).services.find((s) => s.serviceId === firstService)?.priority).toBe(7);
  const audit = await listAudit(central.database.db, {});
  expect(audit.filter((a) => a.actor.id === 'staff.hall-manager').map((a) => a.entity)).toEqual(expect.arrayContaining(['calling_rules', 'counter']));
  await page.screenshot({ path: join(SCREENSHOTS, '07-calling-rules-counters.png') });
});

test('a counter device registered before counter binding is bound to its counter from the devices page', async ({ page }) => {
  await login(page, 'hallmanager');
  await page.getByTestId('nav-devices').click();
  const row = page.getByTestId('devices').locator('tr', { hasText: 'counter-old' });
  await expect(row).toContainText('未绑定窗口');
  await row.getByTestId('bind-counter').selectOption({ label: '3' });
  await row.getByRole('button', { name: '绑定' }).click();
  await expect(page.getByText('已绑定窗口')).toBeVisible();
  await expect(row).not.toContainText('未绑定窗口');
  const bound = await central.database.db.selectFrom('devices').select('counter_id').where('id', '=', 'counter-old').executeTakeFirstOrThrow();
  expect(bound.counter_id).toBe('counter.3');
});

test('the devices page flags a station whose clock is more than a minute off the server', async ({ page }) => {
  // As the kiosk's sync calls report it: server minus station, a PC 5 minutes fast.
  await central.database.db.updateTable('devices').set({ clock_offset_ms: -5 * 60_000, clock_offset_at: new Date().toISOString() }).where('id', '=', 'kiosk-1').execute();
  await login(page, 'hallmanager');
  await page.getByTestId('nav-devices').click();
  await expect(page.getByTestId('clock-skew-kiosk-1')).toHaveText('时钟快 5 分钟');
  await expect(page.getByTestId('devices').locator('tr', { hasText: 'display-1' }).getByText(/时钟/)).toHaveCount(0);
});
