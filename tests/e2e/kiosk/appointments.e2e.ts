import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { zonedInstant } from '@hall/shared';
import { asCitizenPlatform, asHallManager, CentralApi, ensureRendererBuilt, KioskStation, tempDir } from './harness';
import { stationPage } from '../harness/stations';
import { PORTRAIT, shoot, syncSettled, typeTicketNumber } from './journeys';

/**
 * 预约签到 at the kiosk against the real central API: online, offline with sync afterwards,
 * and the same appointment checked in at two offline kiosks (the second to sync loses, but
 * its citizen keeps the printed ticket on screen). Spoken prompts are checked here too.
 */
test.describe.configure({ mode: 'serial', timeout: 90_000 });
// A hall kiosk plays prompts without waiting for a touch (a card placed on the reader starts a screen too).
test.use({
  launchOptions: {
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking'],
  },
});

const HALL = 'hall.shanwei-psb';
const ZONE = 'Asia/Shanghai';

let dir: ReturnType<typeof tempDir>;
let api: CentralApi;
const kiosks: { station: KioskStation; page: Page }[] = [];

/**
 * A kiosk hashing ID cards with the citizen key the central API gave it at enrollment (no
 * test key), so cards, residence codes and bookings by ID number name a citizen alike.
 */
async function openKiosk(browser: Browser, deviceId: string, env: NodeJS.ProcessEnv = {}): Promise<{ station: KioskStation; page: Page }> {
  const station = await KioskStation.start(api, `${dir.path}/${deviceId}`, deviceId, 400, { HALL_ID_HASH_KEY: '', ...env });
  const page = await browser.newPage({ viewport: PORTRAIT });
  await page.goto(station.url);
  await expect(page.getByTestId('screen-home')).toBeVisible();
  await syncSettled(page);
  return { station, page };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  ensureRendererBuilt();
  dir = tempDir();
  api = await CentralApi.start(dir.path);
  kiosks.push(await openKiosk(browser, 'kiosk-e2e-a'), await openKiosk(browser, 'kiosk-e2e-b'));
});

test.afterAll(async () => {
  for (const { station, page } of kiosks) {
    await page.close();
    await station.stop();
  }
  await api?.stop();
  dir?.remove();
});

/** Hall-local "HH:MM" `minutes` from now, kept inside today. */
function localTime(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const [hh, mm] = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).split(':');
  return `${hh}:${mm}`;
}
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** A slot around now, so check-in is open (the hall opens it 30 minutes early and keeps priority 15 minutes late). */
function openSlot(): { from: string; to: string } {
  const from = localTime(-10);
  const to = localTime(40);
  return from < to ? { from, to } : { from: '00:00', to: '23:59' };
}

/**
 * A citizen with a generated test ID card (the simulated reader makes even sequences, so
 * each test uses its own even one); hall staff book the appointment on their behalf by ID
 * number, and the central API names the citizen by its citizen key.
 */
async function citizenWithAppointment(
  kiosk: KioskStation,
  sequence: number,
  serviceId = 'household-certificate',
  slot = openSlot(),
  date = today(),
): Promise<{ idNumber: string; appointmentId: string }> {
  const idNumber = kiosk.cardIdNumber({ birthDate: '1982-02-02', sequence });
  const { appointment } = await asHallManager(api, 'POST', '/appointments', { hallId: HALL, serviceId, date, slot, citizen: { idNumber, name: '测试' } });
  return { idNumber, appointmentId: String((appointment as { id: string }).id) };
}

/** Home → 预约签到 → card on the reader → the citizen's appointment list. */
async function openAppointments(kiosk: { station: KioskStation; page: Page }, sequence: number): Promise<void> {
  const { page, station } = kiosk;
  await page.getByTestId('home-appointment').click();
  await expect(page.getByTestId('identify-skip')).toHaveCount(0);
  const idNumber = await station.placeCard({ birthDate: '1982-02-02', sequence });
  // The previous citizen's card may still be remembered for a moment (the reader's poll has not
  // yet seen it lifted): continue only once this card is the one identified.
  await expect(page.getByTestId('masked-id')).toHaveText(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-appointment')).toBeVisible();
  // The citizen takes the card back: the kiosk keeps only the handle.
  await station.removeCard();
}

async function appointmentStatus(id: string): Promise<{ status: string; ticketId?: string }> {
  return (await asHallManager(api, 'GET', `/appointments/${id}`)).appointment as { status: string; ticketId?: string };
}

test('checks in an appointment online: priority ticket, printed, synced, the appointment marked checked in', async () => {
  const kiosk = kiosks[0]!;
  const { page, station } = kiosk;
  const { appointmentId } = await citizenWithAppointment(station, 70);
  await openAppointments(kiosk, 70);
  const card = page.getByTestId(`appointment-${appointmentId}`);
  await expect(card).toHaveAttribute('data-state', 'open');
  await expect(card).toContainText('户籍证明');
  await shoot(page, '23-appointment-list');
  await card.getByTestId('appointment-check-in').click();
  await expect(page.getByTestId('screen-ticket')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  await expect(page.getByTestId('checked-in')).toHaveAttribute('data-late', 'false');
  await shoot(page, '24-appointment-ticket');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'printed');
  const jobs = await station.printedJobs();
  expect((jobs.at(-1) ?? []).join('\n')).toContain(number);
  await syncSettled(page);
  await expect.poll(async () => (await appointmentStatus(appointmentId)).status).toBe('checked_in');
  await page.getByTestId('ticket-done').click();

  // Checked in already: the list says so and offers no second ticket.
  await openAppointments(kiosk, 70);
  await expect(card).toHaveAttribute('data-state', 'checked_in');
  await expect(card.getByTestId('appointment-check-in')).toHaveCount(0);
  await page.getByTestId('nav-home').click();

  // No appointment today: said so, with the way to an ordinary ticket.
  await openAppointments(kiosk, 82);
  await expect(page.getByTestId('appointment-none')).toContainText('没有查到您今天在本大厅的预约');
  await page.getByTestId('appointment-take-ticket').click();
  await expect(page.getByTestId('screen-services')).toBeVisible();
  await page.getByTestId('nav-home').click();
});

/**
 * The hall day a kiosk can be put at noon of by moving its clock back (a station clock ahead
 * of the central API's is refused as skew): today from noon on, yesterday before.
 */
function hallNoon(): { date: string; offsetMs: number } {
  const now = Date.now();
  const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
  const todayNoon = zonedInstant(day(now), '12:00', ZONE);
  const date = todayNoon <= now ? day(now) : day(now - 24 * 3600_000);
  return { date, offsetMs: zonedInstant(date, '12:00', ZONE) - now };
}

test('an early arrival is told when check-in opens; a late one gets an ordinary ticket, said plainly', async ({ browser }) => {
  // A kiosk whose clock reads about noon of the hall's day, so both sides of "now" fit in that day at any hour.
  const { date, offsetMs } = hallNoon();
  const kiosk = await openKiosk(browser, 'kiosk-e2e-noon', { HALL_KIOSK_CLOCK_OFFSET_MS: String(offsetMs) });
  try {
    const { page } = kiosk;
    // The demo hall opens check-in 30 minutes before the slot and keeps priority 15 minutes after it.
    const early = await citizenWithAppointment(kiosk.station, 76, 'passport', { from: '13:30', to: '13:50' }, date);
    await openAppointments(kiosk, 76);
    const earlyCard = page.getByTestId(`appointment-${early.appointmentId}`);
    await expect(earlyCard).toHaveAttribute('data-state', 'early');
    await expect(earlyCard.getByTestId('appointment-rule')).toContainText('13:00 起可签到');
    await expect(earlyCard.getByTestId('appointment-check-in')).toHaveCount(0);
    await shoot(page, '30-appointment-early');
    // Or an ordinary ticket now, for the same service.
    await earlyCard.getByTestId('appointment-ordinary').click();
    await expect(page.getByTestId('ticket-number')).toHaveText(/^B\d{3}$/);
    await expect(page.getByTestId('checked-in')).toHaveCount(0);
    await page.getByTestId('ticket-done').click();

    const late = await citizenWithAppointment(kiosk.station, 78, 'household-certificate', { from: '10:30', to: '11:00' }, date);
    await openAppointments(kiosk, 78);
    const lateCard = page.getByTestId(`appointment-${late.appointmentId}`);
    await expect(lateCard).toHaveAttribute('data-state', 'late');
    await expect(lateCard.getByTestId('appointment-rule')).toContainText('预约优先已失效');
    await shoot(page, '31-appointment-late');
    await lateCard.getByTestId('appointment-check-in').click();
    await expect(page.getByTestId('checked-in')).toHaveAttribute('data-late', 'true');
    await expect(page.getByTestId('checked-in')).toContainText('普通号');
    await page.getByTestId('ticket-done').click();
    await syncSettled(page);
    expect((await appointmentStatus(late.appointmentId)).status).toBe('checked_in');
    expect((await appointmentStatus(early.appointmentId)).status).toBe('booked');
  } finally {
    await kiosk.page.close();
    await kiosk.station.stop();
  }
});

test('a residence code finds the appointment booked by ID number and checks it in', async () => {
  const kiosk = kiosks[1]!;
  const { page, station } = kiosk;
  const { idNumber, appointmentId } = await citizenWithAppointment(station, 84);
  const code = await asCitizenPlatform(api, idNumber);
  await page.getByTestId('home-appointment').click();
  await station.sim('/scan', { code });
  await expect(page.getByTestId('residence-code')).toBeVisible();
  await page.getByTestId('identify-continue').click();
  await expect(page.getByTestId('screen-appointment')).toBeVisible();
  const card = page.getByTestId(`appointment-${appointmentId}`);
  await expect(card).toHaveAttribute('data-state', 'open');
  await card.getByTestId('appointment-check-in').click();
  await expect(page.getByTestId('checked-in')).toHaveAttribute('data-late', 'false');
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  await expect.poll(async () => (await station.printedJobs()).at(-1)?.join('\n')).toContain(number);
  await syncSettled(page);
  await expect.poll(async () => (await appointmentStatus(appointmentId)).status).toBe('checked_in');
  await page.getByTestId('ticket-done').click();
});

test('spoken prompts: off by default, the toggle speaks each screen, and the session end turns them off', async () => {
  const { page } = kiosks[0]!;
  const root = page.getByTestId('kiosk');
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('home-ticket').click();
  // Off: nothing was asked of the station for this screen.
  await expect(root).not.toHaveAttribute('data-voice-key', 'identify');
  await page.getByTestId('nav-home').click();

  await page.getByTestId('voice-toggle').click();
  await expect(root).toHaveAttribute('data-voice-key', 'home');
  await shoot(page, '25-home-voice-on');
  await page.getByTestId('home-ticket').click();
  await expect(root).toHaveAttribute('data-voice-key', 'identify');
  // The station synthesised the prompt and the page played it.
  await expect(root).toHaveAttribute('data-voice-state', 'played', { timeout: 15_000 });
  await page.getByTestId('identify-skip').click();
  await page.getByTestId('service-id-card-renewal').click();
  const number = (await page.getByTestId('ticket-number').textContent()) ?? '';
  await expect(root).toHaveAttribute('data-voice-key', `ticket:${number}`);
  await expect(root).toHaveAttribute('data-voice-state', 'played', { timeout: 15_000 });
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'false');

  // A hall that configured it: elderly mode brings the voice with it.
  await page.goto(stationPage(kiosks[0]!.station.url, '/?voice=elderly'));
  await page.getByTestId('elderly-toggle').click();
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('elderly-toggle').click();
  await page.getByTestId('voice-toggle').click();
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'false');
  await page.goto(kiosks[0]!.station.url);
});

test('offline check-in at two kiosks: both print; on sync the first wins and the second is refused by code', async () => {
  const [a, b] = [kiosks[0]!, kiosks[1]!];
  const { appointmentId } = await citizenWithAppointment(a.station, 80);
  // Both kiosks have today's list (fetched on every lookup while online).
  for (const kiosk of [a, b]) {
    await openAppointments(kiosk, 80);
    await expect(kiosk.page.getByTestId(`appointment-${appointmentId}`)).toHaveAttribute('data-state', 'open');
    await kiosk.page.getByTestId('nav-home').click();
  }

  await api.stop();
  const numbers: string[] = [];
  for (const kiosk of [a, b]) {
    await expect(kiosk.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
    await openAppointments(kiosk, 80);
    await kiosk.page.getByTestId(`appointment-${appointmentId}`).getByTestId('appointment-check-in').click();
    await expect(kiosk.page.getByTestId('offline-note')).toBeVisible();
    const number = (await kiosk.page.getByTestId('ticket-number').textContent()) ?? '';
    await expect.poll(async () => (await kiosk.station.printedJobs()).at(-1)?.join('\n')).toContain(number);
    numbers.push(number);
  }
  await shoot(a.page, '26-appointment-ticket-offline');

  await api.restart();
  for (const kiosk of [a, b]) {
    await expect(kiosk.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  }
  const rejected = await Promise.all([a, b].map(async (k) => Number(await k.page.getByTestId('sync-status').getAttribute('data-rejected'))));
  expect([...rejected].sort()).toEqual([0, 1]);
  const loser = rejected[0] === 1 ? a : b;
  // The loser's citizen still sees the ticket that was printed for them.
  await expect(loser.page.getByTestId('ticket-number')).toHaveText(numbers[loser === a ? 0 : 1]!);
  await expect(loser.page.getByTestId('ticket-refused')).toHaveAttribute('data-code', 'appointment_checked_in');
  const winner = loser === a ? b : a;
  await expect(winner.page.getByTestId('ticket-refused')).toHaveCount(0);
  await shoot(loser.page, '27-appointment-double-check-in');
  expect((await appointmentStatus(appointmentId)).status).toBe('checked_in');
  // Refused by its code, recorded by the central API beside the mutation.
  const db = new Database(api.dbFile, { readonly: true });
  const refused = db.prepare("select device_id, code from sync_mutations where type = 'checkIn' and status = 'rejected'").all();
  db.close();
  expect(refused).toEqual([{ device_id: loser === a ? 'kiosk-e2e-a' : 'kiosk-e2e-b', code: 'appointment_checked_in' }]);

  // The refused ticket left the loser's queue, but its citizen holds the slip: 小票补打 finds
  // it in the kiosk's print record, prints it again and says the hall did not accept it.
  const lostNumber = numbers[loser === a ? 0 : 1]!;
  const { page } = loser;
  await page.getByTestId('ticket-done').click();
  await page.getByTestId('home-reprint').click();
  await typeTicketNumber(page, lostNumber);
  const jobsBefore = (await loser.station.printedJobs()).length;
  await page.getByTestId('reprint-go').click();
  await expect(page.getByTestId('ticket-number')).toHaveText(lostNumber);
  await expect(page.getByTestId('ticket-not-accepted')).toHaveAttribute('data-code', 'appointment_checked_in');
  await expect(page.getByTestId('ticket-not-accepted')).toContainText('咨询台');
  await expect(page.getByTestId('ticket-ahead')).toHaveCount(0);
  const jobs = await loser.station.printedJobs();
  expect(jobs).toHaveLength(jobsBefore + 1);
  expect(jobs.at(-1)?.join('\n')).toContain(lostNumber);
  await shoot(page, '32-reprint-not-accepted');
  await page.getByTestId('ticket-done').click();
});
