import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { makeTestIdNumber } from '@hall/shared';
import { signIn } from '../counter/counterHall';
import { PORTRAIT } from '../kiosk/journeys';
import {
  announcements,
  casesOf,
  citizenTakesTicketWithForm,
  KIOSK_FORM,
  kioskHome,
  SCREENSHOTS,
  SETTLED,
  startMeshHall,
  stationBacklog,
  ticketIn,
  type MeshHall,
} from './meshHall';

/**
 * The hall mesh's promise, as people live it: the central API hangs (SIGSTOP) or dies
 * (SIGKILL), and the hall still works as one — a citizen takes a ticket and fills the form
 * at the kiosk, a clerk calls it at window 1, window 2 and the wall see it over the LAN, the
 * clerk accepts the case with the kiosk's form — and when the API is back the server holds
 * exactly what the hall did, once.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking'],
  },
});

const MESH_LABEL = '中心服务不可达，与本厅 3 台设备协同工作';

let hall: MeshHall;
let kioskPage: Page;
let desk1: Page;
let desk2: Page;
let wall: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await startMeshHall();
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  kioskPage = await context.newPage();
  await kioskPage.setViewportSize(PORTRAIT);
  await kioskPage.goto(hall.kiosk.runtime.host?.url ?? '');
  await expect(kioskPage.getByTestId('screen-home')).toBeVisible();
  // The morning: both clerks sign in while the central API answers (a clerk signs in
  // offline only at a counter where the API once confirmed the password).
  desk1 = await context.newPage();
  await signIn(desk1, hall.counter1, 'clerk1');
  desk2 = await context.newPage();
  await signIn(desk2, hall.counter2, 'clerk2');
  wall = await context.newPage();
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await wall.goto(hall.display.runtime.host?.url ?? '');
  await expect(wall.getByTestId('wall')).toHaveAttribute('data-ready', 'true');
  await expect(wall.getByTestId('hall-link')).toHaveAttribute('data-mode', 'connected');
});

test.afterAll(async () => {
  await kioskPage?.context().close();
  await hall?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

interface Outage {
  /** Takes the central API away. */
  begin(): Promise<void>;
  /** Brings it back on the same port and database. */
  end(): Promise<void>;
  /** Screenshot names are prefixed with this. */
  label: string;
}

/** The hall's whole journey for one citizen, with the central API away from before the ticket until after the acceptance. */
async function journey(outage: Outage, sequence: number): Promise<void> {
  const { kiosk, counter1, counter2, display, runtimes, api } = hall;
  const playedBefore = (await announcements(wall)).length;
  const outageFrom = new Date().toISOString();

  await outage.begin();
  // Every station notices and says it works with the three others of the hall.
  await expect
    .poll(() => runtimes.map((r) => `${r.sync.status().hall?.mode}/${r.sync.status().hall?.peers}`), { timeout: 30_000 })
    .toEqual(['mesh/3', 'mesh/3', 'mesh/3', 'mesh/3']);
  const corner2 = desk2.getByTestId('sync-status');
  await expect(corner2).toHaveAttribute('data-state', 'offline');
  await expect(corner2).toHaveAttribute('data-mode', 'mesh');
  await expect(corner2.getByTestId('sync-label')).toHaveText(MESH_LABEL);
  await expect(wall.getByTestId('offline-badge')).toHaveAttribute('data-mode', 'mesh');
  await expect(wall.getByTestId('offline-badge')).toContainText(MESH_LABEL);
  await expect(kioskPage.getByTestId('sync-status')).toHaveAttribute('data-mode', 'mesh');

  // A citizen takes a ticket at the kiosk by touch and fills the form there.
  const idNumber = makeTestIdNumber({ regionCode: '441502', birthDate: '1992-02-03', sequence });
  const number = await citizenTakesTicketWithForm(kioskPage, kiosk, { name: '陈小明', idNumber, birthDate: '1992-02-03' });
  const kioskTicket = ticketIn(kiosk.runtime, number);
  if (!kioskTicket) throw new Error(`the kiosk has no ticket ${number}`);
  const [kioskCase] = casesOf(kiosk.runtime, kioskTicket.id);
  if (!kioskCase) throw new Error(`the kiosk submitted no case for ${number}`);
  await kioskHome(kioskPage);

  // Both windows have it in their waiting list within moments: it came over the LAN.
  await expect(desk1.getByTestId(`waiting-${number}`)).toBeVisible();
  await expect(desk2.getByTestId(`waiting-${number}`)).toBeVisible();

  // The clerk at window 1 signs in (offline: the API is away) and calls the next citizen.
  await signIn(desk1, counter1, 'clerk1');
  await expect(desk1.getByTestId('hdr-clerk')).toContainText('离线登录');
  await desk1.keyboard.press('F1');
  await expect(desk1.getByTestId('hdr-current')).toHaveText(number);
  await expect(desk1.getByTestId('current-ticket')).toHaveAttribute('data-status', 'called');

  // Window 2 sees it called at window 1: gone from its waiting list; its corner still says where the hall stands.
  await expect(desk2.getByTestId(`waiting-${number}`)).toHaveCount(0);
  await expect(desk2.getByTestId('hdr-waiting')).toHaveText('0');
  await expect.poll(() => ticketIn(counter2.runtime, number)).toMatchObject({ status: 'called', counterId: 'counter.1' });
  await expect(corner2.getByTestId('sync-label')).toHaveText(MESH_LABEL);
  await shot(desk2, `${outage.label}-counter2`);

  // The wall shows the call and says it, once; it heard it over the hall mesh (no LAN call feed here).
  await expect(wall.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
  const spoken = `请${number}号到1号窗口办理`;
  await expect.poll(async () => (await announcements(wall)).filter((e) => e.text === spoken).map((e) => e.state), { timeout: 60_000 }).toEqual(['played']);
  expect((await announcements(wall)).length).toBe(playedBefore + 1);
  const state = await display.handlers['display.state']?.({});
  expect(state?.recent.filter((c) => c.ticketNumber === number).map((c) => `${c.counterNumber}:${c.source}`)).toEqual(['1:sync']);
  await expect(wall.getByTestId('offline-badge')).toContainText(MESH_LABEL);
  await shot(wall, `${outage.label}-display`);

  // 回显: serving, window 1 shows the form the citizen filled at the kiosk, from the kiosk's
  // submitForm heard on the LAN (the central API never saw it).
  await desk1.keyboard.press('F5');
  await expect(desk1.getByTestId('serving-view')).toBeVisible();
  // At once, though the central API hangs: the station knows it is away and does not wait out a fetch.
  await expect(desk1.getByTestId('form-source')).toHaveAttribute('data-status', 'kiosk');
  await expect(desk1.getByTestId('field-details')).toHaveValue(KIOSK_FORM.details);
  await expect(desk1.getByTestId('field-purpose')).toHaveValue(KIOSK_FORM.purpose);
  await expect(desk1.getByTestId('field-phone')).toHaveValue(KIOSK_FORM.maskedPhone);
  await expect(desk1.getByTestId('field-name')).toHaveValue('陈*明');
  const boxes = desk1.getByTestId('checklist').locator('input[type=checkbox]');
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
  await shot(desk1, `${outage.label}-counter1-form-echo`);
  await desk1.getByTestId('case-accept').click();
  await expect(desk1.getByTestId('slip-preview')).toHaveAttribute('data-kind', 'acceptance_receipt');
  await desk1.getByTestId('slip-close').click();
  await expect(desk1.getByTestId('case-editor')).toHaveAttribute('data-status', 'accepted');
  await desk1.keyboard.press('F6');
  await expect(desk1.getByTestId('current-ticket')).toHaveAttribute('data-status', 'none');
  // The whole hall knows, still without the API.
  await expect
    .poll(() => runtimes.map((r) => `${ticketIn(r, number)?.status}/${casesOf(r, kioskTicket.id).map((c) => c.status).join(',')}`), { timeout: 15_000 })
    .toEqual(Array(4).fill('finished/accepted'));
  expect(runtimes.map((r) => r.sync.status().hall?.mode)).toEqual(['mesh', 'mesh', 'mesh', 'mesh']);

  // The central API is back: every station settles, nothing pending, nothing rejected.
  await outage.end();
  await expect.poll(() => runtimes.map(stationBacklog), { timeout: 60_000 }).toEqual(Array(4).fill(SETTLED));
  for (const page of [kioskPage, desk1, desk2]) {
    const corner = page.getByTestId('sync-status');
    await expect(corner).toHaveAttribute('data-mode', 'connected', { timeout: 20_000 });
    await expect(corner).toHaveAttribute('data-pending', '0');
    await expect(corner).toHaveAttribute('data-rejected', '0');
  }
  await expect(wall.getByTestId('hall-link')).toHaveAttribute('data-mode', 'connected', { timeout: 20_000 });

  // The server holds exactly what the hall did, once.
  const snapshot = await counter2.runtime.client.snapshot();
  const onServer = snapshot.tickets.filter((t) => t.number === number && t.day === kioskTicket.day);
  expect(onServer).toHaveLength(1);
  const [ticket] = onServer;
  expect(ticket).toMatchObject({ id: kioskTicket.id, status: 'finished', counterId: 'counter.1', callCount: 1 });
  const cases = snapshot.cases.filter((c) => c.ticketId === kioskTicket.id);
  expect(cases.map((c) => ({ id: c.id, status: c.status, by: c.acceptedByStaffId }))).toEqual([{ id: kioskCase.id, status: 'accepted', by: 'staff.clerk1' }]);
  for (const runtime of runtimes) {
    expect(ticketIn(runtime, number)).toEqual(ticket);
    expect(casesOf(runtime, kioskTicket.id).map((c) => c.status)).toEqual(['accepted']);
  }
  // The kiosk's form reached the server whole, as the counter fetches it (回显 by the API),
  // and it is sealed at rest: the database file does not hold the ID number in clear.
  const fetched = await counter1.runtime.client.caseForms({ caseId: kioskCase.id });
  expect(fetched.forms.map((f) => f.values)).toEqual([expect.objectContaining({ phone: KIOSK_FORM.phone, purpose: KIOSK_FORM.purpose, details: KIOSK_FORM.details, idNumber })]);
  const db = new Database(api.dbFile, { readonly: true });
  try {
    const form = db.prepare('SELECT values_json FROM sync_case_forms WHERE case_id = ?').get(kioskCase.id) as { values_json: string } | undefined;
    expect(form?.values_json).toBeDefined();
    expect(form?.values_json).not.toContain(idNumber);
    // Every mutation the hall made was applied once; none was refused.
    const byStatus = db.prepare('SELECT status, count(*) AS n FROM sync_mutations GROUP BY status').all() as { status: string; n: number }[];
    expect(byStatus.filter((row) => row.status !== 'applied')).toEqual([]);
    // No mutation of this ticket or its case took effect twice in the server's change log.
    const twice = db
      .prepare('SELECT mutation_id, count(*) AS n FROM sync_log WHERE entity_id IN (?, ?) AND mutation_id IS NOT NULL GROUP BY entity_id, mutation_id HAVING count(*) > 1')
      .all(kioskTicket.id, kioskCase.id);
    expect(twice).toEqual([]);
  } finally {
    db.close();
  }
  // Back in touch, every station reported the spell it worked through with its three peers
  // (what the console's live hall page lists); the kiosk and window 1 with what they did meanwhile.
  await expect
    .poll(
      () => {
        const reports = new Database(api.dbFile, { readonly: true });
        try {
          return reports
            .prepare('SELECT device_id AS device, mode, max_peers AS peers, local_mutations AS own FROM sync_link_periods WHERE from_at >= ? ORDER BY device_id')
            .all(outageFrom)
            .map((row) => {
              const { device, mode, peers, own } = row as { device: string; mode: string; peers: number; own: number };
              return { device, mode, peers, acted: own > 0 };
            });
        } finally {
          reports.close();
        }
      },
      { timeout: 20_000 },
    )
    .toEqual([
      { device: 'counter-mesh-1', mode: 'mesh', peers: 3, acted: true },
      { device: 'counter-mesh-2', mode: 'mesh', peers: 3, acted: false },
      { device: 'display-mesh-1', mode: 'mesh', peers: 3, acted: false },
      { device: 'kiosk-mesh-1', mode: 'mesh', peers: 3, acted: true },
    ]);
  // The wall said the call once and shows it once: the catch-up after the outage repeated nothing.
  expect((await announcements(wall)).filter((e) => e.text === spoken).map((e) => e.state)).toEqual(['played']);
  expect((await display.handlers['display.state']?.({}))?.recent.filter((c) => c.ticketNumber === number)).toHaveLength(1);
}

test('the central API hangs (SIGSTOP): the hall works as one over the LAN, and settles once it answers', async () => {
  await journey({ label: 'frozen', begin: async () => hall.api.freeze(), end: async () => hall.api.thaw() }, 71);
});

test('the central API dies (SIGKILL) and is restarted on the same port and database: the same journey, the same settling', async () => {
  await journey({ label: 'killed', begin: () => hall.api.kill(), end: () => hall.api.restart() }, 72);
});
