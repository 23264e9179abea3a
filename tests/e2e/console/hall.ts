import { expect, type Page } from '@playwright/test';
import { demoHall } from '../../../apps/server/src/demo/index';
import { seedDemoHall } from '../../../apps/server/src/demo/seed';
import { fixtureHall } from '../../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../harness/central';
import { seedActivity, type Activity } from './activity';
import { buildConsole } from './build';

/** The demo hall with weeks of activity, a second hall (t2) beside it, and the console built. */
export async function startConsoleHall(): Promise<{ central: HallCentral; activity: Activity }> {
  buildConsole();
  const central = await startHallCentral({ hall: demoHall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  await seedDemoHall(central.database.db, fixtureHall('t2'));
  return { central, activity: await seedActivity(central.database.db, central.hallId) };
}

/** Signs in through the console's login page, as staff do. */
export async function signIn(page: Page, central: HallCentral, who: string, password = `demo-${who}`): Promise<void> {
  await page.goto(`${central.url}/console/`);
  await page.locator('input[name=login]').fill(who);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('nav-live')).toBeVisible();
}
