import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { tokenFromFragment } from '@hall/shared';
import type { StationConfig, StationRuntime } from '@hall/station';
import { attachLanCallFeed, startLanCallSender, type LanCallSender } from '@hall/station';
import { parseDisplayConfig } from '@hall/station/roles/display';
import { startDisplayStation, type DisplayStation, type DisplayStationOptions } from '../../../apps/display/src/main/station';
import { FIXTURE_PASSWORD, fixtureHall } from '../../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../harness/stations';
import { screenshotDir } from '../harness/screenshots';

/**
 * The wall display end to end: a real central API, a kiosk issuing, counters calling
 * (through sync and the LAN feed), the display station and its renderer in Chromium.
 */
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking'],
  },
});

/** Clips are generated once per machine and reused across runs (first start takes a few seconds). */
const CLIP_CACHE = join(tmpdir(), 'hall-e2e-voice-clips');

interface Counter {
  runtime: StationRuntime;
  lan: LanCallSender;
  detach: () => void;
}

let central: HallCentral;
let kiosk: StationRuntime;
let display: DisplayStation;
let displayConfig: StationConfig;
let displayOptions: DisplayStationOptions;
const counters: Counter[] = [];

async function startCounter(deviceId: string, counterId: string, lanPort: number): Promise<Counter> {
  const runtime = await startPlainStation(central, { deviceId, role: 'counter', counterId, clerk: { login: 't1-clerk', password: FIXTURE_PASSWORD } });
  const lan = await startLanCallSender({
    hallId: central.hallId,
    senderId: deviceId,
    // The hall's ring from the central API, as the counter app does (apps/counter/src/main/station.ts).
    keys: () => runtime.lanKeys(),
    peers: [{ host: '127.0.0.1', port: lanPort }],
  });
  return { runtime, lan, detach: attachLanCallFeed(runtime.core, lan) };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const hall = fixtureHall('t1');
  // Recalls within seconds, so the test need not wait out the hall's countdown.
  hall.callingRules = { ...hall.callingRules, callCountdownSeconds: 0, minSecondsBetweenRecalls: 0 };
  central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
  mkdirSync(CLIP_CACHE, { recursive: true });
  displayConfig = await enrolledConfig(central, { deviceId: 'display-1', role: 'display', rendererDir: builtRenderer('display') });
  displayOptions = {
    host: true,
    display: parseDisplayConfig({
      settings: { englishLine: true, historySize: 8 },
      notices: ['请留意叫号，过号请到咨询台重新取号'],
      lan: { listen: { bind: '127.0.0.1', port: 0 } },
    }),
    sync: FAST_SYNC,
    clipCacheDir: CLIP_CACHE,
    lanPort: 0,
  };
  display = await startDisplayStation(displayConfig, displayOptions);
  // Restarts come back on the same ports and page token, as a display whose Chromium a
  // system service keeps open does (host.token): the open page reconnects by itself.
  const token = tokenFromFragment(new URL(display.runtime.host?.url ?? 'http://x').hash);
  displayConfig = { ...displayConfig, host: { ...displayConfig.host, port: display.runtime.host?.port ?? 0, ...(token ? { token } : {}) } };
  displayOptions = { ...displayOptions, lanPort: display.role.lan?.port ?? 0 };
  await display.role.voiceReady;
  const lanPort = display.role.lan?.port ?? 0;
  kiosk = await startPlainStation(central, { deviceId: 'kiosk-1', role: 'kiosk' });
  counters.push(await startCounter('counter-1', 't1-c1', lanPort), await startCounter('counter-2', 't1-c2', lanPort));
  await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa'));
  await waitUntil('counter catalogues', () => counters.every((c) => c.runtime.core.store.catalogue !== undefined));
  for (const c of counters) await c.runtime.handlers['counter.open']?.({});
});

test.afterAll(async () => {
  for (const c of counters) {
    c.detach();
    await c.lan.close();
    await c.runtime.stop();
  }
  await kiosk?.stop();
  await display?.stop();
  await central?.close();
});

async function issue(count: number, serviceId = 't1-svc-1'): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const ticket = await kiosk.handlers['ticket.issue']?.({ serviceIds: [serviceId], kind: 'walk_in' });
    if (!ticket) throw new Error('kiosk did not issue');
    numbers.push(ticket.number);
  }
  return numbers;
}

/** Waits until every counter's local state holds these tickets (pulled via the central API). */
async function countersKnow(numbers: string[]): Promise<void> {
  await waitUntil(`counters know ${numbers.join(',')}`, () =>
    counters.every((c) => numbers.every((n) => Object.values(c.runtime.core.store.live.queue.tickets).some((t) => t.number === n))),
  );
}

type Entry = { key: string; text: string; state: string };
/** The renderer's announcement journal (its test hook), read in the page. */
const journal = (page: Page): Promise<Entry[]> =>
  page.evaluate(() => [...((globalThis as unknown as { __hallAnnouncements?: () => Entry[] }).__hallAnnouncements?.() ?? [])]);

async function openWall(page: Page, width = 1920, height = 1080): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto(display.runtime.host?.url ?? '');
  await expect(page.getByTestId('wall')).toHaveAttribute('data-ready', 'true');
}

async function recentKeys(page: Page): Promise<string[]> {
  const latest = await page.getByTestId('latest-call').getAttribute('data-key');
  const rest = await page.getByTestId('recent-calls').locator('li').evaluateAll((items) => items.map((li) => (li as unknown as { dataset: Record<string, string> }).dataset.key ?? ''));
  return [...(latest ? [latest] : []), ...rest];
}

test('calls from a counter station appear and are announced in order, once', async ({ page }) => {
  await openWall(page);
  const numbers = await issue(3);
  await countersKnow(numbers);
  const counter = counters[0];
  if (!counter) throw new Error('no counter');
  const h = counter.runtime.handlers;
  const spoken: string[] = [];
  for (const [i, number] of numbers.entries()) {
    const ticket = await h['counter.callNext']?.({});
    expect(ticket?.number).toBe(number);
    spoken.push(`请${number}号到1号窗口办理`);
    await expect(page.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
    if (i === 1 && ticket) {
      await h['counter.recall']?.({ ticketId: ticket.id });
      spoken.push(`请${number}号再次到1号窗口办理`);
      await expect(page.locator('.badge-recall')).toBeVisible();
    }
    if (ticket) {
      await h['counter.startServing']?.({ ticketId: ticket.id });
      await h['counter.finish']?.({ ticketId: ticket.id });
    }
  }
  await expect(page.locator('[data-counter="1"]')).toHaveAttribute('data-status', /open|serving/);
  // Both paths have delivered every call by now (sync pushes within a poll): still one entry each.
  await waitUntil('display synced the calls', () =>
    numbers.every((n) => Object.values(display.runtime.core.store.live.queue.tickets).some((t) => t.number === n && t.callCount > 0)),
  );
  await expect.poll(async () => (await journal(page)).filter((e) => e.state === 'played' || e.state === 'failed').length, { timeout: 60_000 }).toBe(4);
  const entries = await journal(page);
  expect(entries.map((e) => e.text)).toEqual(spoken);
  expect(entries.map((e) => e.state)).toEqual(['played', 'played', 'played', 'played']);
  expect(new Set(entries.map((e) => e.key)).size).toBe(4);
  const keys = await recentKeys(page);
  expect(keys).toHaveLength(4);
  expect(new Set(keys).size).toBe(4);
});

test('with the central API stopped, LAN-direct calls still appear; after reconnect nothing is doubled', async ({ page }) => {
  await openWall(page);
  const numbers = await issue(2, 't1-svc-2');
  await countersKnow(numbers);
  const before = (await journal(page)).length;
  await central.stop();
  await expect(page.getByTestId('offline-badge')).toBeVisible({ timeout: 15_000 });

  const counter = counters[1];
  if (!counter) throw new Error('no counter');
  const h = counter.runtime.handlers;
  const called: string[] = [];
  for (const number of numbers) {
    const ticket = await h['counter.callNext']?.({});
    expect(ticket?.number).toBe(number);
    called.push(number);
    await expect(page.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
    await expect(page.locator(`[data-counter="2"]`)).toHaveAttribute('data-status', 'serving');
    if (ticket) {
      await h['counter.startServing']?.({ ticketId: ticket.id });
      await h['counter.finish']?.({ ticketId: ticket.id });
    }
  }
  const offlineKeys = await recentKeys(page);
  await expect.poll(async () => (await journal(page)).filter((e) => e.state === 'played').length, { timeout: 30_000 }).toBe(before + 2);
  expect((await journal(page)).slice(before).map((e) => e.text)).toEqual(called.map((n) => `请${n}号到2号窗口办理`));

  await central.start();
  await expect(page.getByTestId('offline-badge')).toBeHidden({ timeout: 20_000 });
  await waitUntil(
    'display pulled the offline calls',
    () => numbers.every((n) => Object.values(display.runtime.core.store.live.queue.tickets).some((t) => t.number === n && t.status === 'finished')),
    20_000,
  );
  // Give the renderer a moment to receive anything the catch-up might have added.
  await page.waitForTimeout(500);
  const keys = await recentKeys(page);
  expect(keys).toEqual(offlineKeys);
  expect(new Set(keys).size).toBe(keys.length);
  const entries = await journal(page);
  expect(entries.length).toBe(before + 2);
  const state = await display.handlers['display.state']?.({});
  expect(state?.recent.filter((c) => numbers.includes(c.ticketNumber)).map((c) => c.source)).toEqual(['lan', 'lan']);
});

test('a reload mid-announcement finishes that call and never repeats the ones already said', async ({ page }) => {
  await openWall(page);
  const [number] = await issue(1);
  if (!number) throw new Error('no ticket');
  await countersKnow([number]);
  const h = counters[0]?.runtime.handlers;
  const ticket = await h?.['counter.callNext']?.({});
  expect(ticket?.number).toBe(number);
  await expect.poll(async () => (await journal(page)).find((e) => e.text.includes(number))?.state, { timeout: 15_000 }).toBe('playing');
  await page.reload();
  await expect(page.getByTestId('wall')).toHaveAttribute('data-ready', 'true');
  // The new page says the interrupted call again, once, and none of the earlier tests' calls.
  await expect.poll(async () => (await journal(page)).map((e) => `${e.text}:${e.state}`), { timeout: 20_000 }).toEqual([`请${number}号到1号窗口办理:played`]);
  await page.waitForTimeout(300);
  expect(await journal(page)).toHaveLength(1);
  if (ticket) {
    await h?.['counter.startServing']?.({ ticketId: ticket.id });
    await h?.['counter.finish']?.({ ticketId: ticket.id });
  }
});

test('a display station restarted mid-announcement comes back by itself and says the call once', async ({ page }) => {
  await openWall(page);
  const [number] = await issue(1);
  if (!number) throw new Error('no ticket');
  await countersKnow([number]);
  const h = counters[0]?.runtime.handlers;
  const ticket = await h?.['counter.callNext']?.({});
  await expect.poll(async () => (await journal(page)).find((e) => e.text.includes(number))?.state, { timeout: 15_000 }).toBe('playing');
  await display.stop();
  display = await startDisplayStation(displayConfig, displayOptions);
  await expect(page.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
  await expect.poll(async () => (await journal(page)).map((e) => `${e.text}:${e.state}`), { timeout: 20_000 }).toEqual([`请${number}号到1号窗口办理:played`]);
  // The outcome reached the restarted station: nothing is left to say, even for a new page.
  await expect.poll(async () => (await display.handlers['display.state']?.({}))?.announcements.length, { timeout: 10_000 }).toBe(0);
  if (ticket) {
    await h?.['counter.startServing']?.({ ticketId: ticket.id });
    await h?.['counter.finish']?.({ ticketId: ticket.id });
  }
});

test('screenshots: landscape 1920×1080 and portrait 1080×1920', async ({ page }) => {
  const dir = screenshotDir('display');
  mkdirSync(dir, { recursive: true });
  // A busy moment: a few calls made, people waiting in both queues, window 1 paused with
  // a reason, window 2 serving a citizen whose name the wall shows masked.
  const [c1, c2] = counters;
  if (!c1 || !c2) throw new Error('no counters');
  const earlier = await issue(3);
  await countersKnow(earlier);
  for (const _ of earlier) {
    const t = await c1.runtime.handlers['counter.callNext']?.({});
    if (!t) continue;
    await c1.runtime.handlers['counter.startServing']?.({ ticketId: t.id });
    await c1.runtime.handlers['counter.finish']?.({ ticketId: t.id });
  }
  // A citizen the kiosk identified (its role's decision, made at the core: the screen API takes no citizen).
  const named = kiosk.core.issueTicket({
    serviceIds: ['t1-svc-2'],
    kind: 'walk_in',
    citizen: { maskedName: '张*丰', idHash: 'ab'.repeat(32) },
  });
  const waitingA = await issue(5);
  const waitingB = await issue(3, 't1-svc-2');
  await countersKnow([...waitingA, ...waitingB, named?.number ?? '']);
  const called = await c2.runtime.handlers['counter.callNext']?.({});
  expect(called?.number).toBe(named?.number);
  if (called) await c2.runtime.handlers['counter.startServing']?.({ ticketId: called.id });
  await c1.runtime.handlers['counter.pause']?.({ reason: '系统维护，请稍候' });
  await waitUntil('display saw the pause', async () => (await display.handlers['display.state']?.({}))?.counters[0]?.status === 'paused');
  await waitUntil('display synced the name', async () => (await display.handlers['display.state']?.({}))?.latest?.maskedName === '张*丰');

  await openWall(page, 1920, 1080);
  await expect(page.locator('[data-counter="1"]')).toHaveAttribute('data-status', 'paused');
  await expect(page.getByTestId('latest-call')).toHaveAttribute('data-ticket', called?.number ?? '');
  await page.screenshot({ path: join(dir, 'landscape-1920x1080.png') });
  await openWall(page, 1080, 1920);
  await expect(page.getByTestId('wall')).toHaveAttribute('data-orientation', 'portrait');
  await page.screenshot({ path: join(dir, 'portrait-1080x1920.png') });

  await c1.runtime.handlers['counter.resume']?.({});
  if (called) await c2.runtime.handlers['counter.finish']?.({ ticketId: called.id });
});
