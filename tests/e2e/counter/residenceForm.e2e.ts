import { expect, test } from '@playwright/test';
import { waitUntil } from '../harness/stations';
import { issueAtKiosk, issueResidenceCode, shot, signIn, stationKnows, useCounterHall } from './counterHall';

/**
 * 码上受理: the clerk scans the citizen's residence code and the case form fills from the
 * fields sealed in it — with the central API stopped, from the data keys the counter holds.
 * Personal values stay masked on the counter's screen and are marked as read from the code.
 */
const running = useCounterHall(['counter.2']);

test('a residence code fills the counter’s case form offline, masked and marked 已从粤居码读取', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter: two } = running();
  const scanner = two.devices.simulators.scanner;
  if (!scanner) throw new Error('no simulated code scanner');
  const service = hall.kiosk.core.store.catalogue?.services.find((s) => s.id === 'residence-permit');
  if (!service) throw new Error('demo hall has no residence permit service');
  const { ticket, idNumber } = await issueAtKiosk(hall.kiosk, service, 51);
  // Made-up citizen; never a real person's data. The name matches the ticket's (陈*明).
  const code = await issueResidenceCode(hall.central, idNumber, { name: '陈小明', address: '广东省汕尾市城区测试路9号', phone: '13800138000' });
  await stationKnows(two, ticket.id, 1);
  expect(await two.residenceKeys.refresh()).toBe(true);
  expect(await two.dataKeys.refresh()).toBe(true);

  await signIn(page, two, 'clerk2');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await page.keyboard.press('F5');
  await expect(page.getByTestId('case-editor')).toBeVisible();
  await expect(page.getByTestId('field-name')).toHaveValue('');

  await hall.central.stop();
  await waitUntil('counter sees the outage', () => !two.runtime.sync.status().online, 20_000);
  await scanner.scan(code);
  await expect(page.getByTestId('residence-scan')).toHaveAttribute('data-outcome', 'confirmed');
  await expect(page.getByTestId('field-name')).toHaveValue('陈*明');
  await expect(page.getByTestId('field-idNumber')).toHaveValue(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
  await expect(page.getByTestId('field-phone')).toHaveValue('138****8000');
  await expect(page.getByTestId('field-residenceAddress')).not.toHaveValue('');
  for (const field of ['name', 'idNumber', 'phone', 'residenceAddress']) await expect(page.getByTestId(`from-code-${field}`)).toHaveText('已从粤居码读取');
  await expect(page.getByTestId('from-code-householdAddress')).toHaveCount(0);
  await expect(page.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  for (const secret of [idNumber, '陈小明', '测试路9号', '13800138000']) await expect(page.locator('body')).not.toContainText(secret);
  await shot(page, '40-residence-code-fills-form');
  await hall.central.start();
});
