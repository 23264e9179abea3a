// The hall mesh end to end: a real central API in its own process (so it can be frozen with
// SIGSTOP or killed with SIGKILL), and the hall's stations as `npm start` runs them — a
// kiosk, two counters and the wall display in browser mode with simulated devices, each
// peering with the other three over UDP on loopback — whose screens the tests drive in
// Chromium.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import type { Case, Ticket } from '@hall/shared';
import { testResidentCard } from '@hall/devices/testing';
import { parseStationConfig, type StationConfig, type StationRuntime } from '@hall/station';
import { freeUdpPorts } from '@hall/station/testing';
import { parseDisplayConfig } from '@hall/station/roles/display';
import { startCounterStation, type CounterStation } from '../../../apps/counter/src/main/station';
import { startDisplayStation, type DisplayStation } from '../../../apps/display/src/main/station';
import { startKioskStation, type KioskStation } from '../../../apps/kiosk/src/main/station';
import { HALL_ID, QUEUE } from '../../../apps/server/src/demo/ids';
import { asHallManager, CentralApi } from '../kiosk/harness';
import { PORTRAIT, typeKeys, typePinyin } from '../kiosk/journeys';
import { signIn } from '../counter/counterHall';
import { builtRenderer } from '../harness/renderer';
import { canIssue, FAST_SYNC, waitUntil } from '../harness/stations';
import { screenshotDir } from '../harness/screenshots';

export const SCREENSHOTS = screenshotDir('hall');
/** Clips are generated once per machine and reused across runs (shared with display.e2e). */
const CLIP_CACHE = join(tmpdir(), 'hall-e2e-voice-clips');

export interface MeshHall {
  api: CentralApi;
  kiosk: KioskStation;
  counter1: CounterStation;
  counter2: CounterStation;
  display: DisplayStation;
  /** Every station's runtime: kiosk, counter 1, counter 2, display. */
  runtimes: StationRuntime[];
  /** The UDP port each station's mesh node listens on (same order). */
  meshPorts: number[];
  close(): Promise<void>;
}

type Role = 'kiosk' | 'counter' | 'display';

/** Enrolls the device with the central API and returns its config: browser mode, simulated devices, the hall mesh. */
async function meshConfig(
  api: CentralApi,
  dir: string,
  spec: { deviceId: string; role: Role; counterId?: string; rendererDir: string; devices: Record<string, { kind: 'simulated' }> },
  mesh: { port: number; peers: number[] },
): Promise<StationConfig> {
  // A counter device is bound to its counter: the central API lets it act for that one only.
  const device = { id: spec.deviceId, hallId: HALL_ID, role: spec.role, name: spec.deviceId, ...(spec.counterId ? { counterId: spec.counterId } : {}) };
  const { enrollmentCode } = await asHallManager(api, 'POST', '/sync/devices', device);
  const dataDir = join(dir, spec.deviceId);
  return parseStationConfig({
    hallId: HALL_ID,
    role: spec.role,
    deviceId: spec.deviceId,
    ...(spec.counterId ? { counterId: spec.counterId } : {}),
    apiUrl: api.url,
    enrollment: { code: String(enrollmentCode), credentialPath: join(dataDir, 'credential') },
    dataDir,
    host: { bind: '127.0.0.1', port: 0, rendererDir: spec.rendererDir },
    devices: spec.devices,
    // As a station's config file says it (start-hall.ts): its port and the other stations'. No key: that comes from the API.
    mesh: { port: mesh.port, bind: '127.0.0.1', peers: mesh.peers.map((port) => ({ host: '127.0.0.1', port })) },
  });
}

/**
 * Starts the central API (demo hall, SQLite in a temp dir) as a child process and the four
 * stations in this process, on free UDP ports picked by the kernel (so no other e2e file,
 * nor a running `npm start` on 47131-47134, can collide). Resolves once every station is
 * connected, hears its three peers, and the kiosk holds numbers.
 */
export async function startMeshHall(): Promise<MeshHall> {
  const dir = mkdtempSync(join(tmpdir(), 'hall-e2e-mesh-'));
  mkdirSync(CLIP_CACHE, { recursive: true });
  const api = await CentralApi.start(dir);
  const started: { stop(): Promise<void> }[] = [];
  const close = async () => {
    for (const station of started.reverse()) await station.stop().catch(() => undefined);
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await freeUdpPorts(4);
    const [kioskPort, c1Port, c2Port, displayPort] = ports as [number, number, number, number];
    const peersOf = (own: number) => ({ port: own, peers: ports.filter((p) => p !== own) });
    const counterDevices = { ticketPrinter: { kind: 'simulated' as const }, codeScanner: { kind: 'simulated' as const }, idCardReader: { kind: 'simulated' as const } };

    const kiosk = await startKioskStation(
      await meshConfig(api, dir, { deviceId: 'kiosk-mesh-1', role: 'kiosk', rendererDir: builtRenderer('kiosk'), devices: counterDevices }, peersOf(kioskPort)),
      { host: true, enforceOpeningHours: false, sync: FAST_SYNC },
    );
    started.push(kiosk);
    const counterRenderer = builtRenderer('counter');
    const counter1 = await startCounterStation(
      await meshConfig(api, dir, { deviceId: 'counter-mesh-1', role: 'counter', counterId: 'counter.1', rendererDir: counterRenderer, devices: counterDevices }, peersOf(c1Port)),
      { host: true, sync: FAST_SYNC },
    );
    started.push(counter1);
    const counter2 = await startCounterStation(
      await meshConfig(api, dir, { deviceId: 'counter-mesh-2', role: 'counter', counterId: 'counter.2', rendererDir: counterRenderer, devices: counterDevices }, peersOf(c2Port)),
      { host: true, sync: FAST_SYNC },
    );
    started.push(counter2);
    const display = await startDisplayStation(
      await meshConfig(api, dir, { deviceId: 'display-mesh-1', role: 'display', rendererDir: builtRenderer('display'), devices: {} }, peersOf(displayPort)),
      {
        host: true,
        // No counter sends it the LAN call feed here: every call the wall shows came through the hall mesh.
        display: parseDisplayConfig({ settings: { englishLine: true, historySize: 8 }, lan: { listen: { bind: '127.0.0.1', port: 0 } } }),
        sync: FAST_SYNC,
        clipCacheDir: CLIP_CACHE,
        lanPort: 0,
      },
    );
    started.push(display);
    await display.role.voiceReady;
    const runtimes = [kiosk.runtime, counter1.runtime, counter2.runtime, display.runtime];
    await waitUntil('kiosk numbers', () => canIssue(kiosk.runtime, QUEUE.household), 30_000);
    await waitUntil('catalogues', () => runtimes.every((r) => r.core.store.catalogue !== undefined), 30_000);
    await waitUntil(
      'every station connected and hearing its three peers',
      () => runtimes.every((r) => r.sync.status().hall?.mode === 'connected' && r.mesh?.reachable() === 3),
      30_000,
    );
    return { api, kiosk, counter1, counter2, display, runtimes, meshPorts: ports, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A station's own outbox, its peers' unconfirmed mutations and its rejections, as its status says. */
export function stationBacklog(runtime: StationRuntime): { online: boolean; mode: string | undefined; pending: number; peerPending: number; rejected: number } {
  const status = runtime.sync.status();
  return { online: status.online, mode: status.hall?.mode, pending: status.pending, peerPending: status.hall?.peerPending ?? -1, rejected: status.rejected };
}

export const SETTLED = { online: true, mode: 'connected', pending: 0, peerPending: 0, rejected: 0 };

export function ticketIn(runtime: StationRuntime, number: string): Ticket | undefined {
  const day = runtime.core.today();
  return Object.values(runtime.core.store.live.queue.tickets).find((t) => t.number === number && t.day === day);
}

export function casesOf(runtime: StationRuntime, ticketId: string): Case[] {
  return Object.values(runtime.core.store.live.cases).filter((c) => c.ticketId === ticketId);
}

/** What the citizen types at the kiosk, and how the counter shows it back (personal fields masked). */
export const KIOSK_FORM = { phone: '13800138000', maskedPhone: '138****8000', purpose: 'employment', details: '户籍证明' };

/**
 * A citizen at the kiosk, by touch: the guided way to the household certificate, answers the
 * questions, puts the ID card on the reader, fills the form on the on-screen keyboard (pinyin
 * for the Chinese), reviews and submits. Returns the ticket number on the screen.
 */
export async function citizenTakesTicketWithForm(page: Page, kiosk: KioskStation, card: { name: string; idNumber: string; birthDate: string }): Promise<string> {
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await page.getByTestId('home-guided').click();
  await page.getByTestId('browse-theme').click();
  await page.getByTestId('group-户籍证明').click();
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-questions')).toBeVisible();
  await page.getByTestId('option-household-certificate.q.applicant.self').click();
  await page.getByTestId('option-household-certificate.q.kind.registration').click();
  await expect(page.getByTestId('screen-materials')).toBeVisible();
  await page.getByTestId('fill-form').click();

  await expect(page.getByTestId('screen-identify')).toBeVisible();
  const reader = kiosk.devices.simulators.idCard;
  if (!reader) throw new Error('the kiosk has no simulated ID-card reader');
  reader.placeCard({ document: testResidentCard(card) });
  await expect(page.getByTestId('identified')).toBeVisible();
  await page.getByTestId('identify-continue').click();

  await expect(page.getByTestId('screen-form')).toBeVisible();
  await page.getByTestId('input-phone').click();
  await typeKeys(page, KIOSK_FORM.phone);
  await page.getByTestId('key-done').click();
  await page.getByTestId(`choice-purpose-${KIOSK_FORM.purpose}`).click();
  await page.getByTestId('input-details').click();
  await typeKeys(page, 'hujizhengming');
  await typePinyin(page, '', KIOSK_FORM.details);
  await expect(page.getByTestId('input-details')).toHaveText(KIOSK_FORM.details);
  await page.getByTestId('choice-pickup-counter').click();
  await page.getByTestId('form-review').click();
  await expect(page.getByTestId('screen-review')).toBeVisible();
  await page.getByTestId('review-submit').click();

  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  reader.removeCard();
  return number;
}

/** Back to the kiosk's home screen for the next citizen. */
export async function kioskHome(page: Page): Promise<void> {
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();
}

type Announcement = { key: string; text: string; state: string };
/** The wall renderer's announcement journal (its test hook), read in the page. */
export const announcements = (page: Page): Promise<Announcement[]> =>
  page.evaluate(() => [...((globalThis as unknown as { __hallAnnouncements?: () => Announcement[] }).__hallAnnouncements?.() ?? [])]);

/** The kiosk screen at home, window 1 with clerk1 signed in, and the wall ready: the pages a journey across the hall drives. */
export async function openHallPages(browser: Browser, hall: MeshHall): Promise<{ kioskPage: Page; desk1: Page; wall: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const kioskPage = await context.newPage();
  await kioskPage.setViewportSize(PORTRAIT);
  await kioskPage.goto(hall.kiosk.runtime.host?.url ?? '');
  await expect(kioskPage.getByTestId('screen-home')).toBeVisible();
  const desk1 = await context.newPage();
  await signIn(desk1, hall.counter1, 'clerk1');
  const wall = await context.newPage();
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await wall.goto(hall.display.runtime.host?.url ?? '');
  await expect(wall.getByTestId('wall')).toHaveAttribute('data-ready', 'true');
  return { kioskPage, desk1, wall };
}

/** A screenshot into the hall's screenshot folder once the page's fonts have loaded. */
export async function hallShot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export function kioskReader(kiosk: KioskStation) {
  const simulated = kiosk.devices.simulators.idCard;
  if (!simulated) throw new Error('the kiosk has no simulated ID-card reader');
  return simulated;
}

/** The text lines of every slip the kiosk's simulated printer has cut. */
export function kioskSlips(kiosk: KioskStation): string[][] {
  const printer = kiosk.devices.simulators.printer;
  if (!printer) throw new Error('the kiosk has no simulated printer');
  return printer.record.jobs.map((job) => job.items.flatMap((item) => (item.type === 'text' ? [item.text] : [])));
}
