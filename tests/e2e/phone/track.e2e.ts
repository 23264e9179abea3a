import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { receiptQrPayload } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { createOfficer, type Officer } from '../harness/backOffice';
import { startHallCentral, type HallCentral } from '../harness/central';
import { screenshotDir } from '../harness/screenshots';
import { counterDesk } from '../console/counterDesk';

/**
 * Issue 18, track my case: the acceptance receipt's QR opens the case on a phone (390×844).
 * A case accepted at counter 2 through the sync API shows 审批中; the department's officer
 * approves and completes it, and the open page shows 已办结 and where the result waits,
 * pushed without a reload.
 */
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = screenshotDir('phone');
const SERVICE = demoHall.services.find((s) => s.id === 'residence-permit')!;
let central: HallCentral;
let desk: Awaited<ReturnType<typeof counterDesk>>;
let officer: Officer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  desk = await counterDesk(central, { deviceId: 'e2e-track-counter2', counterId: 'counter.2', login: 'clerk2', password: 'demo-clerk2' });
  officer = await createOfficer(central, { login: 'hallmanager', password: 'demo-hallmanager' }, { id: 'e2e-track-officer', departmentId: SERVICE.departmentId, password: 'e2e-track-officer-pw' });
});
test.afterAll(async () => central?.close());

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A residence-permit case accepted at counter 2 through the sync API, with a receipt token as the counter station makes one. */
async function acceptedCase(caseNumber: string): Promise<{ caseId: string; receiptToken: string }> {
  const caseId = crypto.randomUUID();
  const receiptToken = randomBytes(16).toString('base64url');
  const verdict = await desk.push('acceptCase', {
    caseId,
    caseNumber,
    receiptToken,
    serviceId: SERVICE.id,
    formId: 'form.residence-permit',
    formVersion: 1,
    citizen: { maskedName: '测*', idHash: 'cd'.repeat(32) },
    values: { name: '测试乙', residenceSince: '2024-01-02', basis: 'employment' },
    received: SERVICE.materials.filter((m) => m.required).map((m) => ({ materialId: m.id, pageCount: 1 })),
  });
  expect(verdict, JSON.stringify(verdict)).toMatchObject({ status: 'applied' });
  return { caseId, receiptToken };
}

test('the receipt link shows 审批中, then 已办结 with where to collect, pushed as the officer decides', async ({ browser }) => {
  test.setTimeout(90_000);
  const { caseId, receiptToken } = await acceptedCase('TRACK-2026-0001');
  // What the counter prints as the receipt's QR once it knows the API's public address.
  const link = receiptQrPayload({ id: caseId, receiptToken }, central.url);
  expect(link).toBe(`${central.url}/track/${caseId}.${receiptToken}`);

  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(link);
  await expect(phone.getByTestId('track-step')).toHaveText('已受理，审批中');
  await expect(phone.getByTestId('track-number')).toHaveText('TRACK-2026-0001');
  await expect(phone.getByTestId('track-name')).toHaveText('测*');
  await expect(phone.getByTestId('track-service')).toHaveText(SERVICE.name.zh);
  await expect(phone.getByTestId('track-link')).toHaveText('实时更新中');
  await expect(phone.locator('body')).not.toContainText('测试乙');
  await shot(phone, 'track-01-review');
  let loads = 0;
  phone.on('load', () => (loads += 1));

  await officer.act(caseId, 'approve', { note: '符合条件' });
  await expect(phone.getByTestId('track-step')).toHaveText('审批通过，正在制作结果');
  await officer.act(caseId, 'complete');
  await expect(phone.getByTestId('track-step')).toHaveText('已办结');
  await expect(phone.getByTestId('track-where')).toContainText('出件窗口');
  // Newest first: submitted and accepted at the counter, then the officer's two steps.
  await expect(phone.getByTestId('track-timeline').locator('li span')).toHaveText(['办结', '审批通过', '窗口受理', '提交申请']);
  await expect(phone.getByTestId('track-link')).toHaveText('实时更新中');
  expect(loads).toBe(0);
  await shot(phone, 'track-02-completed');

  await phone.getByRole('button', { name: 'English' }).click();
  await expect(phone.getByTestId('track-step')).toHaveText('Completed');
  await shot(phone, 'track-03-completed-english');
  await phone.getByRole('button', { name: '中文' }).click();

  // An altered token opens nothing and says so.
  await phone.goto(`${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`);
  await expect(phone.getByTestId('track-invalid')).toContainText('链接无效');
  await expect(phone.getByTestId('track-step')).toHaveCount(0);
  await shot(phone, 'track-04-invalid-link');
  await context.close();
});

test('a supplement request shows what to bring and by when', async ({ browser }) => {
  test.setTimeout(60_000);
  const { caseId, receiptToken } = await acceptedCase('TRACK-2026-0002');
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(receiptQrPayload({ id: caseId, receiptToken }, central.url));
  await expect(phone.getByTestId('track-step')).toHaveText('已受理，审批中');
  await officer.act(caseId, 'supplement', { items: [{ note: '居住证明需加盖社区公章' }] });
  await expect(phone.getByTestId('track-step')).toHaveText('待补正');
  await expect(phone.getByTestId('track-missing')).toHaveText('居住证明需加盖社区公章');
  await expect(phone.getByTestId('track-due')).toContainText('补正截止');
  await shot(phone, 'track-05-supplement');
  await context.close();
});
