import { expect, test } from '@playwright/test';
import { testResidentCard } from '@hall/devices/testing';
import { makeTestIdNumber } from '@hall/shared';
import { stationPage } from '../harness/stations';
import {
  householdServiceWithTree,
  issueAtKiosk,
  printedJobs,
  shot,
  signIn,
  startCounterHall,
  stationKnows,
  type CounterHall,
} from './counterHall';

/**
 * A citizen's day at the counters, through the clerk's screens in Chromium: a kiosk
 * ticket is called, recalled, marked missed, re-called, transferred to another window,
 * served there with identity check, checklist, captured pages (Chromium's fake camera),
 * accepted with a printed receipt and a locker deposit code, finished and rated on the
 * citizen-facing screen; the clerk's history offers the reprint.
 */
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-background-networking'],
  },
});

let hall: CounterHall;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  hall = await startCounterHall(['counter.2', 'counter.3']);
});

test.afterAll(async () => {
  await hall?.close();
});

test('a kiosk ticket is called, recalled, missed, re-called, transferred, served, accepted, finished and rated', async ({ page, context }) => {
  test.setTimeout(240_000);
  const two = hall.counters.get('counter.2');
  const three = hall.counters.get('counter.3');
  if (!two || !three) throw new Error('counters missing');
  const service = householdServiceWithTree(hall.kiosk);
  const { ticket, idNumber } = await issueAtKiosk(hall.kiosk, service, 11);
  await stationKnows(two, ticket.id, 1);
  await stationKnows(three, ticket.id, 1);

  // Window 2: sign in, then the header names department, window, clerk and the queue.
  await page.goto(two.url ?? '');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await shot(page, '01-login');
  await page.getByTestId('login-name').fill('clerk2');
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await signIn(page, two, 'clerk2');
  await expect(page.getByTestId('hdr-department')).toHaveText('户政');
  await expect(page.getByTestId('hdr-counter')).toContainText('2');
  await expect(page.getByTestId('hdr-clerk')).toContainText('SW020');
  await expect(page.getByTestId('hdr-waiting')).toHaveText('1');
  await shot(page, '02-desk-idle');

  // 顺呼 with the keyboard; the countdown runs; 重呼 with F2.
  await page.keyboard.press('F1');
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'called');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await expect(page.getByTestId('countdown')).toBeVisible();
  await shot(page, '03-called-countdown');
  await expect(page.getByTestId('act-recall')).toBeDisabled();
  await expect(page.getByTestId('act-recall')).toBeEnabled({ timeout: 5000 });
  await page.keyboard.press('F2');
  await expect(page.getByTestId('current-ticket')).toContainText('2');
  await expect.poll(() => two.runtime.core.store.live.queue.tickets[ticket.id]?.callCount).toBe(2);

  // 过号 once the countdown is over (F3), then re-called from the missed list.
  await expect(page.getByTestId('act-missed')).toBeEnabled({ timeout: 5000 });
  await page.keyboard.press('F3');
  await expect(page.getByTestId(`missed-${ticket.number}`)).toBeVisible();
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
  await shot(page, '04-missed-list');
  await page.getByTestId(`recall-missed-${ticket.number}`).click();
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'called');

  // 票号转移 to window 3 (F7): the ticket keeps its place and only window 3 may call it.
  await page.keyboard.press('F7');
  await expect(page.getByTestId('transfer-dialog')).toBeVisible();
  await page.getByTestId('transfer-target').selectOption('counter:counter.3');
  await shot(page, '05-transfer-dialog');
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');

  // Pause with a reason and resume (F8).
  await page.keyboard.press('F8');
  await page.getByTestId('pause-reason').fill('业务咨询');
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('hdr-state')).toContainText('暂停服务');
  await shot(page, '06-paused');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('hdr-state')).not.toContainText('暂停服务');

  // 特呼 dialog (F4): an unknown number is refused on screen.
  await page.keyboard.press('F4');
  await page.getByTestId('specific-number').fill('Z999');
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('dialog-error')).toContainText('Z999');
  await shot(page, '06b-call-specific');
  // Esc closes a dialog, so the clerk's hands stay on the keyboard.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('specific-dialog')).toHaveCount(0);

  // Window 3 gets the transferred ticket through sync and serves it.
  await expect
    .poll(() => three.runtime.core.store.live.queue.tickets[ticket.id]?.targetCounterId, { timeout: 15_000 })
    .toBe('counter.3');
  const desk3 = await context.newPage();
  await signIn(desk3, three, 'clerk3');
  await expect(desk3.getByTestId(`waiting-${ticket.number}`)).toBeVisible();
  await desk3.keyboard.press('F1');
  await expect(desk3.getByTestId('hdr-current')).toHaveText(ticket.number);
  // Called, not yet here: the panel says who is coming and which key starts serving.
  await expect(desk3.getByTestId('called-preview')).toContainText('F5');
  await expect(desk3.getByTestId('called-preview')).toContainText('陈*明');
  await shot(desk3, '06c-called-preview');
  await desk3.keyboard.press('F5');
  await expect(desk3.getByTestId('serving-view')).toBeVisible();
  await expect(desk3.getByTestId('serving-citizen')).toHaveText('陈*明');
  await expect(desk3.getByTestId('case-editor')).toBeVisible();

  // 一号联办: a second matter joins the ticket and can get its own case.
  await desk3.getByTestId('act-matter').click();
  const matter = desk3.getByTestId('matter-service');
  const second = await matter.locator('option').nth(1).getAttribute('value');
  await matter.selectOption(second ?? '');
  await shot(desk3, '07a-multi-matter');
  await desk3.getByTestId('dialog-confirm').click();
  await expect(desk3.getByTestId(`open-case-${second ?? ''}`)).toBeVisible();
  await expect.poll(() => three.runtime.core.store.live.queue.tickets[ticket.id]?.serviceIds.length).toBe(2);

  // Identity: a typed stranger's number does not match the ticket's citizen …
  await desk3.getByTestId('identity-number').fill(makeTestIdNumber({ regionCode: '441502', sequence: 99 }));
  await desk3.getByTestId('identity-manual').click();
  await expect(desk3.getByTestId('identity-result')).toHaveAttribute('data-match', 'false');
  // The hall manager barred this citizen (预约黑名单): the counter's check shows it as 信用情况.
  const api = async (path: string, body: unknown, token?: string) =>
    (await fetch(`${hall.central.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as Record<string, unknown>;
  const { token } = await api('/auth/login', { login: 'hallmanager', password: 'demo-hallmanager' });
  await api(`/halls/${hall.central.hallId}/blacklist`, { idNumber, reason: '扰乱大厅秩序', until: '2099-12-31' }, String(token));
  // … the citizen's own card on the (simulated) reader does; only masked forms show.
  const reader = three.devices.simulators.idCard;
  if (!reader) throw new Error('no simulated ID-card reader');
  reader.placeCard({ document: testResidentCard({ name: '陈小明', idNumber }) });
  await desk3.getByTestId('identity-card').click();
  await expect(desk3.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  await expect(desk3.getByTestId('identity-result')).toContainText('陈*明');
  await expect(desk3.getByTestId('identity-result')).not.toContainText(idNumber);
  const standing = desk3.getByTestId('identity-standing');
  await expect(standing).toHaveAttribute('data-barred', 'true');
  await expect(standing).toContainText('近30天爽约0次');
  await expect(standing).toContainText('2099-12-31');
  await expect(standing).toContainText('扰乱大厅秩序');
  await shot(desk3, '07b-identity-standing');

  // Checklist: accept stays disabled until every required material is ticked.
  const checklist = desk3.getByTestId('checklist').locator('input[type=checkbox]');
  const required = await hall.kiosk.core.store.catalogue?.services.find((s) => s.id === service.id)?.materials.length;
  expect(required).toBeGreaterThan(0);
  await expect(desk3.getByTestId('case-accept')).toBeDisabled();
  await expect(desk3.getByTestId('case-refuse')).toBeEnabled();
  const boxes = await checklist.count();
  for (let i = 0; i < boxes; i++) {
    await checklist.nth(i).check();
    await expect(checklist.nth(i)).toBeChecked();
  }
  await expect(desk3.getByTestId('case-accept')).toBeEnabled();

  // Capture two pages from the (fake) document camera into the first material, reorder, view the PDF.
  await desk3.getByTestId('camera-start').click();
  await expect(desk3.getByTestId('camera-preview')).toBeVisible();
  await expect.poll(() => desk3.getByTestId('camera-preview').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  await desk3.getByTestId('camera-shoot').click();
  await expect(desk3.getByTestId('page')).toHaveCount(1);
  await desk3.getByTestId('camera-shoot').click();
  await expect(desk3.getByTestId('page')).toHaveCount(2);
  const pageIds = async () => Promise.all((await desk3.getByTestId('page').all()).map((li) => li.getAttribute('data-page-id')));
  const before = await pageIds();
  await desk3.getByTestId('page-down').first().click();
  await expect
    .poll(pageIds)
    .toEqual([before[1], before[0]]);
  await desk3.locator('[data-testid^="pdf-"]').first().click();
  await expect(desk3.getByTestId('pdf-frame')).toBeVisible();
  await shot(desk3, '07-serving-checklist-capture');

  // 受理: the receipt reaches the (simulated) printer and shows on screen.
  const jobs = printedJobs(three);
  await desk3.getByTestId('case-accept').click();
  await expect(desk3.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'acceptance_receipt');
  await expect(desk3.getByTestId('slip-preview')).toHaveAttribute('data-printed', 'true');
  await expect.poll(() => printedJobs(three)).toBe(jobs + 1);
  await shot(desk3, '08-acceptance-receipt');
  await desk3.getByTestId('slip-close').click();

  // Delivery by 24-hour locker: the central locker service issues the deposit code, printed here.
  await desk3.getByTestId('delivery-locker').click();
  await expect(desk3.getByTestId('case-error')).toContainText(/mobile|手机/);
  await desk3.getByTestId('delivery-phone').fill('13800138000');
  await desk3.getByTestId('delivery-locker').click();
  await expect(desk3.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'deposit_code');
  await desk3.getByTestId('slip-close').click();
  await expect(desk3.getByTestId('deposit-code')).toHaveAttribute('data-code', /.{8,}/);
  await expect.poll(() => printedJobs(three)).toBe(jobs + 2);

  // 办结 (F6): the citizen-facing screen asks for a rating.
  const rating = await context.newPage();
  await rating.setViewportSize({ width: 1920, height: 1080 });
  await rating.goto(stationPage(three.url ?? '', '/rating'));
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'idle');
  await shot(rating, '10-rating-idle');
  await desk3.keyboard.press('F6');
  await expect(desk3.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'asking');
  await expect(rating.getByTestId('rating-timeout')).toContainText('满意');
  await shot(rating, '09-rating-asking');
  await rating.getByTestId('rate-very_satisfied').click();
  await expect(rating.getByTestId('rating-screen')).toHaveAttribute('data-state', 'thanks');

  // History of the day with the rating and a reprint.
  await desk3.keyboard.press('F9');
  const row = desk3.getByTestId(`history-${ticket.number}`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('history-rating')).toContainText('非常满意');
  await shot(desk3, '11-history');
  await row.getByTestId('reprint-acceptance_receipt').click();
  await expect(desk3.getByTestId('slip-preview')).toHaveAttribute('data-printed', 'true');
  await expect.poll(() => printedJobs(three)).toBe(jobs + 3);
  await desk3.keyboard.press('Escape');
  await expect(desk3.getByTestId('slip-preview')).toHaveCount(0);

  // English.
  await desk3.getByTestId('language-toggle').click();
  await expect(desk3.getByTestId('history')).toContainText("Today's tickets");
  await shot(desk3, '12-history-en');
  await desk3.getByTestId('language-toggle').click();

  // The finished ticket reaches the central API (the outbox drained).
  await expect.poll(() => three.runtime.sync.status().pending, { timeout: 15_000 }).toBe(0);
});

test('cannot accept with a material missing: the one-time notice is printed (calls from the call pad)', async ({ page }) => {
  test.setTimeout(120_000);
  const two = hall.counters.get('counter.2');
  if (!two) throw new Error('counter missing');
  const service = householdServiceWithTree(hall.kiosk);
  const { ticket } = await issueAtKiosk(hall.kiosk, service, 12);
  await stationKnows(two, ticket.id, 1);
  await signIn(page, two, 'clerk2');
  // The hardware call pad is a code scanner: its codes run the same actions as the shortcuts.
  const pad = two.devices.simulators.scanner;
  if (!pad) throw new Error('no simulated call pad');
  await pad.scan('CALL:NEXT');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await pad.scan('#04');
  await expect(page.getByTestId('case-editor')).toBeVisible();
  const jobs = printedJobs(two);
  await expect(page.getByTestId('case-accept')).toBeDisabled();
  await page.getByTestId('case-refuse').click();
  await expect(page.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'one_time_notice');
  await expect.poll(() => printedJobs(two)).toBe(jobs + 1);
  await shot(page, '13-one-time-notice');
  await page.getByTestId('slip-close').click();
  await expect(page.getByTestId('case-editor')).toHaveAttribute('data-status', 'refused');
  await page.keyboard.press('F6');
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
});
