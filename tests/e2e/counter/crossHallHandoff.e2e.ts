import { expect, test } from '@playwright/test';
import { handoffSlipCode } from '@hall/shared';
import { fixtureHall } from '../../../apps/server/src/testing/fixture';
import { waitUntil } from '../harness/stations';
import { householdServiceWithTree, issueAtKiosk, shot, signIn, stationKnows, useCounterHall } from './counterHall';

/**
 * 跨厅流转 at the counter (issue 17): the clerk sends an accepted case's paper to another hall of
 * the city, chosen from the catalogue's halls; the printed slip says "流转至：<hall>". Another
 * hall's slip read by this counter's code scanner is refused with a plain message sending the
 * clerk to the back office (the counter does not hold that hall's cases, so it cannot check it).
 */
const running = useCounterHall(['counter.2'], { otherHalls: [fixtureHall('xb')] });

test('the counter sends a slip to another hall, printed with its destination; another hall\'s slip on the scanner is refused plainly', async ({ page }) => {
  test.setTimeout(120_000);
  const { hall, counter } = running();
  const { role, runtime } = counter;
  const service = householdServiceWithTree(hall.kiosk);
  const { ticket } = await issueAtKiosk(hall.kiosk, service, 71);
  await stationKnows(counter, ticket.id, 1);
  await signIn(page, counter, 'clerk2');
  const caseId = Object.values(runtime.core.store.live.cases).find((c) => c.ticketId === ticket.id)?.id ?? '';
  runtime.core.ticketCommand('callSpecific', ticket.id);
  role.startServing(ticket.id);
  for (const m of role.caseView(caseId).checklist) if (m.required) role.checkMaterial(caseId, m.materialId, true);
  const { case: accepted } = await role.accept(caseId);
  role.finish(ticket.id);
  const number = accepted.caseNumber ?? '';

  await page.getByTestId('nav-handoffs').click();
  await expect(page.getByTestId('handoff-screen')).toBeVisible();
  await page.getByTestId(`handoff-case-${number}`).getByTestId('handoff-choose').check();
  await page.getByTestId('handoff-to-hall').selectOption({ label: '测试大厅xb' });
  await shot(page, '30-handoff-cross-hall-choose');
  await page.getByTestId('handoff-print').click();
  const preview = page.getByTestId('slip-preview');
  await expect(preview).toHaveAttribute('data-kind', 'handoff_slip');
  const svg = decodeURIComponent(((await preview.locator('img').getAttribute('src')) ?? '').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  expect(svg).toContain('流转至：测试大厅xb');
  await shot(page, '30-handoff-cross-hall-slip');
  await page.getByTestId('slip-close').click();
  expect(runtime.core.store.live.cases[caseId]?.handoff).toMatchObject({ hallId: runtime.core.store.catalogue?.hall.id, toHallId: 'xb-hall' });
  await waitUntil('the slip reached the central API', () => runtime.core.store.outboxCounts().pending === 0, 20_000);

  // A slip of another hall on this counter's scanner: refused, pointing to the back office; nothing opens or is sent.
  const scanner = counter.devices.simulators.scanner;
  if (!scanner) throw new Error('no simulated code scanner');
  await scanner.scan(handoffSlipCode('xb-hall', { id: 'handoff-of-hall-xb', token: 'another-halls-slip-token-0001' }));
  await expect(page.getByTestId('handoff-error')).toContainText('请在后台审批页面（联网）扫码签收');
  await expect(page.getByTestId('handoff-check')).toHaveCount(0);
  await shot(page, '30-handoff-cross-hall-refused');
});
