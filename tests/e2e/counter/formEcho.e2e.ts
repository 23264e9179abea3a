import { expect, test } from '@playwright/test';
import { sql } from 'kysely';
import { evaluateDecisionTree, makeTestIdNumber } from '@hall/shared';
import { openFormValues } from '../../../apps/server/src/sync/formValues';
import { waitUntil } from '../harness/stations';
import { answersToSituation, householdServiceWithTree, idCardCitizen, issueAtKiosk, shot, signIn, stationKnows, useCounterHall } from './counterHall';

/**
 * 回显: the form a citizen filled at the kiosk appears in the counter's serving view (personal
 * fields masked), the clerk corrects it there, and the corrected form goes with the
 * acceptance to the central API, without the masked forms replacing the real values.
 */
const running = useCounterHall(['counter.2']);

test('the kiosk form shows in the serving view; an unsaved edit is kept and goes with the acceptance', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter: two } = running();
  const service = householdServiceWithTree(hall.kiosk);
  const idNumber = makeTestIdNumber({ regionCode: '440104', birthDate: '1988-09-30', sequence: 51 });
  const citizen = idCardCitizen(idNumber, '陈小明');
  // The kiosk role's decision once it has read the card (the station API takes no citizen from a screen).
  const ticket = hall.kiosk.core.issueTicket({ serviceIds: [service.id], kind: 'walk_in', citizen });
  const answers = answersToSituation(service);
  const outcome = evaluateDecisionTree(service, answers, { mode: 'final' });
  const kioskValues = {
    name: '陈小明',
    idNumber,
    phone: '13800138000',
    householdAddress: '广东省广州市越秀区中山五路1号',
    purpose: 'school',
    details: '证明本人与父亲的亲属关系',
    pickup: 'counter',
  };
  const kase = hall.kiosk.core.submitForm({
    serviceId: service.id,
    ticketId: ticket.id,
    answers,
    ...(outcome.outcome.type === 'situation' ? { situationId: outcome.outcome.situation.id } : {}),
    formId: service.formId ?? '',
    citizen,
    values: kioskValues,
  });
  if (!kase) throw new Error('kiosk did not submit the case');
  await stationKnows(two, ticket.id, 1);
  await expect.poll(() => hall.kiosk.sync.status().pending, { timeout: 15_000 }).toBe(0);

  await signIn(page, two, 'clerk2');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
  await page.keyboard.press('F5');
  await expect(page.getByTestId('form-source')).toHaveAttribute('data-status', 'kiosk');
  await expect(page.getByTestId('field-details')).toHaveValue(kioskValues.details);
  await expect(page.getByTestId('field-purpose')).toHaveValue('school');
  // Personal fields are echoed masked: the screen faces the citizen's side of the counter too.
  await expect(page.getByTestId('field-name')).toHaveValue('陈*明');
  await expect(page.getByTestId('field-phone')).toHaveValue('138****8000');
  await expect(page.getByTestId('field-idNumber')).not.toHaveValue(idNumber);
  await shot(page, '23-form-echo');

  // The clerk corrects two fields and accepts without pressing "save".
  await page.getByTestId('field-details').fill('证明本人户籍登记信息');
  await page.getByTestId('field-purpose').selectOption('employment');
  await expect(page.locator('.form-grid label.changed')).toHaveCount(2);
  const boxes = page.getByTestId('checklist').locator('input[type=checkbox]');
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
  await shot(page, '24-form-edited');
  await page.getByTestId('case-accept').click();
  await expect(page.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'acceptance_receipt');
  await page.getByTestId('slip-close').click();
  await expect(page.getByTestId('case-editor')).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('form-sent')).toBeVisible();
  await shot(page, '24b-form-accepted');

  // The central API holds the kiosk's form with the clerk's corrections on top, real values intact.
  const stored = async () => {
    const rows = await sql<{ values_json: string }>`SELECT values_json FROM sync_case_forms WHERE case_id = ${kase.id}`.execute(hall.central.database.db);
    // Sealed at rest under the data key, bound to the case (apps/server/src/sync/formValues.ts).
    return rows.rows[0] ? (openFormValues(hall.central.dataKeys, kase.id, rows.rows[0].values_json) as Record<string, unknown>) : undefined;
  };
  await expect.poll(async () => (await stored())?.details, { timeout: 20_000 }).toBe('证明本人户籍登记信息');
  expect(await stored()).toMatchObject({ ...kioskValues, details: '证明本人户籍登记信息', purpose: 'employment' });
  await page.keyboard.press('F6');
  await expect(page.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
});

test('with the central API down the serving view says the kiosk form is not available, and the form stays editable', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter: two } = running();
  const { ticket } = await issueAtKiosk(hall.kiosk, householdServiceWithTree(hall.kiosk), 52);
  await stationKnows(two, ticket.id, 1);
  await signIn(page, two, 'clerk2');
  await hall.central.stop();
  try {
    await waitUntil('counter sees the outage', () => !two.runtime.sync.status().online, 20_000);
    await page.keyboard.press('F1');
    await expect(page.getByTestId('hdr-current')).toHaveText(ticket.number);
    await page.keyboard.press('F5');
    await expect(page.getByTestId('form-source')).toHaveAttribute('data-status', 'offline');
    await expect(page.getByTestId('form-source')).toContainText('离线');
    await page.getByTestId('field-details').fill('窗口代填：证明本人户籍登记信息');
    await page.getByTestId('form-save').click();
    await expect(page.getByTestId('field-details')).toHaveValue('窗口代填：证明本人户籍登记信息');
    await shot(page, '24c-form-offline');
  } finally {
    await hall.central.start();
  }
});
