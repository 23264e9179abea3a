import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestIdNumber, type Service } from '@hall/shared';
import { demoHall } from '../../../apps/server/src/demo/index';
import { SmsGatewaySimulator } from '../../../apps/server/src/sms/simulator';
import { listAudit } from '../../../apps/server/src/store/audit';
import { startHallCentral, type HallCentral } from '../harness/central';
import { waitUntil } from '../harness/stations';
import { buildConsole, SCREENSHOTS } from './build';
import { signIn } from './hall';

/**
 * Issue 18, batch SMS: a service pauses; the hall manager tells its booked citizens from the
 * console, presses send twice, and each of exactly those citizens gets one message through
 * the SMS gateway simulator — not the cancelled one, not another service's, not a later day's.
 */
const gateway = new SmsGatewaySimulator();
let central: HallCentral;
const saved = { url: process.env.HALL_SMS_GATEWAY_URL, interval: process.env.HALL_SMS_INTERVAL_MS };

test.use({ viewport: { width: 1600, height: 900 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildConsole();
  process.env.HALL_SMS_GATEWAY_URL = await gateway.start();
  process.env.HALL_SMS_INTERVAL_MS = '200';
  central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
});

test.afterAll(async () => {
  await central?.close();
  await gateway.close();
  for (const [key, value] of [['HALL_SMS_GATEWAY_URL', saved.url], ['HALL_SMS_INTERVAL_MS', saved.interval]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const inDays = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
// Made-up numbers, one per citizen.
const phoneOf = (n: number) => ['139', '0021', String(7000 + n)].join('');

test('a paused service’s booked citizens, and only they, get the batch SMS once', async ({ page }) => {
  test.setTimeout(120_000);
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${central.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const login = await fetch(`${central.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'hallmanager', password: 'demo-hallmanager' }) });
  const token = ((await login.json()) as { token: string }).token;
  const services = ((await api('GET', `/services?hallId=${central.hallId}`, token)).json as { services: Service[] }).services;
  const paused = services.find((s) => s.name.zh === '户籍证明')!;
  const other = services.find((s) => s.id !== paused.id)!;
  const book = async (n: number, serviceId: string, date: string) => {
    const res = await api('POST', '/appointments', token, {
      hallId: central.hallId,
      serviceId,
      date,
      slot: { from: '10:00', to: '10:30' },
      citizen: { idNumber: makeTestIdNumber({ birthDate: '1966-06-06', sequence: 60 + n }), name: '赵六' },
      phone: phoneOf(n),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return (res.json.appointment as { id: string }).id;
  };
  const [from, to] = [inDays(7), inDays(8)];
  await book(1, paused.id, from);
  await book(2, paused.id, from);
  await book(3, paused.id, to);
  const cancelled = await book(4, paused.id, from);
  expect((await api('POST', `/appointments/${cancelled}/cancel`, token)).status).toBe(200);
  await book(5, other.id, from);
  await book(6, paused.id, inDays(9));

  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-smsBatch').click();
  await expect(page.getByTestId('sms-batch-page')).toBeVisible();
  await page.getByTestId('batch-service').selectOption(paused.id);
  await page.getByTestId('batch-from').fill(from);
  await page.getByTestId('batch-to').fill(to);
  await page.getByTestId('batch-reason').fill('系统升级');
  await page.getByTestId('batch-check').click();
  await expect(page.getByTestId('batch-reach')).toHaveText('将通知 3 位已预约群众');
  await expect(page.getByTestId('batch-text')).toContainText('因系统升级');
  await expect(page.getByTestId('batch-text')).toContainText('户籍证明');

  await page.getByTestId('batch-send').click();
  await expect(page.getByTestId('batch-send')).toBeEnabled();
  await page.getByTestId('batch-send').click(); // the manager presses again
  const progress = page.getByTestId('batch-progress');
  await expect(progress).toHaveCount(1);
  await expect(progress).toContainText('共 3 位：已发送 3，待发送 0，失败 0', { timeout: 15_000 });
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, '45-sms-batch.png'), fullPage: true });

  await waitUntil('the batch SMS at the gateway', () => gateway.messages.filter((m) => m.text.includes('系统升级')).length >= 3, 15_000);
  const batchSms = gateway.messages.filter((m) => m.text.includes('系统升级'));
  expect(batchSms.map((m) => m.to).sort()).toEqual([phoneOf(1), phoneOf(2), phoneOf(3)]);
  expect(gateway.requests).toBe(gateway.messages.length); // nothing resent
  await expect(page.getByTestId('sms-batch-page')).not.toContainText(phoneOf(1));
  expect(await listAudit(central.database.db, { entity: 'sms_batch' })).toHaveLength(1);
});

test('the city administrator sets the personal-data purge; a hall manager sees it and cannot change it', async ({ page }) => {
  await signIn(page, central, 'cityadmin');
  await page.getByTestId('nav-booking').click();
  const section = page.getByTestId('purge-section');
  await expect(page.getByTestId('purge-everyMinutes')).toHaveValue('60');
  await page.getByTestId('purge-everyMinutes').fill('120');
  await page.getByTestId('purge-keepPhoneDays').fill('14');
  await page.getByTestId('purge-save').click();
  await expect(page.getByTestId('purge-message')).toHaveText('已保存');
  await section.screenshot({ path: join(SCREENSHOTS, '46-personal-data-purge.png') });
  expect(await listAudit(central.database.db, { entity: 'purge_settings' })).toHaveLength(1);

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, central, 'hallmanager');
  await page.getByTestId('nav-booking').click();
  await expect(page.getByTestId('purge-keepPhoneDays')).toHaveValue('14');
  await expect(page.getByTestId('purge-keepPhoneDays')).toBeDisabled();
  await expect(page.getByTestId('purge-save')).toHaveCount(0);
});
