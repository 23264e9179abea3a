import { expect, test } from '@playwright/test';
import { demoHall } from '../../../apps/server/src/demo/index';
import { startCounterStation, type CounterStation } from '../../../apps/counter/src/main/station';
import { startHallCentral, type HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { enrolledConfig, FAST_SYNC, stationPage, waitUntil } from '../harness/stations';

/**
 * A counter PC whose clock runs 3 minutes slow: the station measures it on its sync round
 * trips and the sync corner says so on screen, in Chinese first, until the clock is set.
 */
let central: HallCentral;
let station: CounterStation;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  central = await startHallCentral({ hall: structuredClone(demoHall), manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  const counterId = demoHall.counters[0]?.id;
  if (!counterId) throw new Error('the demo hall has no counter');
  const config = await enrolledConfig(central, { deviceId: 'counter-skewed', role: 'counter', counterId, rendererDir: builtRenderer('counter') });
  station = await startCounterStation(
    { ...config, devices: { ticketPrinter: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, idCardReader: { kind: 'simulated' } } },
    { host: true, sync: FAST_SYNC, now: () => Date.now() - 3 * 60_000 },
  );
});

test.afterAll(async () => {
  await station?.stop();
  await central?.close();
});

test('a station clock 3 minutes off the server shows the warning in the sync corner', async ({ page }) => {
  await waitUntil('the offset is measured', () => (station.runtime.sync.status().clockOffsetMs ?? 0) > 170_000, 15_000);
  await page.goto(stationPage(station.url ?? '', '/'));
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-clock-skewed', 'true');
  await expect(page.getByTestId('clock-skew')).toHaveText('本机时钟与服务器相差 3 分钟，请联系管理员校准');
});
