import { expect, test } from '@playwright/test';
import { makeTestIdNumber } from '@hall/shared';
import { waitUntil } from '../harness/stations';
import {
  forgedCopy,
  householdServiceWithTree,
  issueAtKiosk,
  issueResidenceCode,
  shot,
  signIn,
  stationKnows,
  useCounterHall,
} from './counterHall';

/**
 * Residence codes at the counter, read on the counter's (simulated, serial) code scanner:
 * verified offline against the cached key set, checked against the citizen who took the
 * ticket, refused with the reason when forged or shown a second time.
 */
const running = useCounterHall(['counter.2']);

test('a residence code confirms the ticket holder; forged, replayed and a stranger’s codes are refused or flagged, offline too', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter: two } = running();
  const scanner = two.devices.simulators.scanner;
  if (!scanner) throw new Error('no simulated code scanner');
  // The citizen took the ticket with an ID card; the code the central API issues names them by the same keyed hash.
  const { ticket, idNumber } = await issueAtKiosk(hall.kiosk, householdServiceWithTree(hall.kiosk), 41);
  const code = await issueResidenceCode(hall.central, idNumber);
  const later = await issueResidenceCode(hall.central, idNumber);
  const stranger = await issueResidenceCode(hall.central, makeTestIdNumber({ regionCode: '440106', birthDate: '1979-11-20', sequence: 42 }));
  await stationKnows(two, ticket.id, 1);
  expect(await two.residenceKeys.refresh()).toBe(true);

  await signIn(page, two, 'clerk2');
  // Scanned before any call: nothing to check against, and the code is not spent.
  await scanner.scan(code);
  await expect(page.getByTestId('residence-scan')).toHaveAttribute('data-outcome', 'no_ticket');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await page.keyboard.press('F5');
  await expect(page.getByTestId('case-editor')).toBeVisible();

  // A forged copy (one signature bit changed) is refused as such, and records nothing.
  await scanner.scan(forgedCopy(code));
  const banner = page.getByTestId('residence-scan');
  await expect(banner).toHaveAttribute('data-outcome', 'refused');
  await expect(banner).toHaveAttribute('data-reason', 'forged');
  await expect(banner).toContainText('伪造');
  await expect(page.getByTestId('identity-result')).toHaveCount(0);
  await shot(page, '20-residence-forged');

  // The citizen's own code: identity confirmed; no number anywhere on screen.
  await scanner.scan(code);
  await expect(banner).toHaveAttribute('data-outcome', 'confirmed');
  await expect(banner).toContainText(ticket.number);
  await expect(page.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  await expect(page.getByTestId('identity-method')).toHaveText('粤居码');
  await expect(page.getByTestId('identity-result')).toContainText('陈*明');
  await expect(page.locator('body')).not.toContainText(idNumber);
  await expect(page.locator('body')).not.toContainText(idNumber.slice(6, 14));
  await shot(page, '21-residence-confirmed');

  // The same code again is a replay.
  await scanner.scan(code);
  await expect(banner).toHaveAttribute('data-reason', 'replayed');
  await expect(banner).toContainText('已使用过');
  await expect(page.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');

  // Someone else's valid code: a clear warning on screen and on the case.
  await scanner.scan(stranger);
  await expect(banner).toHaveAttribute('data-outcome', 'mismatch');
  await expect(page.getByTestId('identity-result')).toHaveAttribute('data-match', 'false');
  await shot(page, '22-residence-mismatch');
  await page.getByTestId('language-toggle').click();
  await expect(banner).toContainText('Does NOT match');
  await shot(page, '22b-residence-mismatch-en');
  await page.getByTestId('language-toggle').click();

  // With the central API down the counter still verifies from its cached keys.
  await hall.central.stop();
  await waitUntil('counter sees the outage', () => !two.runtime.sync.status().online, 20_000);
  await scanner.scan(later);
  await expect(banner).toHaveAttribute('data-outcome', 'confirmed');
  await expect(page.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  await hall.central.start();
});
