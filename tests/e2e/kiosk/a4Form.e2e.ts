import { expect, test, type Page } from '@playwright/test';
import { pdfText, startTestCups, testCupsUnavailable, type TestCups } from '@hall/devices/testing';
import { type KioskStation } from './harness';
import { shoot, typeKeys, typePinyin, openKioskHall, type KioskHall } from './journeys';

/**
 * The guide in full at the kiosk, the blank and sample forms, and the filled application form
 * printed on the kiosk's A4 printer: a real CUPS (its own cupsd) with a cups-pdf queue, whose
 * PDF is read back. The first try meets a stopped printer; the citizen tries again.
 */
test.describe.configure({ mode: 'serial', timeout: 150_000 });

const unavailable = testCupsUnavailable();
test.skip(unavailable !== undefined, `no CUPS here: ${unavailable}`);

let hall: KioskHall;
let kiosk: KioskStation;
let cups: TestCups;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  cups = await startTestCups();
  hall = await openKioskHall(browser, { deviceId: 'kiosk-e2e-a4', env: { HALL_KIOSK_A4_PRINTER: cups.url } });
  ({ kiosk, page } = hall);
});

test.afterAll(async () => {
  await cups?.close();
  await hall?.close();
});

async function toMaterials(): Promise<void> {
  await page.getByTestId('home-guided').click();
  await page.getByTestId('browse-theme').click();
  await page.getByTestId('group-户籍证明').click();
  await page.getByTestId('service-household-certificate').click();
  await page.getByTestId('option-household-certificate.q.applicant.self').click();
  await page.getByTestId('option-household-certificate.q.kind.registration').click();
  await expect(page.getByTestId('screen-materials')).toBeVisible();
}

test('the full guide from the catalogue, with the blank and the sample form', async () => {
  await toMaterials();
  // The material names its blank form by title, which the guide then shows.
  await expect(page.getByTestId('material-household-certificate.m.application')).toContainText('空表：户籍证明申请表');
  await shoot(page, '69-materials-guide-button');
  await page.getByTestId('open-guide').click();
  await expect(page.getByTestId('screen-guide')).toBeVisible();
  await expect(page.getByTestId('guide-department')).toContainText('户政');
  await expect(page.getByTestId('guide-applicants')).toContainText('自然人');
  await expect(page.getByTestId('guide-conditions')).toContainText('本市户籍居民因办理相关事务需要证明其户籍信息');
  await expect(page.getByTestId('guide-legal-basis')).toContainText('《中华人民共和国户口登记条例》');
  await expect(page.getByTestId('guide-process')).toContainText('民警通过人口信息系统或户籍档案核实');
  await expect(page.getByTestId('guide-time-limit')).toContainText('法定时限：5 个工作日；承诺时限：即办');
  await expect(page.getByTestId('guide-fees')).toContainText('不收费');
  await expect(page.getByTestId('guide-place')).toContainText('汕尾市公安局政务服务中心一楼户政窗口');
  await shoot(page, '70-guide');
  // The end of the guide is reached by scrolling (a finger on the touch screen).
  await page.getByTestId('guide-forms').scrollIntoViewIfNeeded();
  await shoot(page, '71-guide-forms');

  await page.getByTestId('blank-household-certificate.m.application').click();
  await expect(page.getByTestId('screen-form-preview')).toBeVisible();
  await expect(page.getByTestId('blank-form')).toContainText('户籍证明申请表');
  await expect(page.getByTestId('blank-form')).toContainText('联系电话');
  await shoot(page, '72-blank-form');
  await page.getByTestId('nav-back').click();
  await page.getByTestId('sample-household-certificate.m.application').click();
  await expect(page.getByTestId('sample-form')).toContainText('样表');
  await expect(page.getByTestId('sample-form')).toContainText('138XXXXXXXX');
  await shoot(page, '73-sample-form');
  await page.getByTestId('nav-back').click();
  await expect(page.getByTestId('screen-guide')).toBeVisible();
  await page.getByTestId('nav-back').click();
  await expect(page.getByTestId('screen-materials')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});

test('the filled application form prints on the A4 printer through CUPS, and its PDF says what was typed', async () => {
  await toMaterials();
  await page.getByTestId('fill-form').click();
  await expect(page.getByTestId('screen-identify')).toBeVisible();
  const idNumber = await kiosk.placeCard({ birthDate: '1990-06-07', name: '测试打印人', sequence: 41 });
  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-form')).toBeVisible();
  await page.getByTestId('input-phone').click();
  await typeKeys(page, '13800138000');
  await page.getByTestId('key-done').click();
  await page.getByTestId('choice-purpose-employment').click();
  await page.getByTestId('input-details').click();
  await typeKeys(page, 'hujizhengming');
  await typePinyin(page, '', '户籍证明');
  await page.getByTestId('choice-pickup-counter').click();
  await page.getByTestId('form-review').click();
  await page.getByTestId('review-submit').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  await expect(page.getByTestId('submitted')).toBeVisible();

  // The printer is paused: the kiosk says so, and the form waits for another try.
  await cups.stopQueue();
  const before = await cups.pdfFiles();
  await page.getByTestId('print-form').click();
  await expect(page.getByTestId('form-print-status')).toHaveAttribute('data-printed', 'false');
  await expect(page.getByTestId('form-print-status')).toHaveAttribute('data-problem', 'stopped');
  await expect(page.getByTestId('form-print-status')).toContainText('A4打印机已暂停');
  await shoot(page, '74-form-print-fault');

  await cups.startQueue();
  await page.getByTestId('print-form').click();
  await expect(page.getByTestId('form-print-status')).toHaveAttribute('data-printed', 'true', { timeout: 20_000 });
  await expect(page.getByTestId('print-form')).toHaveCount(0);
  await shoot(page, '75-form-printed');

  const text = await pdfText(await cups.waitForPdf('application-', 30_000, before));
  for (const typed of ['户籍证明申请表', '13800138000', '户籍证明', '测试打印人', '申请人（签名）']) expect(text).toContain(typed);
  // The card's ID number is on the citizen's own paper form (it was never typed or shown unmasked).
  expect(text).toContain(idNumber);
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
});
