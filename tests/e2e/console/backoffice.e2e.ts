import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber, maskIdNumber } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { listAudit } from '../../../apps/server/src/store/audit';
import { startHallCentral, type HallCentral } from '../harness/central';
import { buildConsole, SCREENSHOTS } from './build';
import { counterDesk } from './counterDesk';
import { signIn } from './hall';

/**
 * 后台审批 in the console: cases accepted at a counter (through the real sync API) reach the
 * household department's officer, who asks for a supplement, sees it brought at a counter,
 * approves and completes; a withdrawal waits for the hall manager; another department's
 * officer never sees the case.
 */
let central: HallCentral;
let desk: Awaited<ReturnType<typeof counterDesk>>;

const SERVICE = demoHall.services.find((s) => s.id === 'residence-permit')!;
const REQUIRED = SERVICE.materials.filter((m) => m.required).map((m) => m.id);
const OPTIONAL = SERVICE.materials.find((m) => !m.required)!;
const PHOTO = `${SERVICE.id}.m.photo`;
// A made-up citizen: the test ID generator's number, a fictitious 1xx-0000 phone.
const ID_NUMBER = makeTestIdNumber({ birthDate: '1988-05-06', sequence: 41 });
const PHONE = '13800000000';

test.use({ viewport: { width: 1600, height: 1000 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  desk = await counterDesk(central, { deviceId: 'e2e-bo-counter2', counterId: 'counter.2', login: 'clerk2', password: 'demo-clerk2' });
});

test.afterAll(async () => central?.close());

/** A residence-permit case accepted at counter 2 with every required material (the optional one missing). */
async function acceptCase(number: string): Promise<string> {
  return accept({
    caseNumber: number,
    serviceId: SERVICE.id,
    formId: 'form.residence-permit',
    formVersion: 1,
    citizen: { maskedName: '测*', idHash: 'ab'.repeat(32) },
    values: { name: '测试甲', idNumber: ID_NUMBER, phone: PHONE, residenceSince: '2024-01-02', basis: 'job' },
    received: REQUIRED.map((materialId) => ({ materialId, pageCount: 2 })),
  });
}

async function accept(payload: Record<string, unknown>, at = desk): Promise<string> {
  const caseId = crypto.randomUUID();
  const verdict = await at.push('acceptCase', { caseId, ...payload });
  expect(verdict, JSON.stringify(verdict)).toMatchObject({ status: 'applied' });
  return caseId;
}

async function signInOfficer(page: Page, login: string) {
  await page.goto(`${central.url}/console/`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(`demo-${login}`);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('backoffice')).toBeVisible();
}

test('an officer asks for a supplement, sees it brought, approves and completes; errors are plain; another department sees nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const caseId = await acceptCase('SW-2026-0001');
  const blocked = await acceptCase('SW-2026-0002');
  expect(await desk.push('requestWithdrawal', { caseId: blocked, cause: 'citizen_request', reason: '申请人不再办理' })).toMatchObject({ status: 'applied' });

  // The exit-entry officer: a back office with none of the household cases, not even by number.
  await signInOfficer(page, 'officer2');
  await expect(page.getByTestId('nav-live')).toHaveCount(0);
  await expect(page.getByTestId('nav-backoffice')).toBeVisible();
  await expect(page.getByTestId('backoffice')).toContainText('没有待办办件');
  await page.getByTestId('bo-search').fill('SW-2026-0001');
  await page.getByTestId('bo-search').press('Enter');
  await expect(page.getByTestId('backoffice')).toContainText('没有待办办件');
  await page.getByRole('button', { name: '退出' }).click();

  // The household officer: both cases, in review, with their deadline.
  await signInOfficer(page, 'officer1');
  await expect(page.getByTestId('nav-stats')).toHaveCount(0);
  const row = page.getByTestId('bo-case-SW-2026-0001');
  await expect(row).toContainText('审批');
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(row).toHaveAttribute('data-overdue', 'false');
  await expect(page.getByTestId('bo-case-SW-2026-0002')).toContainText('撤销待审批');
  await page.getByTestId('bo-stage-supplement').click();
  await expect(page.getByTestId('backoffice')).toContainText('没有待办办件');
  await page.getByTestId('bo-stage-review').click();
  await row.click();
  const view = page.getByTestId('bo-case');
  await expect(view).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId(`bo-material-${PHOTO}`)).toHaveAttribute('data-state', 'received');
  await expect(page.getByTestId(`bo-material-${OPTIONAL.id}`)).toHaveAttribute('data-state', 'missing');
  // The form is masked; revealing it is a deliberate, audited act.
  await expect(page.getByTestId('bo-field-idNumber')).toHaveText(maskIdNumber(ID_NUMBER));
  // A choice reads as its option's label, not the stored value.
  await expect(page.getByTestId('bo-field-basis')).toHaveText('就业');
  await expect(view).not.toContainText(ID_NUMBER);
  await expect(view).not.toContainText(PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, '40-backoffice-case.png'), fullPage: true });
  await page.getByTestId('bo-reveal').click();
  await expect(page.getByTestId('bo-revealed')).toBeVisible();
  await expect(page.getByTestId('bo-field-phone')).toHaveText(PHONE);
  expect(await listAudit(central.database.db, { entity: 'case_form', entityId: caseId })).toEqual([expect.objectContaining({ action: 'reveal' })]);
  await page.getByTestId('bo-hide').click();
  await expect(page.getByTestId('bo-field-phone')).not.toHaveText(PHONE);

  // 补正告知: a material from the list with a note, and a free request.
  await page.getByTestId(`bo-pick-${PHOTO}`).check();
  await page.getByTestId(`bo-pick-note-${PHOTO}`).fill('照片背景不是白色');
  await page.getByTestId('bo-supplement-free').fill('补充劳动合同首页');
  await page.screenshot({ path: join(SCREENSHOTS, '41-backoffice-supplement.png'), fullPage: true });
  await page.getByTestId('bo-supplement-send').click();
  await expect(page.getByTestId('bo-feedback')).toHaveText('已发送补正告知');
  await expect(view).toHaveAttribute('data-status', 'supplement_requested');
  await expect(page.getByTestId('bo-supplement')).toHaveCount(1);
  await expect(page.getByTestId('bo-supplement')).toContainText('照片背景不是白色');
  await expect(page.getByTestId('bo-supplement')).toContainText('等待补齐');
  await expect(page.getByTestId('bo-approve')).toHaveCount(0);

  // The citizen brings it to counter 2; the officer opens the case again and approves.
  expect(await desk.push('recordSupplement', { caseId, received: [{ materialId: PHOTO, pageCount: 1 }] })).toMatchObject({ status: 'applied' });
  await page.getByTestId('bo-stage-all').click();
  await page.getByTestId('bo-case-SW-2026-0001').click();
  await page.reload();
  await page.getByTestId('bo-case-SW-2026-0001').click();
  await expect(view).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('bo-supplement')).toContainText('已补齐');
  await page.getByTestId('bo-approve-note').fill('材料齐全，符合条件');
  await page.getByTestId('bo-approve').click();
  await expect(view).toHaveAttribute('data-status', 'approved');
  await page.getByTestId('bo-complete').click();
  await expect(view).toHaveAttribute('data-status', 'completed');
  const timeline = page.getByTestId('bo-timeline');
  for (const step of ['受理', '补正告知', '补正收件', '审批通过', '办结']) await expect(timeline).toContainText(step);
  await expect(timeline.locator('tr[data-kind=accepted]')).toContainText('窗口二号办事员');
  await expect(timeline.locator('tr[data-kind=approved]')).toContainText('户政审批员');
  await expect(timeline.locator('tr[data-kind=approved]')).toContainText('材料齐全，符合条件');
  await page.screenshot({ path: join(SCREENSHOTS, '42-backoffice-completed.png'), fullPage: true });

  // A case whose withdrawal waits: approving it is refused with the reason in words.
  await page.getByTestId('bo-case-SW-2026-0002').click();
  await expect(page.getByTestId('bo-withdrawal')).toContainText('待大厅管理员审批');
  await expect(page.getByTestId('bo-approve-withdrawal')).toHaveCount(0);
  await page.getByTestId('bo-approve').click();
  await expect(page.getByTestId('bo-feedback')).toHaveText('该办件有待审批的撤销申请，请先处理');
  await expect(view).toHaveAttribute('data-status', 'accepted');
  await page.getByRole('button', { name: '退出' }).click();

  // The hall manager approves the withdrawal from the same back office.
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-backoffice').click();
  await page.getByTestId('bo-search').fill('SW-2026-0002');
  await page.getByTestId('bo-search').press('Enter');
  await page.getByTestId('bo-case-SW-2026-0002').click();
  await expect(page.getByTestId('bo-approve')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, '43-backoffice-withdrawal.png'), fullPage: true });
  await page.getByTestId('bo-approve-withdrawal').click();
  await expect(view).toHaveAttribute('data-status', 'withdrawn');
  await expect(page.getByTestId('bo-withdrawal')).toContainText('已批准撤销');
});

test('the hall manager sets the case time limits; statistics count the lifecycle; supervision shows each case’s step', async ({ page }) => {
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-caseRules').click();
  await expect(page.getByTestId('case-rule-supplementDays')).toHaveValue('10');
  await page.getByTestId('case-rule-supplementDays').fill('15');
  // 物料流转: the hall's own limit for papers at one desk (48 h by default).
  await expect(page.getByTestId('case-rule-handoffStepLimitHours')).toHaveValue('48');
  await page.getByTestId('case-rule-handoffStepLimitHours').fill('24');
  await page.getByTestId('case-rules-save').click();
  await expect(page.getByTestId('case-rules-feedback')).toHaveText('已保存');
  await page.getByTestId('case-rule-supplementDays').fill('0');
  await page.getByTestId('case-rules-save').click();
  await expect(page.getByTestId('case-rules-feedback')).toHaveText('“补正期限（工作日）”的数值超出允许范围，未保存');
  await page.screenshot({ path: join(SCREENSHOTS, '44-case-rules.png'), fullPage: true });
  await page.reload();
  await page.getByTestId('nav-caseRules').click();
  await expect(page.getByTestId('case-rule-supplementDays')).toHaveValue('15');
  await expect(page.getByTestId('case-rule-handoffStepLimitHours')).toHaveValue('24');

  // The first test's cases: two accepted, one supplement, one approved and completed, one withdrawn.
  await page.getByTestId('nav-stats').click();
  const total = page.getByTestId('case-stats-total');
  await expect(total.locator('[data-count=accepted]')).toHaveText('2');
  await expect(total.locator('[data-count=supplemented]')).toHaveText('1');
  await expect(total.locator('[data-count=approved]')).toHaveText('1');
  await expect(total.locator('[data-count=completed]')).toHaveText('1');
  await expect(total.locator('[data-count=withdrawn]')).toHaveText('1');
  await expect(page.getByTestId(`case-stats-${SERVICE.id}`)).toContainText('居住证');
  await page.locator('select[name=dimension]').selectOption('clerk');
  await expect(page.getByTestId('case-stats-staff.clerk2')).toContainText('窗口二号办事员');
  await page.getByTestId('case-stats').screenshot({ path: join(SCREENSHOTS, '45-case-stats.png') });

  // A same-day certificate accepted six days ago at a counter that was offline since, pushed now: over its limit in review.
  const sixDaysAgo = new Date(Date.now() - 6 * 86_400_000);
  const offline = await counterDesk(central, { deviceId: 'e2e-bo-counter3', counterId: 'counter.3', login: 'clerk3', password: 'demo-clerk3', sessionStartedAt: sixDaysAgo });
  const certificate = demoHall.services.find((s) => s.id === 'household-certificate')!;
  const late = await accept(
    {
      at: new Date(sixDaysAgo.getTime() + 60_000).toISOString(),
      caseNumber: 'SW-2026-0003',
      serviceId: certificate.id,
      received: certificate.materials.filter((m) => m.required).map((m) => ({ materialId: m.id })),
    },
    offline,
  );
  await page.getByTestId('nav-supervision').click();
  // The board names a case by the number on its receipt.
  expect(late).not.toBe('SW-2026-0003');
  const board = page.getByTestId('cases').locator('tr', { hasText: 'SW-2026-0003' });
  await expect(board.getByTestId('case-stage')).toHaveText('审批');
  await page.screenshot({ path: join(SCREENSHOTS, '46-supervision-stage.png'), fullPage: true });
});

test('the inbox: a clerk’s question answered from its notice, a transfer that reaches the other officer with an unread count', async ({ page }) => {
  // A second household officer, added by the hall manager as the staff page does.
  const login = await fetch(`${central.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'hallmanager', password: 'demo-hallmanager' }) });
  const { token } = (await login.json()) as { token: string };
  const created = await fetch(`${central.url}/api/v1/staff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: 'staff.officer3', hallId: central.hallId, login: 'officer3', displayName: '户政复核员', staffNumber: 'SW303', departmentId: 'dept.household', roles: ['officer'], password: 'demo-officer3' }),
  });
  expect(created.status, await created.text()).toBe(201);

  const asked = crypto.randomUUID();
  expect(await desk.push('submitForm', { caseId: asked, serviceId: SERVICE.id, values: {} })).toMatchObject({ status: 'applied' });
  expect(await desk.push('requestConsult', { caseId: asked, question: '居住登记凭证过期一周，能否受理？' })).toMatchObject({ status: 'applied' });
  await acceptCase('SW-2026-0005');

  await signInOfficer(page, 'officer1');
  await expect(page.getByTestId('bo-unread')).toHaveText('1 条未读');
  await page.getByTestId('bo-notice-consult').getByRole('button').click();
  await expect(page.getByTestId('bo-unread')).toHaveCount(0);
  await expect(page.getByTestId('bo-consult')).toContainText('居住登记凭证过期一周');
  await page.getByTestId('bo-answer-text').fill('可先受理，一周内补交');
  await page.getByTestId('bo-answer').click();
  await expect(page.getByTestId('bo-feedback')).toHaveText('已答复');
  await expect(page.getByTestId('bo-consult')).toContainText('同意受理');

  await page.getByTestId('bo-case-SW-2026-0005').click();
  await page.getByTestId('bo-transfer-to').selectOption({ label: '户政复核员（SW303）' });
  await page.getByTestId('bo-transfer').click();
  await expect(page.getByTestId('bo-feedback')).toHaveText('已转办');
  await page.getByRole('button', { name: '退出' }).click();

  await signInOfficer(page, 'officer3');
  await expect(page.getByTestId('bo-unread')).toHaveText('2 条未读');
  await page.getByTestId('bo-mine').check();
  await expect(page.getByTestId('bo-list').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('bo-case-SW-2026-0005')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, '47-backoffice-inbox.png'), fullPage: true });
  await page.getByTestId('bo-notice-transfer').getByRole('button').click();
  await expect(page.getByTestId('bo-case')).toContainText('SW-2026-0005');
  await expect(page.getByTestId('bo-unread')).toHaveText('1 条未读');
  await expect(page.getByTestId('bo-timeline').locator('tr[data-kind=transferred]')).toContainText('户政审批员');
});

test('the hall manager’s announcement to officers waits in the inbox until the officer reads it (已阅 counted)', async ({ page }) => {
  const login = await fetch(`${central.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'hallmanager', password: 'demo-hallmanager' }) });
  const { token } = (await login.json()) as { token: string };
  const announcements = `${central.url}/api/v1/admin/halls/${central.hallId}/staff-announcements`;
  const posted = await fetch(announcements, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: { zh: '审批系统维护' }, body: { zh: '周五晚八点起暂停两小时，请提前处理到期件。' }, audience: 'officer' }),
  });
  const answer = await posted.text();
  expect(posted.status, answer).toBe(201);
  const { announcement } = JSON.parse(answer) as { announcement: { id: string } };

  await signInOfficer(page, 'officer1');
  const item = page.getByTestId('bo-announcement').filter({ hasText: '审批系统维护' });
  await expect(item).toHaveClass(/unread/);
  await expect(item).toContainText('通知');
  await item.getByRole('button').click();
  await expect(item.getByTestId('bo-announcement-body')).toHaveText('周五晚八点起暂停两小时，请提前处理到期件。');
  await expect(item).toHaveClass(/\bread\b/);
  await page.screenshot({ path: join(SCREENSHOTS, '48-backoffice-announcement.png'), fullPage: true });

  const listed = await fetch(announcements, { headers: { authorization: `Bearer ${token}` } });
  const all = ((await listed.json()) as { announcements: { id: string; readCount: number }[] }).announcements;
  expect(all.find((a) => a.id === announcement.id)?.readCount).toBe(1);
});
