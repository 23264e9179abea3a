import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import type { DemoHall } from './demoHall';

/** The steps every demo-hall journey opens with: the screens' addresses, the simulator page, a clerk at a window. */

/** A screen's address as the banner printed it, by its label's first word (自助取号机, 1号窗口, …). */
export function screenUrl(hall: DemoHall, key: string): string {
  const found = hall.urls.get(key);
  if (!found) throw new Error(`no ${key} address in:\n${hall.output()}`);
  return found;
}

/** One station's part of the simulator page: its card reader, scanner, printed slips, doors. */
export const station = (panel: Page, id: string): Locator => panel.getByTestId(`station-${id}`);

/** The simulator page with one test citizen of this age made and chosen (c1). */
export async function openSimulator(browser: Browser, hall: DemoHall, age: number): Promise<Page> {
  const panel = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  await panel.goto(hall.panel);
  await expect(panel.getByRole('heading', { name: '大厅模拟器（演示用）' })).toBeVisible();
  await panel.getByTestId('new-age').fill(String(age));
  await panel.getByTestId('make-citizen').click();
  await expect(panel.getByTestId('citizen-c1')).toBeChecked();
  await expect(panel.locator('#citizens')).toContainText(`${age}岁`);
  return panel;
}

/** A counter's screen with a demo clerk signed in (password demo-<login>). */
export async function signInAtWindow(browser: Browser, hall: DemoHall, window: string, login: string): Promise<Page> {
  const counter = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await counter.goto(screenUrl(hall, window));
  await counter.getByTestId('login-name').fill(login);
  await counter.getByTestId('login-password').fill(`demo-${login}`);
  await counter.getByTestId('login-submit').click();
  await expect(counter.getByTestId('counter-header')).toBeVisible();
  return counter;
}

/** What a printed slip on the simulator page says: its SVG, as text to search. */
export async function slipText(slip: Locator): Promise<string> {
  return decodeURIComponent(((await slip.locator('img').getAttribute('src')) ?? '').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
}

/** The admin console with a demo account signed in (password demo-<login>); `landing` is what its first screen shows. */
export async function signInConsole(browser: Browser, hall: DemoHall, login: string, landing: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(hall.console);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(`demo-${login}`);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId(landing)).toBeVisible();
  return page;
}

/**
 * Window 1 calls `ticket` (F1), starts serving (F5), opens the service's case, reads the
 * citizen's card from the simulated reader, ticks every paper and accepts, with the result to
 * wait at the delivery counter (窗口领取). Returns the case number; the clerk is still serving.
 */
export async function acceptAtWindow1(counter: Page, panel: Page, ticket: string, serviceId: string): Promise<string> {
  await expect(counter.getByTestId(`waiting-${ticket}`)).toBeVisible({ timeout: 20_000 });
  await counter.keyboard.press('F1');
  await expect(counter.getByTestId('hdr-current')).toHaveText(ticket);
  await counter.keyboard.press('F5');
  await expect(counter.getByTestId('serving-view')).toBeVisible();
  await counter.getByTestId(`open-case-${serviceId}`).click();
  await expect(counter.getByTestId('case-editor')).toBeVisible();
  await station(panel, 'counter-1').getByTestId('card-place').click();
  await counter.getByTestId('identity-card').click();
  await expect(counter.getByTestId('identity-result')).toHaveAttribute('data-match', 'true');
  await station(panel, 'counter-1').getByTestId('card-remove').click();
  const checklist = counter.getByTestId('checklist').locator('input[type=checkbox]');
  for (let i = 0; i < (await checklist.count()); i++) await checklist.nth(i).check();
  await counter.getByTestId('case-accept').click();
  await expect(counter.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'acceptance_receipt');
  await counter.getByTestId('slip-close').click();
  await counter.getByTestId('delivery-counter').click();
  await expect(counter.getByTestId('delivery-counter')).toHaveClass(/primary/);
  const accepted = (await counter.getByTestId('case-accepted').textContent()) ?? '';
  const caseNumber = /\d{8}-\d{2}-\d{4}-[0-9a-f]{4}/.exec(accepted)?.[0] ?? '';
  expect(caseNumber, accepted).not.toBe('');
  return caseNumber;
}
