import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseHandoffSlipCode, parseReceiptQr } from '@hall/shared';
import { screenshotDir } from '../harness/screenshots';
import { startDemoHall, type DemoHall } from './demoHall';
import { acceptAtWindow1, openSimulator, screenUrl, signInAtWindow, signInConsole, slipText, station } from './simulator';

/**
 * Issue 17's proof, in the demo hall through the simulator page and the apps' own screens:
 * window 1 accepts two citizens' cases and bundles their papers into one package, whose slip
 * comes out of its printer with a code; the back office scans the slip in (the code scanner
 * types into the scan box), approves, signs it through approval and production; the delivery
 * counter looks the slip up, marks a missing and an extra paper, signs it in (its code scanner
 * reading the slip again is refused), and one citizen collects. The case page shows each
 * sign-in, the kiosk's progress query says where the papers are, and a slip of another hall is
 * refused.
 */
test.describe.configure({ mode: 'serial' });

// Its own ports: tour 18390/+4300/49431/49423, caseLife 18490/+4400/49531/49523.
const PORTS = { api: 18_590, stationShift: 4_500, mesh: 49_631, lan: 49_623 };
const SERVICE = 'residence-permit';
const SHOTS = screenshotDir('demo');
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/30-handoff-${name}.png` });

let hall: DemoHall;

test.beforeAll(async () => {
  test.setTimeout(420_000);
  hall = await startDemoHall(400_000, PORTS);
});
test.afterEach(async () => {
  const info = test.info();
  if (info.status !== info.expectedStatus && hall) await info.attach('hall output', { body: hall.output(), contentType: 'text/plain' });
});
test.afterAll(async () => {
  await hall?.stop();
});

/** The printed slip of a station whose text contains `needle` and not `without` (the newest such), with the codes its QR carries. */
async function printedSlip(panel: Page, stationId: string, needle: string, without?: string): Promise<{ slip: Locator; codes: string[] }> {
  const slips = station(panel, stationId).getByTestId('slip');
  const all = await station(panel, stationId)
    .locator('.slips')
    .evaluate((el) => ((el as unknown as { slips?: { codes: string[] }[] }).slips ?? []).map((s) => s.codes));
  for (let i = 0; i < (await slips.count()); i++) {
    const text = await slipText(slips.nth(i));
    if (text.includes(needle) && !(without && text.includes(without))) return { slip: slips.nth(i), codes: all[i] ?? [] };
  }
  throw new Error(`no slip of ${stationId} says ${needle}`);
}

/** A ticket at the kiosk for the chosen citizen, called and accepted at window 1; returns the case number. */
async function acceptOne(kiosk: Page, counter: Page, panel: Page): Promise<string> {
  await kiosk.getByTestId('home-ticket').click();
  await expect(kiosk.getByTestId('screen-identify')).toBeVisible();
  await station(panel, 'kiosk-1').getByTestId('card-place').click();
  await expect(kiosk.getByTestId('identified')).toBeVisible();
  await kiosk.getByTestId('identify-continue').click();
  await station(panel, 'kiosk-1').getByTestId('card-remove').click();
  await kiosk.getByTestId(`service-${SERVICE}`).click();
  await expect(kiosk.getByTestId('screen-ticket')).toBeVisible();
  const ticket = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
  await kiosk.getByTestId('ticket-done').click();
  await expect(kiosk.getByTestId('screen-home')).toBeVisible();

  const caseNumber = await acceptAtWindow1(counter, panel, ticket, SERVICE);
  await counter.keyboard.press('F6');
  return caseNumber;
}

/** The back office's scan box: the code scanner types the code and Enter; the slip shows; the officer signs it in. */
async function scanIn(backOffice: Page, code: string, expectedStep: string) {
  const slip = backOffice.getByTestId('bo-handoff-slip');
  await expect(async () => {
    await backOffice.getByTestId('bo-handoff-code').fill(code);
    await backOffice.getByTestId('bo-handoff-code').press('Enter');
    await expect(slip).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await backOffice.getByTestId('bo-handoff-sign').click();
  await expect(slip).toHaveAttribute('data-step', expectedStep);
  await expect(backOffice.getByTestId('bo-handoff-ok')).toBeVisible();
}

/** Opens a case in the back office by its number (afresh: a case already open is closed first, so it is read again). */
async function openCase(backOffice: Page, caseNumber: string) {
  const open = backOffice.getByTestId('bo-case');
  if (await open.isVisible()) {
    await open.getByRole('button', { name: '返回列表' }).click();
    await expect(open).toBeHidden();
  }
  const row = backOffice.getByTestId(`bo-case-${caseNumber}`);
  await expect(async () => {
    await backOffice.getByTestId('bo-search').fill(caseNumber);
    await backOffice.getByTestId('bo-search').press('Enter');
    await expect(row).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await row.click();
  await expect(backOffice.getByTestId('bo-case')).toBeVisible();
}

test('two cases bundled into a package at window 1, signed in at every desk by scanning the slip, collected; timeline and kiosk show where the papers are', async ({ browser }) => {
  test.setTimeout(360_000);
  const panel = await openSimulator(browser, hall, 36);
  const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await kiosk.goto(screenUrl(hall, '自助取号机'));
  const counter = await signInAtWindow(browser, hall, '1号窗口', 'clerk1');

  // 1. Two citizens, two cases accepted at window 1.
  const first = await acceptOne(kiosk, counter, panel);
  await panel.getByTestId('new-age').fill('52');
  await panel.getByTestId('make-citizen').click();
  await expect(panel.getByTestId('citizen-c2')).toBeChecked();
  const second = await acceptOne(kiosk, counter, panel);

  // 2. 物料流转: both cases into one package; the second case's list gets a paper added by hand.
  await counter.getByTestId('nav-handoffs').click();
  await expect(counter.getByTestId('handoff-screen')).toBeVisible();
  for (const number of [first, second]) await counter.getByTestId(`handoff-case-${number}`).getByTestId('handoff-choose').check();
  await counter.getByTestId(`handoff-case-${second}`).getByTestId('handoff-extra').fill('委托书');
  await counter.getByTestId(`handoff-case-${second}`).getByRole('button', { name: '增加' }).click();
  await expect(counter.getByTestId(`handoff-case-${second}`)).toContainText('委托书');
  await shot(counter, '01-counter-package');
  await counter.getByTestId('handoff-print').click();
  await expect(counter.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'handoff_slip');
  await counter.getByTestId('slip-close').click();
  await expect(counter.getByTestId('handoff-started')).toBeVisible();

  // The slip as window 1's printer printed it: both cases, the applicants masked, and its code.
  await expect.poll(async () => (await slipText(station(panel, 'counter-1').getByTestId('slip').first())).includes('物料流转包')).toBe(true);
  const { slip: printed, codes } = await printedSlip(panel, 'counter-1', '物料流转包');
  const text = await slipText(printed);
  for (const needle of [first, second, '委托书']) expect(text).toContain(needle);
  expect(text).toMatch(/申请人：\S*\*/);
  const code = codes.find((c) => parseHandoffSlipCode(c)) ?? '';
  expect(parseHandoffSlipCode(code), codes.join(' | ')).toBeDefined();
  await printed.scrollIntoViewIfNeeded();
  await shot(panel, '02-simulator-slip');

  // 3. The back office: a slip of another hall is refused; this one signs in at review, one paper missing.
  const backOffice = await signInConsole(browser, hall, 'officer1', 'backoffice');
  const parsed = parseHandoffSlipCode(code)!;
  await backOffice.getByTestId('bo-handoff-code').fill(`hall:handoff:another-hall:${parsed.handoffId}:${parsed.token}`);
  await backOffice.getByTestId('bo-handoff-code').press('Enter');
  await expect(backOffice.getByTestId('bo-handoff-error')).toContainText('其他大厅');
  const slip = backOffice.getByTestId('bo-handoff-slip');
  await expect(async () => {
    await backOffice.getByTestId('bo-handoff-code').fill(code);
    await backOffice.getByTestId('bo-handoff-code').press('Enter');
    await expect(slip).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await backOffice.getByTestId(`bo-handoff-case-${second}`).locator('input[type=checkbox]').last().uncheck();
  await shot(backOffice, '03-backoffice-scan');
  await backOffice.getByTestId('bo-handoff-sign').click();
  await expect(slip).toHaveAttribute('data-step', 'review');
  await expect(backOffice.getByTestId('bo-handoff-history')).toContainText('缺：');
  // The same slip again at the same desk: refused, nothing recorded.
  await backOffice.getByTestId('bo-handoff-step').selectOption('review');
  await backOffice.getByTestId('bo-handoff-code').fill(code);
  await backOffice.getByTestId('bo-handoff-code').press('Enter');
  await backOffice.getByTestId('bo-handoff-sign').click();
  await expect(backOffice.getByTestId('bo-handoff-error')).toContainText('已在本环节签收过');
  await backOffice.getByTestId('bo-handoff-step').selectOption('');

  // 4. Approved; the paper goes through approval and production, then the results exist (办结).
  for (const number of [first, second]) {
    await openCase(backOffice, number);
    await backOffice.getByTestId('bo-approve-note').fill('材料齐全，符合条件');
    await backOffice.getByTestId('bo-approve').click();
    await expect(backOffice.getByTestId('bo-case')).toHaveAttribute('data-status', 'approved');
  }
  await scanIn(backOffice, code, 'approval');
  await scanIn(backOffice, code, 'production');
  for (const number of [first, second]) {
    await openCase(backOffice, number);
    await backOffice.getByTestId('bo-complete').click();
    await expect(backOffice.getByTestId('bo-case')).toHaveAttribute('data-status', 'completed');
  }

  // 5. The delivery counter's code scanner reads the slip once the counter has pulled production: it opens
  //    the same check a typed code opens (never a sign-in by itself); the clerk marks one paper missing
  //    on the first case, one extra on the second, and signs it in.
  await expect(async () => {
    await printed.getByTestId('slip-scan-counter-1').first().click();
    await expect(counter.getByTestId('handoff-check')).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(counter.getByTestId('handoff-signed')).toHaveCount(0);
  const checkFirst = counter.getByTestId(`handoff-check-${first}`);
  const missingPaper = ((await checkFirst.locator('label').first().textContent()) ?? '').split(' ×')[0]!.trim();
  expect(missingPaper).not.toBe('');
  await checkFirst.getByRole('checkbox').first().uncheck();
  await expect(checkFirst).toContainText('缺');
  await counter.getByTestId(`handoff-check-${second}`).getByTestId('handoff-extra-name').fill('户口簿原件');
  await counter.getByTestId(`handoff-check-${second}`).getByTestId('handoff-extra-add').click();
  await expect(counter.getByTestId(`handoff-check-${second}`).getByTestId('handoff-extra-item')).toContainText('户口簿原件');
  await shot(counter, '04-counter-check');
  await counter.getByTestId('handoff-sign').click();
  await expect(counter.getByTestId('handoff-signed')).toContainText('2 件');
  await expect(counter.getByTestId('handoff-check')).toHaveCount(0);
  // The code scanner reading the same slip again is refused plainly, nothing recorded.
  await printed.getByTestId('slip-scan-counter-1').first().click();
  await expect(counter.getByTestId('handoff-error')).toContainText('已在本环节签收过');
  // The papers left the accepting window's list when they moved on.
  for (const number of [first, second]) await expect(counter.getByTestId(`handoff-case-${number}`)).toHaveCount(0);
  await shot(counter, '04-counter-signed');

  // 6. The first citizen collects: the hand-over moves that case's paper to them.
  await panel.getByTestId('citizen-c1').check();
  await counter.getByTestId('nav-cases').click();
  const file = counter.getByTestId('case-file');
  await expect(async () => {
    await counter.getByTestId('case-query').fill(first);
    await counter.getByTestId('case-find').click();
    await expect(file).toHaveAttribute('data-status', 'completed', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await station(panel, 'counter-1').getByTestId('card-place').click();
  await counter.getByTestId('handover-card').click();
  await expect(file).toHaveAttribute('data-status', 'delivered');
  await station(panel, 'counter-1').getByTestId('card-remove').click();

  // 7. The case page (the second case, still waiting at the delivery window): its paper's every desk, in order.
  await expect(async () => {
    await openCase(backOffice, second);
    await expect(backOffice.getByTestId('bo-case-handoff')).toHaveAttribute('data-step', 'delivery', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  const history = backOffice.getByTestId('bo-case-handoff');
  for (const desk of ['后台审查', '审批', '证照制作', '出件窗口', '缺：委托书', '多：户口簿原件']) await expect(history).toContainText(desk);
  await shot(backOffice, '05-backoffice-case-history');
  // The delivered case has left the work list; the slip found by its case number shows it went to the citizen.
  await expect(async () => {
    await backOffice.getByTestId('bo-handoff-code').fill(first);
    await backOffice.getByTestId('bo-handoff-code').press('Enter');
    await expect(backOffice.getByTestId(`bo-handoff-case-${first}`)).toContainText('已交申请人', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(backOffice.getByTestId('bo-handoff-slip').getByTestId('bo-handoff-history')).toContainText('出件窗口 → 已交申请人');
  // The paper the delivery counter's check marked missing after the scanner read the slip.
  await expect(backOffice.getByTestId('bo-handoff-slip').getByTestId('bo-handoff-history')).toContainText(`缺：${missingPaper}`);

  // 8. The kiosk's progress query: the first receipt's papers are with the citizen, the second's at the delivery window.
  for (const [number, place] of [
    [first, '已交给您'],
    [second, '出件窗口'],
  ] as const) {
    const { slip: receipt, codes: receiptCodes } = await printedSlip(panel, 'counter-1', number, '物料流转');
    const qr = receiptCodes.find((c) => parseReceiptQr(c)) ?? '';
    const caseId = parseReceiptQr(qr)?.caseId ?? '';
    await kiosk.getByTestId('home-progress').click();
    const card = kiosk.getByTestId(`progress-case-${caseId}`);
    await expect(async () => {
      await receipt.getByTestId('slip-scan-kiosk-1').first().click();
      await expect(card.getByTestId('progress-papers')).toContainText(place, { timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    if (number === second) await shot(kiosk, '06-kiosk-papers');
    await kiosk.goto(screenUrl(hall, '自助取号机'));
  }
});
