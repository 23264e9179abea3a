import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { asHallManager, type CentralApi, type KioskStation } from './harness';
import { shoot, openKioskHall, type KioskHall } from './journeys';

/**
 * 黑名单 at the kiosk, fed by the central API's list and held on the kiosk: the hall manager
 * bars a citizen, the kiosk fetches the hall's list (on the API's poke), then the API stops
 * and the kiosk still refuses the citizen's appointment check-in and ticket, saying why and
 * until when.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const HALL = 'hall.shanwei-psb';
const ZONE = 'Asia/Shanghai';
const DEVICE = 'kiosk-e2e-bl';
const SEQUENCE = 94;

let hall: KioskHall;
let dir: KioskHall['dir'];
let api: CentralApi;
let kiosk: KioskStation;
let page: Page;

const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
function localTime(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const [hh, mm] = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).split(':');
  return `${hh}:${mm}`;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  // The central API's own citizen key (no test key): bookings and bars by ID number name the card's citizen.
  hall = await openKioskHall(browser, { stationDir: DEVICE, deviceId: DEVICE, env: { HALL_ID_HASH_KEY: '' } });
  ({ dir, api, kiosk, page } = hall);
});

test.afterAll(async () => {
  await hall?.close();
});

/** Barred citizens the kiosk holds in its own database (hashes only). */
function heldBars(): number {
  const db = new Database(join(dir.path, DEVICE, 'kiosk', 'kiosk.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM blacklist_hashes').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function identify(start: string): Promise<void> {
  await page.getByTestId(start).click();
  // Put down again a moment after it was lifted: should the reader's poll miss so quick a swap,
  // the identify screen still gets the card lying there from the station.
  await kiosk.placeCard({ birthDate: '1976-07-07', sequence: SEQUENCE });
  await page.getByTestId('identify-continue').click();
}

test('with the API stopped, a barred citizen is refused check-in and a ticket, told why and until when', async () => {
  const idNumber = kiosk.cardIdNumber({ birthDate: '1976-07-07', sequence: SEQUENCE });
  const from = localTime(-10);
  const to = localTime(40);
  const slot = from < to ? { from, to } : { from: '00:00', to: '23:59' };
  const { appointment } = await asHallManager(api, 'POST', '/appointments', { hallId: HALL, serviceId: 'household-certificate', date: localDate(new Date()), slot, citizen: { idNumber, name: '测试' } });
  const appointmentId = String((appointment as { id: string }).id);
  // The kiosk learns of the appointment while online.
  await identify('home-appointment');
  await expect(page.getByTestId(`appointment-${appointmentId}`)).toBeVisible();
  await kiosk.removeCard();
  await page.getByTestId('nav-home').click();

  const until = localDate(new Date(Date.now() + 30 * 86_400_000));
  await asHallManager(api, 'POST', `/halls/${HALL}/blacklist`, { idNumber, name: '测试', reason: '30天内预约未到3次', until });
  // The API pokes the hall's stations; the kiosk fetches the list into kiosk.db.
  await expect.poll(heldBars, { timeout: 15_000 }).toBe(1);

  await api.stop();
  await identify('home-appointment');
  const card = page.getByTestId(`appointment-${appointmentId}`);
  await expect(card).toBeVisible();
  await kiosk.removeCard();
  const jobsBefore = (await kiosk.printedJobs()).length;
  await card.getByTestId('appointment-check-in').click();
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'blacklisted');
  await expect(page.getByTestId('refusal-text')).toContainText('30天内预约未到3次');
  await expect(page.getByTestId('refusal-text')).toContainText(until);
  await shoot(page, '40-refusal-blacklisted-offline');
  await page.getByTestId('refusal-done').click();
  await expect(page.getByTestId('screen-home')).toBeVisible();

  await identify('home-ticket');
  await kiosk.removeCard();
  await page.getByTestId('service-household-certificate').click();
  await expect(page.getByTestId('screen-refusal')).toHaveAttribute('data-reason', 'blacklisted');
  await expect(page.getByTestId('refusal-text')).toContainText(until);
  expect((await kiosk.printedJobs()).length).toBe(jobsBefore);
  await page.getByTestId('refusal-done').click();
  expect(kiosk.output()).not.toContain(idNumber);
  await api.restart();
});
