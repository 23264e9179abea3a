import { expect, test } from '@playwright/test';
import { householdServiceWithTree, issueAtKiosk, shot, signIn, startCounterHall, stationKnows, type CounterHall } from './counterHall';
import { waitUntil } from '../harness/stations';

/**
 * Calling keeps working with the central API down, from each counter's local queue; when
 * two windows called the same citizen meanwhile, the server keeps the first call and the
 * other window shows the conflict as soon as it reconnects.
 */
let hall: CounterHall;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  hall = await startCounterHall(['counter.2', 'counter.3']);
});

test.afterAll(async () => {
  await hall?.close();
});

test('two counters offline call the same ticket; the conflict shows after reconnect', async ({ context }) => {
  test.setTimeout(120_000);
  const two = hall.counters.get('counter.2');
  const three = hall.counters.get('counter.3');
  if (!two || !three) throw new Error('counters missing');
  const service = householdServiceWithTree(hall.kiosk);
  const { ticket } = await issueAtKiosk(hall.kiosk, service, 21, false);
  await stationKnows(two, ticket.id);
  await stationKnows(three, ticket.id);

  const desk2 = await context.newPage();
  const desk3 = await context.newPage();
  await signIn(desk2, two, 'clerk2');
  await signIn(desk3, three, 'clerk3');

  await hall.central.stop();
  await waitUntil('both counters see the outage', () => !two.runtime.sync.status().online && !three.runtime.sync.status().online, 20_000);
  await expect(desk2.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline');
  await expect(desk2.getByTestId('sync-status')).toHaveAttribute('data-mode', 'alone');
  await expect(desk2.getByTestId('sync-label')).toHaveText('单机工作');
  // A clerk who signed in here before can sign in again with the central API down.
  await signIn(desk2, two, 'clerk2');
  await expect(desk2.getByTestId('hdr-clerk')).toContainText('离线登录');

  // Each window calls from its own local queue: both get the same citizen.
  await desk2.keyboard.press('F1');
  await desk3.keyboard.press('F1');
  await expect(desk2.getByTestId('hdr-current')).toHaveText(ticket.number);
  await expect(desk3.getByTestId('hdr-current')).toHaveText(ticket.number);
  await expect(desk2.getByTestId('sync-status')).toHaveAttribute('data-pending', /[1-9]/);
  await shot(desk2, '14-offline-call');

  await hall.central.start();
  // One window's call is refused by the server: that window shows the conflict at once.
  const conflict2 = desk2.getByTestId('conflicts');
  const conflict3 = desk3.getByTestId('conflicts');
  await expect
    .poll(async () => (await conflict2.isVisible()) || (await conflict3.isVisible()), { timeout: 20_000 })
    .toBe(true);
  const loser = (await conflict2.isVisible()) ? desk2 : desk3;
  const winner = loser === desk2 ? desk3 : desk2;
  await expect(loser.getByTestId('conflict')).toContainText(ticket.number);
  await shot(loser, '15-conflict-after-reconnect');
  await expect(winner.getByTestId('conflicts')).toHaveCount(0);
  // After the rebase, the loser's window no longer holds the ticket; the winner still does.
  await expect(loser.getByTestId('hdr-current')).toHaveText('—', { timeout: 15_000 });
  await expect(winner.getByTestId('hdr-current')).toHaveText(ticket.number);
  // The conflict stays until the clerk dismisses it, also across a reload.
  await loser.reload();
  await expect(loser.getByTestId('conflicts')).toBeVisible();
  await loser.getByTestId('conflicts-dismiss').click();
  await expect(loser.getByTestId('conflicts')).toHaveCount(0);
});
