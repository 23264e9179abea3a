import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { smsDb } from '../../../apps/server/src/sms/outbox';
import { startHallCentral, type HallCentral } from '../harness/central';
import { buildConsole, SCREENSHOTS } from './build';
import { counterDesk } from './counterDesk';
import { signIn } from './hall';
import { kioskDesk } from './kioskDesk';

/**
 * 窗口绩效 (issue 20): counters serve tickets and decide cases through the real sync API in
 * this run; the hall manager builds a scheme, records a penalty, scores the month from that
 * activity and publishes it; clerk 1 reads the result in the console and appeals; the manager
 * answers; the month report and its CSV carry the same figures. Each step's SMS is queued.
 */
let central: HallCentral;
const SERVICE = demoHall.services.find((s) => s.id === 'residence-permit')!;
const REQUIRED = SERVICE.materials.filter((m) => m.required).map((m) => m.id);
const QUEUE = demoHall.queues.find((q) => q.serviceIds.includes(SERVICE.id))!;
// A fictitious 139 0020 mobile for clerk 1.
const CLERK_PHONE = ['139', '0020', '7701'].join('');
const month = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

test.use({ viewport: { width: 1600, height: 1000 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  const kiosk = await kioskDesk(central, 'e2e-perf-kiosk');
  const desk1 = await counterDesk(central, { deviceId: 'e2e-perf-c1', counterId: 'counter.1', login: 'clerk1', password: 'demo-clerk1' });
  const desk2 = await counterDesk(central, { deviceId: 'e2e-perf-c2', counterId: 'counter.2', login: 'clerk2', password: 'demo-clerk2' });
  const applied = async (verdict: Promise<{ status: string }>) => expect(await verdict).toMatchObject({ status: 'applied' });
  const serve = async (desk: typeof desk1, counterId: string, rating: string) => {
    const ticketId = await kiosk.issue(QUEUE.id, SERVICE.id);
    await applied(desk.push('callSpecific', { ticketId }));
    await applied(desk.push('startServing', { ticketId }));
    await applied(desk.push('finish', { ticketId }));
    await applied(desk.push('recordEvaluation', { evaluationId: crypto.randomUUID(), ticketId, counterId, rating, defaulted: false }));
  };
  const accept = (desk: typeof desk1, n: number) =>
    applied(
      desk.push('acceptCase', {
        caseId: crypto.randomUUID(),
        caseNumber: `SW-PERF-${n}`,
        serviceId: SERVICE.id,
        formId: 'form.residence-permit',
        formVersion: 1,
        citizen: { maskedName: '测*', idHash: 'ef'.repeat(32) },
        values: { name: '测试乙', idNumber: makeTestIdNumber({ birthDate: '1990-02-03', sequence: 50 + n }), residenceSince: '2024-01-02', basis: 'job' },
        received: REQUIRED.map((materialId) => ({ materialId, pageCount: 1 })),
      }),
    );
  await applied(desk1.push('openCounter', {}));
  await applied(desk2.push('openCounter', {}));
  // Clerk 1: two tickets, both satisfied, two cases accepted.
  await serve(desk1, 'counter.1', 'very_satisfied');
  await serve(desk1, 'counter.1', 'satisfied');
  await accept(desk1, 1);
  await accept(desk1, 2);
  // Clerk 2: one ticket, unsatisfied, one case refused with the one-time notice.
  await serve(desk2, 'counter.2', 'unsatisfied');
  await applied(desk2.push('refuseCase', { caseId: crypto.randomUUID(), serviceId: SERVICE.id, reason: '材料不齐', missingMaterialIds: [REQUIRED[0]!] }));
});

test.afterAll(async () => central?.close());

const sms = async (template: string) => (await smsDb(central.database.db).selectFrom('sms_outbox').select('template').where('template', '=', template).execute()).length;

async function signInClerk(page: Page) {
  await page.goto(`${central.url}/console/`);
  await page.locator('input[name=login]').fill('clerk1');
  await page.locator('input[name=password]').fill('demo-clerk1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('my-performance-page')).toBeVisible();
  // A clerk sees their own appraisal and nothing else of the console.
  await expect(page.locator('nav a')).toHaveCount(1);
}

test('a month’s appraisal over counter activity: scheme, penalty, compute, publish, appeal, answer, report', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-performance').click();
  await expect(page.getByTestId('performance-page')).toBeVisible();

  // 考评方案: cases handled 40 (relative to the best), calls 20 (relative), satisfaction 40 (rate).
  await page.getByTestId('scheme-name').fill('月度窗口考评');
  for (const [indicator, weight] of [['cases_handled', '40'], ['calls', '20'], ['satisfaction', '40']] as const) {
    await page.getByTestId(`scheme-use-${indicator}`).check();
    await page.getByTestId(`scheme-weight-${indicator}`).fill(weight);
  }
  await page.getByTestId('scheme-save').click();
  await expect(page.getByTestId('scheme-message')).toHaveText('方案已保存');

  // 扣分事件 for clerk 2, and the number clerk 1 is told on.
  await page.getByTestId('event-clerk-SW020').check();
  await page.getByTestId('event-kind').selectOption('penalty');
  await page.getByTestId('event-points').fill('2');
  await page.getByTestId('event-reason').fill('工作时间离岗');
  await page.getByTestId('event-record').click();
  await expect(page.getByTestId('event-message')).toHaveText('已登记 1 条');
  await expect(page.getByTestId('events-table')).toContainText('工作时间离岗');
  await page.getByTestId('contact-SW010').fill(CLERK_PHONE);
  await page.getByTestId('contact-save-SW010').click();
  await expect(page.getByTestId('contacts-section')).toContainText('已设置');

  // Scores from what the counters did: clerk 1 is best in cases and calls and fully satisfied
  // (40 + 20 + 40); clerk 2 has half of each count, no satisfied rating and the penalty (20 + 10 + 0 − 2).
  await page.getByTestId('appraisal-compute').click();
  await expect(page.getByTestId('appraisal-status')).toContainText('草稿');
  await expect(page.getByTestId('result-SW010').getByTestId('result-total')).toHaveText('100');
  await expect(page.getByTestId('result-SW020').getByTestId('result-total')).toHaveText('28');
  await expect(page.getByTestId('result-SW010').locator('td').first()).toHaveText('1');
  await expect(page.getByTestId('result-SW020').locator('td').first()).toHaveText('2');
  await page.getByTestId('appraisal-section').screenshot({ path: join(SCREENSHOTS, 'performance-appraisal.png') });

  await page.getByTestId('appraisal-publish').click();
  await expect(page.getByTestId('appraisal-status')).toContainText('已发布');
  expect(await sms('appraisal_published')).toBe(1);

  // Clerk 1 reads the result and appeals once.
  const clerkContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const clerk = await clerkContext.newPage();
  await signInClerk(clerk);
  const result = clerk.getByTestId(`my-result-${month()}`);
  await expect(result.getByTestId('my-total')).toHaveText('100');
  await expect(result.getByTestId('my-rank')).toHaveText('1');
  await result.getByTestId('my-appeal-reason').fill('两件受理之外还有一次咨询未计入');
  await result.getByTestId('my-appeal-submit').click();
  await expect(result.getByTestId('my-appeal')).toContainText('申诉已提交');
  await expect(result.getByTestId('my-appeal-submit')).toHaveCount(0);
  await clerk.screenshot({ path: join(SCREENSHOTS, 'performance-my-appraisal.png'), fullPage: true });

  // The manager must answer it.
  await page.reload();
  const appeal = page.getByTestId('appeal-SW010');
  await expect(appeal).toContainText('两件受理之外还有一次咨询未计入');
  await appeal.getByTestId('appeal-answer').fill('咨询不属于办件量，维持原结果');
  await appeal.getByTestId('appeal-send').click();
  await expect(appeal.getByTestId('appeal-outcome')).toHaveText('申诉不成立：咨询不属于办件量，维持原结果');
  expect(await sms('appeal_answered')).toBe(1);
  await clerk.reload();
  await expect(clerk.getByTestId(`my-result-${month()}`).getByTestId('my-appeal-answer')).toContainText('申诉不成立');
  await clerkContext.close();

  // The same month per counter (窗口): counter 1 as clerk 1's figures, counter 2 without clerk 2's penalty.
  await page.getByTestId('appraisal-subject').selectOption('counter');
  await expect(page.getByTestId('appraisal-section')).toContainText('该周期尚未计算考评');
  await page.getByTestId('appraisal-compute').click();
  await expect(page.getByTestId('result-1').getByTestId('result-total')).toHaveText('100');
  await expect(page.getByTestId('result-2').getByTestId('result-total')).toHaveText('30');
  await page.getByTestId('appraisal-section').screenshot({ path: join(SCREENSHOTS, 'performance-counters.png') });
  await page.getByTestId('appraisal-subject').selectOption('clerk');
  await expect(page.getByTestId('result-SW020').getByTestId('result-total')).toHaveText('28');

  // 月度报表 with CSV export.
  const report = page.getByTestId('report-section');
  await expect(report.getByTestId('report-SW010')).toContainText('优秀');
  await expect(report.getByTestId('report-SW020')).toContainText('待改进');
  const [download] = await Promise.all([page.waitForEvent('download'), report.getByTestId('report-export').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\uFEFF排名,工号,姓名,考评次数,平均得分,最好名次,加分,扣分,等次');
  expect(csv).toContain('1,SW010,窗口一号办事员,1,100,1,0,0,优秀');
  expect(csv).toContain('2,SW020,窗口二号办事员,1,28,2,0,2,待改进');
  await page.screenshot({ path: join(SCREENSHOTS, 'performance-page.png'), fullPage: true });
});
