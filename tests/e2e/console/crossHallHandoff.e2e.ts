import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { handoffSlipCode, receiptQrPayload } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { seedDemoHall } from '../../../apps/server/src/demo/seed';
import { FIXTURE_PASSWORD, fixtureHall } from '../../../apps/server/src/testing/fixture';
import { startKioskStation, type KioskStation } from '../../../apps/kiosk/src/main/station';
import { startHallCentral, type HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { enrolledConfig, FAST_SYNC } from '../harness/stations';
import { screenshotDir } from '../harness/screenshots';
import { buildConsole, SCREENSHOTS } from './build';
import { counterDesk } from './counterDesk';

/**
 * 跨厅流转 (issue 17) in the console: the demo hall's counter accepts a residence-permit case and
 * sends its paper to another hall of the city (a household officer there, 户政 of that hall); that
 * officer scans the demo hall's slip into the back office of their own hall and signs it in; a
 * third hall's officer is refused; the demo hall's case page and its kiosk's progress query say the
 * paper is in the other hall.
 */
let central: HallCentral;
let kiosk: KioskStation | undefined;

const SERVICE = demoHall.services.find((s) => s.id === 'residence-permit')!;
const REQUIRED = SERVICE.materials.filter((m) => m.required).map((m) => m.id);
const OTHER = fixtureHall('xb');
const THIRD = fixtureHall('xc');
/** A household officer of each other hall (the fixture halls have no officer of their own). */
const officer = (tag: string) => ({ id: `${tag}-officer`, hallId: `${tag}-hall`, login: `${tag}-officer`, displayName: '审*', staffNumber: `${tag}003`, departmentId: `${tag}-dept`, roles: ['officer' as const], demoPassword: FIXTURE_PASSWORD });

test.use({ viewport: { width: 1600, height: 1000 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  await seedDemoHall(central.database.db, { ...OTHER, staff: [...OTHER.staff, officer('xb')] });
  await seedDemoHall(central.database.db, { ...THIRD, staff: [...THIRD.staff, officer('xc')] });
  // The demo hall's kiosk, started after the other halls exist: its catalogue names them.
  const config = await enrolledConfig(central, { deviceId: 'kiosk-cross-hall', role: 'kiosk', rendererDir: builtRenderer('kiosk') });
  kiosk = await startKioskStation(
    { ...config, devices: { ticketPrinter: { kind: 'simulated' }, idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' } } },
    { host: true, idHashKey: 'e2e-cross-hall-id-hash-key-0000000000', enforceOpeningHours: false, sync: FAST_SYNC },
  );
});

test.afterAll(async () => {
  await kiosk?.stop();
  await central?.close();
});

async function signIn(page: Page, login: string, password: string) {
  await page.goto(`${central.url}/console/`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

async function scan(page: Page, code: string) {
  await page.getByTestId('bo-handoff-code').fill(code);
  await page.getByTestId('bo-handoff-code').press('Enter');
}

test("another hall's officer scans the demo hall's slip sent there and signs it in; a third hall is refused; the case page names the other hall", async ({ browser }) => {
  test.setTimeout(120_000);
  const desk = await counterDesk(central, { deviceId: 'e2e-xh-counter2', counterId: 'counter.2', login: 'clerk2', password: 'demo-clerk2' });
  const caseId = crypto.randomUUID();
  const receiptToken = 'e2e-cross-hall-receipt-token-000001';
  const accepted = await desk.push('acceptCase', {
    caseId,
    caseNumber: 'XH-2026-0001',
    serviceId: SERVICE.id,
    citizen: { maskedName: '测*', idHash: 'cd'.repeat(32) },
    values: {},
    received: REQUIRED.map((materialId) => ({ materialId })),
    receiptToken,
  });
  expect(accepted, JSON.stringify(accepted)).toMatchObject({ status: 'applied' });
  const handoffId = crypto.randomUUID();
  const token = 'e2e-cross-hall-slip-token-01';
  const items = REQUIRED.slice(0, 2).map((id, i) => ({ id, name: `材料${i + 1}`, copies: 1 }));
  const started = await desk.push('startHandoff', { handoffId, number: 'LZ-XH-1', token, staffId: desk.staffId, cases: [{ caseId, items }], toHallId: 'xb-hall' });
  expect(started, JSON.stringify(started)).toMatchObject({ status: 'applied' });
  const code = handoffSlipCode(central.hallId, { id: handoffId, token });

  // A third hall: the slip is not its paper.
  const third = await browser.newPage();
  await signIn(third, 'xc-officer', FIXTURE_PASSWORD);
  await expect(third.getByTestId('backoffice')).toBeVisible();
  await scan(third, code);
  await expect(third.getByTestId('bo-handoff-error')).toContainText('也不是流转到本大厅的材料');
  await expect(third.getByTestId('bo-handoff-slip')).toHaveCount(0);

  // The destination hall's household officer: the slip shows where it comes from and goes, then signs in at review.
  const page = await browser.newPage();
  await signIn(page, 'xb-officer', FIXTURE_PASSWORD);
  await expect(page.getByTestId('backoffice')).toBeVisible();
  await scan(page, code);
  const slip = page.getByTestId('bo-handoff-slip');
  await expect(slip).toBeVisible();
  await expect(page.getByTestId('bo-handoff-cross-hall')).toContainText(`来自：${demoHall.hall.name.zh}`);
  await expect(page.getByTestId('bo-handoff-cross-hall')).toContainText('跨厅流转至：测试大厅xb');
  await expect(slip).toContainText('XH-2026-0001');
  await page.getByTestId(`bo-handoff-item-${items[1]!.id}`).uncheck();
  await page.screenshot({ path: join(SCREENSHOTS, 'handoff-cross-hall-scan.png') });
  await page.getByTestId('bo-handoff-sign').click();
  await expect(page.getByTestId('bo-handoff-ok')).toContainText('已签收流转单 LZ-XH-1');
  await expect(slip).toHaveAttribute('data-step', 'review');
  const history = slip.getByTestId('bo-handoff-history');
  await expect(history).toContainText('受理窗口 → 后台审查');
  await expect(history).toContainText('在 测试大厅xb');
  await expect(history).toContainText('缺：材料2');
  await page.screenshot({ path: join(SCREENSHOTS, 'handoff-cross-hall-signed.png') });

  // The case's own hall: its case page says the paper is in the other hall.
  const home = await browser.newPage();
  await signIn(home, 'hallmanager', 'demo-hallmanager');
  await home.goto(`${central.url}/console/#/backoffice`);
  await expect(home.getByTestId('backoffice')).toBeVisible();
  await home.getByTestId('bo-search').fill('XH-2026-0001');
  await home.getByTestId('bo-search').press('Enter');
  await home.getByTestId('bo-case-XH-2026-0001').click();
  const papers = home.getByTestId('bo-case-handoff');
  await expect(papers).toHaveAttribute('data-step', 'review');
  await expect(papers).toContainText('材料现在：后台审查 · 在 测试大厅xb');
  await expect(papers).toContainText('跨厅流转至：测试大厅xb');
  // The other hall's officer who signed the paper in is named, not shown as an id.
  await expect(papers).toContainText('审*（xb003）');
  await expect(papers).not.toContainText('xb-officer');
  await papers.scrollIntoViewIfNeeded();
  await home.screenshot({ path: join(SCREENSHOTS, 'handoff-cross-hall-case.png') });

  // The kiosk's 查办件进度 by the receipt's QR: "您的材料在：测试大厅xb 后台审查".
  const kioskPage = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await kioskPage.goto(kiosk!.runtime.host?.url ?? '');
  await kioskPage.getByTestId('home-progress').click();
  const card = kioskPage.getByTestId(`progress-case-${caseId}`);
  await expect(async () => {
    await kiosk!.devices.simulators.scanner!.scan(`hall:case:${caseId}:${receiptToken}`);
    await expect(card.getByTestId('progress-papers')).toContainText('您的材料在：测试大厅xb 后台审查', { timeout: 1500 });
  }).toPass({ timeout: 30_000 });
  await kioskPage.screenshot({ path: join(screenshotDir('kiosk'), '55-progress-papers-other-hall.png') });

  // The receipt's QR on the citizen's phone says the same.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(receiptQrPayload({ id: caseId, receiptToken }, central.url));
  await expect(phone.getByTestId('track-papers')).toContainText('您的材料在：测试大厅xb 后台审查');
  await phone.evaluate('document.fonts.ready');
  await phone.screenshot({ path: join(screenshotDir('phone'), 'track-papers-other-hall.png'), fullPage: true });
});
