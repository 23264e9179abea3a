import { expect, test, type Page } from '@playwright/test';
import { makeTestIdNumber, maskName } from '@hall/shared';
import { testResidentCard } from '@hall/devices/testing';
import type { KioskStation } from '../../../apps/kiosk/src/main/station';
import { casesOf, hallShot, kioskHome, kioskReader, kioskSlips, openHallPages, startMeshHall, ticketIn, type MeshHall } from './meshHall';

/**
 * 一号联办 from the citizen's side (seed 001, 预约一次、取一次号，一个号办理多件事，主从号):
 * a mother takes one ticket at the kiosk for three matters, two of them for her children,
 * each child identified by their own ID card. The slip and the screen show the master
 * number and the sub numbers; the counter sees the three matters with their citizens; the
 * wall calls only the master number.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

let hall: MeshHall;
let kioskPage: Page;
let desk1: Page;
let wall: Page;
let number = '';

const card = (name: string, birthDate: string, sequence: number) => ({ name, birthDate, idNumber: makeTestIdNumber({ regionCode: '441502', birthDate, sequence }) });
const mother = card('林家母', '1982-03-04', 31);
const son = card('林家子', '2008-06-07', 33);
const daughter = card('林家女', '2010-09-10', 32);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  hall = await startMeshHall();
  ({ kioskPage, desk1, wall } = await openHallPages(browser, hall));
});

test.afterAll(async () => {
  await kioskPage?.context().close();
  await hall?.close();
});

function place(kiosk: KioskStation, who: { name: string; birthDate: string; idNumber: string }): void {
  kioskReader(kiosk).removeCard();
  kioskReader(kiosk).placeCard({ document: testResidentCard(who) });
}

/** "为家人办理" for a matter: the member places their own card and the row names them. */
async function forFamily(page: Page, kiosk: KioskStation, serviceId: string, who: { name: string; birthDate: string; idNumber: string }): Promise<void> {
  await page.getByTestId(`matter-family-${serviceId}`).click();
  await expect(page.getByTestId('matter-awaiting')).toContainText('身份证');
  place(kiosk, who);
  await expect(page.getByTestId(`matter-who-${serviceId}`)).toHaveText(`家人 ${maskName(who.name)}`);
  await expect(page.getByTestId('matter-awaiting')).toHaveCount(0);
}

test('a family takes one ticket for three matters at the kiosk, two children identified by their own ID cards', async () => {
  const { kiosk } = hall;
  await kioskPage.getByTestId('home-ticket').click();
  await expect(kioskPage.getByTestId('screen-identify')).toBeVisible();
  place(kiosk, mother);
  await expect(kioskPage.getByTestId('identified')).toBeVisible();
  await kioskPage.getByTestId('identify-continue').click();
  await kioskPage.getByTestId('multi-start').click();
  await kioskPage.getByTestId('service-household-certificate').click();

  await expect(kioskPage.getByTestId('screen-matters')).toBeVisible();
  await expect(kioskPage.getByTestId('matter-who-household-certificate')).toHaveText(`本人 ${maskName(mother.name)}`);
  await kioskPage.getByTestId('matters-add').click();
  // A matter of another queue (出入境) cannot share the ticket: greyed, and the screen says why.
  await expect(kioskPage.getByTestId('service-passport')).toBeDisabled();
  await expect(kioskPage.getByTestId('service-why-passport')).toContainText('需另取一个号');
  await expect(kioskPage.getByTestId('service-household-certificate')).toBeDisabled();
  await hallShot(kioskPage, 'family-01-add-matter');
  await kioskPage.getByTestId('service-kinship-certificate').click();
  await forFamily(kioskPage, kiosk, 'kinship-certificate', son);

  await kioskPage.getByTestId('matters-add').click();
  await kioskPage.getByTestId('service-id-card-first').click();
  await forFamily(kioskPage, kiosk, 'id-card-first', daughter);
  // A matter chosen by mistake goes with one big button.
  await kioskPage.getByTestId('matters-add').click();
  await kioskPage.getByTestId('service-name-change').click();
  await kioskPage.getByTestId('matter-remove-name-change').click();
  await expect(kioskPage.getByTestId('matter-name-change')).toHaveCount(0);
  await expect(kioskPage.getByTestId('matters-issue')).toHaveText('取一个号，办 3 件事');
  await hallShot(kioskPage, 'family-02-matters');

  await kioskPage.getByTestId('matters-issue').click();
  await expect(kioskPage.getByTestId('screen-ticket')).toBeVisible();
  number = (await kioskPage.getByTestId('ticket-number').textContent()) ?? '';
  expect(number).toMatch(/^A\d{3}$/);
  const matters = kioskPage.getByTestId('ticket-matters');
  await expect(matters.getByTestId('ticket-matter-household-certificate')).toContainText(`${number} 户籍证明 · ${maskName(mother.name)}`);
  await expect(matters.getByTestId('ticket-matter-kinship-certificate')).toContainText(`${number}-2 亲属关系证明 · ${maskName(son.name)}`);
  await expect(matters.getByTestId('ticket-matter-id-card-first')).toContainText(`${number}-3 居民身份证首次申领 · ${maskName(daughter.name)}`);
  await expect(kioskPage.getByTestId('print-status')).toHaveAttribute('data-printed', 'true');
  await hallShot(kioskPage, 'family-03-ticket');

  const slip = kioskSlips(kiosk).at(-1) ?? [];
  expect(slip).toEqual(expect.arrayContaining([number, '一号联办 · 共 3 件事', `${number}-2  亲属关系证明  ${maskName(son.name)}`, `${number}-3  居民身份证首次申领  ${maskName(daughter.name)}`]));
  for (const who of [mother, son, daughter]) expect(slip.join('\n')).not.toContain(who.idNumber);
  expect(ticketIn(kiosk.runtime, number)?.serviceIds).toEqual(['household-certificate', 'kinship-certificate', 'id-card-first']);
  kioskReader(kiosk).removeCard();
  await kioskHome(kioskPage);
});

test('the counter sees the three matters with their citizens and sub numbers; each case is its member\'s; the wall says the master number', async () => {
  const waiting = desk1.getByTestId(`waiting-${number}`);
  await expect(waiting).toBeVisible({ timeout: 20_000 });
  await desk1.keyboard.press('F1');
  await expect(desk1.getByTestId('hdr-current')).toHaveText(number);
  const preview = desk1.getByTestId('called-preview');
  await expect(preview.getByTestId('ticket-matter-kinship-certificate')).toContainText(`${number}-2`);
  await expect(preview.getByTestId('ticket-matter-kinship-certificate')).toContainText(maskName(son.name));
  await expect(wall.getByTestId('latest-call')).toHaveAttribute('data-ticket', number);
  await expect(wall.getByTestId('latest-call')).not.toContainText(`${number}-`);
  await hallShot(wall, 'family-05-display');

  await desk1.keyboard.press('F5');
  const serving = desk1.getByTestId('serving-view');
  await expect(serving).toBeVisible();
  const list = serving.getByTestId('ticket-matters');
  await expect(list.getByTestId('ticket-matter-household-certificate')).toContainText(maskName(mother.name));
  await expect(list.getByTestId('ticket-matter-id-card-first')).toContainText(`${number}-3`);
  await expect(list.getByTestId('ticket-matter-id-card-first')).toContainText(maskName(daughter.name));
  await serving.getByTestId('open-case-id-card-first').click();
  await expect(serving.getByTestId('case-tab').first()).toContainText(`${number}-3`);
  await hallShot(desk1, 'family-04-counter');
  const ticketId = ticketIn(hall.counter1.runtime, number)?.id ?? '';
  await expect.poll(() => casesOf(hall.counter1.runtime, ticketId).map((c) => [c.serviceId, c.citizen?.maskedName])).toEqual([['id-card-first', maskName(daughter.name)]]);
});
