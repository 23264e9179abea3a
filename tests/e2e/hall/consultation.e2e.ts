import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber } from '@hall/shared';
import { testResidentCard } from '@hall/devices/testing';
import type { KioskStation } from '../../../apps/kiosk/src/main/station';
import { signIn } from '../counter/counterHall';
import { PORTRAIT } from '../kiosk/journeys';
import { kioskHome, SCREENSHOTS, startMeshHall, ticketIn, type MeshHall } from './meshHall';

/**
 * Issue 19 as people live it, on the whole hall (kiosk, counters, wall display, central API):
 * a citizen takes a consultation ticket (咨询号, the 户政 queue's own letter Z) and the
 * counter and the wall tell it apart; then the citizen, who lost the slip, places the ID
 * card at the reprint screen and gets the slip again, naming the windows that serve it.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking'],
  },
});

/** The windows the demo hall has call the 户政 queue. */
const HOUSEHOLD_WINDOWS = '请到 1、2、3 号窗口办理';

let hall: MeshHall;
let kioskPage: Page;
let desk1: Page;
let wall: Page;
let number = '';
const card = { name: '陈咨询', birthDate: '1988-04-05', idNumber: makeTestIdNumber({ regionCode: '441502', birthDate: '1988-04-05', sequence: 19 }) };

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await startMeshHall();
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  kioskPage = await context.newPage();
  await kioskPage.setViewportSize(PORTRAIT);
  await kioskPage.goto(hall.kiosk.runtime.host?.url ?? '');
  await expect(kioskPage.getByTestId('screen-home')).toBeVisible();
  desk1 = await context.newPage();
  await signIn(desk1, hall.counter1, 'clerk1');
  wall = await context.newPage();
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await wall.goto(hall.display.runtime.host?.url ?? '');
  await expect(wall.getByTestId('wall')).toHaveAttribute('data-ready', 'true');
});

test.afterAll(async () => {
  hall?.api.thaw();
  await kioskPage?.context().close();
  await hall?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

function reader(kiosk: KioskStation) {
  const simulated = kiosk.devices.simulators.idCard;
  if (!simulated) throw new Error('the kiosk has no simulated ID-card reader');
  return simulated;
}

/** The text lines of every slip the kiosk's simulated printer has cut. */
function slips(kiosk: KioskStation): string[][] {
  const printer = kiosk.devices.simulators.printer;
  if (!printer) throw new Error('the kiosk has no simulated printer');
  return printer.record.jobs.map((job) => job.items.flatMap((item) => (item.type === 'text' ? [item.text] : [])));
}

test('a citizen takes a consultation ticket: 咨询 and its own letter on the screen and the slip', async () => {
  const { kiosk } = hall;
  await expect(kioskPage.getByTestId('home-consultation')).toContainText('我要咨询');
  await shot(kioskPage, 'consultation-01-home');
  await kioskPage.getByTestId('home-consultation').click();
  await expect(kioskPage.getByTestId('screen-identify')).toBeVisible();
  reader(kiosk).placeCard({ document: testResidentCard(card) });
  await expect(kioskPage.getByTestId('identified')).toBeVisible();
  await kioskPage.getByTestId('identify-continue').click();
  await kioskPage.getByTestId('service-household-certificate').click();

  await expect(kioskPage.getByTestId('screen-ticket')).toBeVisible();
  number = (await kioskPage.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^Z\d{3}$/);
  await expect(kioskPage.getByTestId('ticket-card')).toContainText('您的咨询号');
  await expect(kioskPage.getByTestId('ticket-kind')).toHaveText('咨询');
  await expect(kioskPage.getByTestId('ticket-counters')).toHaveText(HOUSEHOLD_WINDOWS);
  await expect(kioskPage.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await shot(kioskPage, 'consultation-02-ticket');
  const slip = slips(kiosk).at(-1) ?? [];
  expect(slip).toEqual(expect.arrayContaining(['您的咨询号', number, '户籍证明', HOUSEHOLD_WINDOWS]));
  expect(slip.join('\n')).not.toContain(card.idNumber);
  expect(ticketIn(kiosk.runtime, number)).toMatchObject({ kind: 'consultation', status: 'waiting' });
  reader(kiosk).removeCard();
  await kioskHome(kioskPage);
});

test('the counter and the wall display tell the consultation ticket apart', async () => {
  const waiting = desk1.getByTestId(`waiting-${number}`);
  await expect(waiting).toBeVisible();
  await expect(waiting.getByTestId('kind-consultation')).toHaveText('咨询');
  await desk1.keyboard.press('F1');
  await expect(desk1.getByTestId('hdr-current')).toHaveText(number);
  const current = desk1.getByTestId('current-ticket');
  await expect(current).toHaveAttribute('data-status', 'called');
  await expect(current.getByTestId('kind-consultation')).toHaveText('咨询');
  await expect(desk1.getByText('咨询号').first()).toBeVisible();
  await shot(desk1, 'consultation-03-counter');

  await expect(wall.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
  await expect(wall.getByTestId('latest-consultation')).toHaveText('咨询');
  await shot(wall, 'consultation-04-display');
});

test('a citizen who lost the number places the ID card at the reprint screen and gets the slip naming the windows, offline', async () => {
  const { kiosk, api } = hall;
  // The central API hangs: the kiosk finds the ticket in the hall's own queue.
  api.freeze();
  await expect(kioskPage.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
  await kioskPage.getByTestId('home-reprint').click();
  await expect(kioskPage.getByTestId('reprint-by-card')).toContainText('刷身份证');
  await shot(kioskPage, 'consultation-05-reprint');
  const printedBefore = slips(kiosk).length;
  reader(kiosk).placeCard({ document: testResidentCard(card) });

  // The one ticket still open today (called at window 1) is shown and printed again.
  await expect(kioskPage.getByTestId('screen-ticket')).toBeVisible();
  await expect(kioskPage.getByRole('heading', { level: 1 })).toHaveText('小票补打');
  await expect(kioskPage.getByTestId('ticket-number')).toHaveText(number);
  await expect(kioskPage.getByTestId('ticket-kind')).toHaveText('咨询');
  await expect(kioskPage.getByTestId('ticket-counters')).toHaveText(HOUSEHOLD_WINDOWS);
  await expect(kioskPage.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await expect.poll(() => slips(kiosk).length).toBe(printedBefore + 1);
  expect(slips(kiosk).at(-1)).toEqual(expect.arrayContaining([number, HOUSEHOLD_WINDOWS]));
  await shot(kioskPage, 'consultation-06-reprinted');
  reader(kiosk).removeCard();
  await kioskHome(kioskPage);

  // Another citizen, with no ticket today, is told so in plain words; nothing is printed.
  await kioskPage.getByTestId('home-reprint').click();
  const stranger = { name: '李无号', birthDate: '1990-01-02', idNumber: makeTestIdNumber({ regionCode: '441502', birthDate: '1990-01-02', sequence: 20 }) };
  const printed = slips(kiosk).length;
  reader(kiosk).placeCard({ document: testResidentCard(stranger) });
  await expect(kioskPage.getByTestId('reprint-none')).toContainText('没有查到您今天还在等候的号');
  expect(slips(kiosk).length).toBe(printed);
  await shot(kioskPage, 'consultation-07-reprint-none');
  reader(kiosk).removeCard();
  api.thaw();
});
