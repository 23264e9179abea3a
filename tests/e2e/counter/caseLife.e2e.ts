import { expect, test } from '@playwright/test';
import { testResidentCard } from '@hall/devices/testing';
import { makeTestIdNumber, receiptQrPayload } from '@hall/shared';
import { createOfficer } from '../harness/backOffice';
import { waitUntil } from '../harness/stations';
import { householdServiceWithTree, issueAtKiosk, printedJobs, shot, signIn, stationKnows, useCounterHall } from './counterHall';

/**
 * A case's life at the counter (issue 16): after the back office asks for a supplement the
 * clerk finds the case by its number, captures and records the papers; once the department
 * approved and completed it, the result goes to a proxy identified by their own ID card on the
 * reader. The back office acts over the central API as an officer of the service's department.
 */
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-background-networking'],
  },
});

const running = useCounterHall(['counter.2']);

test('supplement found by case number, then the result handed to a proxy by ID card', async ({ page }) => {
  test.setTimeout(150_000);
  const { hall, counter } = running();
  const { role, runtime } = counter;
  const service = householdServiceWithTree(hall.kiosk);
  const { ticket } = await issueAtKiosk(hall.kiosk, service, 61);
  await stationKnows(counter, ticket.id, 1);
  await signIn(page, counter, 'clerk2');

  // Served and accepted at this window (the serving screens have tests of their own).
  const caseId = Object.values(runtime.core.store.live.cases).find((c) => c.ticketId === ticket.id)?.id ?? '';
  runtime.core.ticketCommand('callSpecific', ticket.id);
  role.startServing(ticket.id);
  const checklist = role.caseView(caseId).checklist;
  for (const m of checklist) if (m.required) role.checkMaterial(caseId, m.materialId, true);
  const { case: accepted } = await role.accept(caseId);
  await role.setDelivery(caseId, 'counter');
  role.finish(ticket.id);
  const number = accepted.caseNumber ?? '';
  await waitUntil('acceptance central', () => runtime.core.store.outboxCounts().pending === 0, 20_000);

  const officer = await createOfficer(hall.central, { login: 'hallmanager', password: 'demo-hallmanager' }, { id: 'officer-e2e-1', departmentId: service.departmentId, password: 'Officer-e2e-2026!' });
  const asked = checklist.find((m) => m.required);
  if (!asked) throw new Error('the household service lists no required material');
  await officer.act(caseId, 'supplement', { items: [{ materialId: asked.materialId, note: '复印件不清晰，请补交清晰复印件' }] });
  await waitUntil('counter pulled the supplement request', () => runtime.core.store.live.cases[caseId]?.status === 'supplement_requested', 20_000);

  // The citizen comes back with the papers: the clerk finds the case by the receipt's number.
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-query').fill(number);
  await page.getByTestId('case-find').click();
  const file = page.getByTestId('case-file');
  await expect(file).toHaveAttribute('data-stage', 'supplement');
  await expect(page.getByTestId('case-number')).toHaveText(number);
  await expect(page.getByTestId('case-status')).toHaveText('待补正');
  await expect(page.getByTestId('case-supplements')).toContainText('复印件不清晰');
  await expect(page.getByTestId('case-timeline').locator('li[data-kind="supplement_requested"]')).toHaveCount(1);
  await expect(page.getByTestId(`supplement-${asked.materialId}`)).toBeChecked();
  await shot(page, '30-case-supplement-requested');

  // Pages of the supplement from the document camera, then the papers are recorded.
  await page.getByTestId('supplement-capture').click();
  await page.getByTestId('camera-start').click();
  await expect.poll(() => page.getByTestId('camera-preview').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  await page.getByTestId('camera-shoot').click();
  await expect(page.getByTestId(`case-material-${asked.materialId}`)).toContainText('新采集 1 页');
  await page.getByTestId('supplement-note').fill('补交清晰复印件');
  await page.getByTestId('supplement-record').click();
  await expect(file).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('case-supplements')).toContainText('2号窗口收齐');
  await expect(page.getByTestId('case-timeline').locator('li[data-kind="supplement_received"]')).toHaveCount(1);
  await shot(page, '31-case-supplement-received');
  await waitUntil('supplement central', async () => (await officer.get(caseId)).status === 'accepted', 20_000);
  expect((await officer.get(caseId)).materials).toContainEqual(expect.objectContaining({ materialId: asked.materialId, received: true, pageCount: 1 }));

  // The department approves and completes it; the open case screen shows it by itself.
  await officer.act(caseId, 'approve', { note: '符合条件' });
  await officer.act(caseId, 'complete');
  await expect(file).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  await expect(file).toHaveAttribute('data-stage', 'collection');

  // A proxy collects: their own card on the reader; the clerk must confirm the proxy first.
  const reader = counter.devices.simulators.idCard;
  if (!reader) throw new Error('no simulated ID-card reader');
  const proxyId = makeTestIdNumber({ regionCode: '440106', birthDate: '1970-03-08', sequence: 62 });
  reader.placeCard({ document: testResidentCard({ name: '王代领', idNumber: proxyId }) });
  await page.getByTestId('handover-card').click();
  await expect(page.getByTestId('step-error')).toContainText('代领');
  await page.getByTestId('handover-proxy').check();
  // The collector's photo from the document camera stays on this station; the case names it only.
  await page.getByTestId('collector-camera').click();
  await expect.poll(() => page.getByTestId('collector-video').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
  await page.getByTestId('collector-shoot').click();
  await expect(page.getByTestId('collector-photo')).toBeVisible();
  await page.getByTestId('handover-card').click();
  await expect(file).toHaveAttribute('data-status', 'delivered');
  await expect(page.getByTestId('case-handover')).toContainText('窗口领取（代领）：王*领 · 已拍照存档');
  await expect(page.getByTestId('case-no-steps')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(proxyId);
  await expect(page.getByTestId('case-timeline').locator('li[data-kind="delivered"]')).toHaveCount(1);
  await shot(page, '32-case-delivered-to-proxy');
  await waitUntil('hand-over central', async () => (await officer.get(caseId)).status === 'delivered', 20_000);
  expect((await officer.get(caseId)).handover).toMatchObject({ method: 'counter', collection: { proxy: true, maskedName: '王*领', photoRef: expect.stringMatching(/^counter-photo:/) } });

  // The receipt's QR on the code scanner opens the same case from the search screen.
  await page.getByTestId('case-back').click();
  await expect(page.getByTestId('case-search')).toBeVisible();
  const kase = runtime.core.store.live.cases[caseId];
  const scanner = counter.devices.simulators.scanner;
  if (!scanner || !kase) throw new Error('no simulated code scanner');
  await scanner.scan(receiptQrPayload(kase));
  await expect(page.getByTestId('case-number')).toHaveText(number);
  expect(printedJobs(counter)).toBeGreaterThan(0);
});

test('the citizen’s cases by their ID card, and a question to the department that holds the acceptance until the answer is pulled', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter } = running();
  const { runtime } = counter;
  const service = householdServiceWithTree(hall.kiosk);
  // Two matters of the same citizen: the ID card finds both.
  const first = await issueAtKiosk(hall.kiosk, service, 71);
  const second = await issueAtKiosk(hall.kiosk, service, 71);
  await stationKnows(counter, second.ticket.id, 1);
  await signIn(page, counter, 'clerk2');
  const reader = counter.devices.simulators.idCard;
  if (!reader) throw new Error('no simulated ID-card reader');
  reader.placeCard({ document: testResidentCard({ name: '陈小明', idNumber: first.idNumber }) });
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-find-card').click();
  await expect(page.getByTestId('case-results').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('case-results')).toContainText('待受理');
  await expect(page.getByTestId('case-results')).toContainText(`票号 ${second.ticket.number}`);
  await expect(page.locator('body')).not.toContainText(first.idNumber);
  await shot(page, '33-case-search-by-card');
  reader.removeCard();

  // Serving the second ticket, the clerk asks the department before accepting.
  runtime.core.ticketCommand('callSpecific', second.ticket.id);
  counter.role.startServing(second.ticket.id);
  await page.getByTestId('nav-cases').click();
  await expect(page.getByTestId('case-editor')).toBeVisible();
  for (const box of await page.getByTestId('checklist').locator('input[type=checkbox]').all()) await box.check();
  await page.getByTestId('accept-options').locator('summary').click();
  await page.getByTestId('consult-question').fill('申请人户籍迁入未满一年，可否受理？');
  await page.getByTestId('consult-ask').click();
  await expect(page.getByTestId('consult-status')).toHaveAttribute('data-consult', 'pending');
  await expect(page.getByTestId('case-accept')).toBeDisabled();
  await shot(page, '34-consult-pending');

  const caseId = Object.values(runtime.core.store.live.cases).find((c) => c.ticketId === second.ticket.id)?.id ?? '';
  await waitUntil('question central', () => runtime.core.store.outboxCounts().pending === 0, 20_000);
  const officer = await createOfficer(hall.central, { login: 'hallmanager', password: 'demo-hallmanager' }, { id: 'officer-e2e-2', departmentId: service.departmentId, password: 'Officer-e2e-2026!' });
  await officer.act(caseId, 'answer-consult', { approve: true, answer: '可以受理，注明迁入时间' });
  await expect(page.getByTestId('consult-status')).toHaveAttribute('data-consult', 'approved', { timeout: 20_000 });
  await expect(page.getByTestId('consult-status')).toContainText('可以受理，注明迁入时间');
  await expect(page.getByTestId('case-accept')).toBeEnabled();
  await page.getByTestId('case-accept').click();
  await expect(page.getByTestId('case-accepted')).toBeVisible();
});
