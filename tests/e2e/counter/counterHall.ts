// The counter app's end-to-end setting: the demo hall on a real central API, a kiosk
// station issuing tickets, and counter stations (browser mode, simulated printer) whose
// clerk screens and rating screens the tests open in Chromium.
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  CODE_PREFIXES,
  decodeBase64Url,
  encodeBase64Url,
  evaluateDecisionTree,
  makeTestIdNumber,
  maskName,
  normaliseIdNumber,
  type Service,
  type Ticket,
} from '@hall/shared';
import type { StationRuntime } from '@hall/station';
import { readCitizenKey } from '@hall/station';
import { startCounterStation, type CounterStation } from '../../../apps/counter/src/main/station';
import { demoHall, type DemoHall } from '../../../apps/server/src/demo/index';
import { seedDemoHall } from '../../../apps/server/src/demo/seed';
import { startHallCentral, type HallCentral } from '../harness/central';
import { builtRenderer } from '../harness/renderer';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../harness/stations';
import { screenshotDir } from '../harness/screenshots';

export const HOUSEHOLD_QUEUE = 'queue.household';
export const SCREENSHOTS = screenshotDir('counter');

export interface CounterHall {
  central: HallCentral;
  /** The city's citizen-hash key as the central API handed it to the stations at enrollment. */
  citizenKey: string;
  kiosk: StationRuntime;
  counters: Map<string, CounterStation>;
  close(): Promise<void>;
}

/** The hall's citizen-hash key, known once a counter has enrolled: how a kiosk names an ID-card holder on a ticket. */
let cityKey: string | undefined;

/** The ticket's citizen as a kiosk records an ID card: masked name and the keyed hash of the number. */
export function idCardCitizen(idNumber: string, name: string): { maskedName: string; idHash: string } {
  if (!cityKey) throw new Error('start the counter hall first: the citizen-hash key comes with enrollment');
  return { maskedName: maskName(name), idHash: createHmac('sha256', cityKey).update(normaliseIdNumber(idNumber)).digest('hex') };
}

/** The demo hall with a short call countdown and no recall spacing, so a test need not wait a minute. */
export async function startCounterHall(counterIds: string[], options: { otherHalls?: DemoHall[] } = {}): Promise<CounterHall> {
  const hall = structuredClone(demoHall);
  hall.callingRules = { ...hall.callingRules, callCountdownSeconds: 2, minSecondsBetweenRecalls: 0, maxRecalls: 2, ratingTimeoutSeconds: 15 };
  const central = await startHallCentral({ hall, manager: { login: 'hallmanager', password: 'demo-hallmanager' } });
  // Other halls of the city (跨厅流转), there before the stations download their catalogue.
  for (const other of options.otherHalls ?? []) await seedDemoHall(central.database.db, other);
  const kiosk = await startPlainStation(central, { deviceId: 'kiosk-1', role: 'kiosk' });
  const counters = new Map<string, CounterStation>();
  const rendererDir = builtRenderer('counter');
  cityKey = undefined;
  for (const counterId of counterIds) {
    const deviceId = `counter-station-${counterId.replace(/\W/g, '')}`;
    const config = await enrolledConfig(central, { deviceId, role: 'counter', counterId, rendererDir });
    // No key passed in: the counter hashes ID cards with the key it got at enrollment, as deployed.
    const station = await startCounterStation({ ...config, devices: { ticketPrinter: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, idCardReader: { kind: 'simulated' } } }, { host: true, sync: FAST_SYNC });
    counters.set(counterId, station);
    cityKey ??= readCitizenKey(config);
  }
  if (!cityKey) throw new Error('the central API handed the counters no citizen-hash key');
  await waitUntil('kiosk numbers', () => canIssue(kiosk, HOUSEHOLD_QUEUE), 20_000);
  await waitUntil('counter catalogues', () => [...counters.values()].every((c) => c.runtime.core.store.catalogue !== undefined), 20_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    central,
    citizenKey: cityKey,
    kiosk,
    counters,
    async close() {
      for (const c of counters.values()) await c.stop();
      await kiosk.stop();
      await central.close();
    },
  };
}

/** A household matter with situation questions and a form: the richest serving view. */
export function householdServiceWithTree(kiosk: StationRuntime): Service {
  const service = kiosk.core.store.catalogue?.services.find((s) => s.queueId === HOUSEHOLD_QUEUE && s.decisionTree && s.formId);
  if (!service) throw new Error('demo hall has no household service with a decision tree');
  return service;
}

/** Answers each question with its first option until a situation is reached, as a citizen at the kiosk would. */
export function answersToSituation(service: Service): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (let i = 0; i < 20; i++) {
    const outcome = evaluateDecisionTree(service, answers).outcome;
    if (outcome.type !== 'question') break;
    const first = outcome.question.options[0];
    if (!first) break;
    answers[outcome.question.id] = [first.id];
  }
  return answers;
}

export interface IssuedCitizen {
  ticket: Ticket;
  idNumber: string;
}

/** Issues a ticket at the kiosk for a citizen identified by a generated ID number, and submits the kiosk case. */
export async function issueAtKiosk(kiosk: StationRuntime, service: Service, sequence: number, withCase = true): Promise<IssuedCitizen> {
  const idNumber = makeTestIdNumber({ regionCode: '441502', birthDate: '1985-06-15', sequence });
  const citizen = idCardCitizen(idNumber, '陈小明');
  // The kiosk role's decision once it has read the card: made at the core, as the station API
  // takes no citizen from a screen (this plain station has no card reader to identify one).
  const ticket = kiosk.core.issueTicket({ serviceIds: [service.id], kind: 'walk_in', citizen });
  if (withCase) {
    const answers = answersToSituation(service);
    const outcome = evaluateDecisionTree(service, answers, { mode: 'final' });
    kiosk.core.submitForm({
      serviceId: service.id,
      ticketId: ticket.id,
      answers,
      ...(outcome.outcome.type === 'situation' ? { situationId: outcome.outcome.situation.id } : {}),
      ...(outcome.formId ? { formId: outcome.formId } : service.formId ? { formId: service.formId } : {}),
      citizen,
      values: {},
    });
  }
  return { ticket, idNumber };
}

export async function stationKnows(station: CounterStation, ticketId: string, caseCount = 0): Promise<void> {
  await waitUntil(`${station.runtime.core.identity.deviceId} knows ticket ${ticketId}`, () => {
    const live = station.runtime.core.store.live;
    return live.queue.tickets[ticketId] !== undefined && Object.values(live.cases).filter((c) => c.ticketId === ticketId).length >= caseCount;
  }, 15_000);
}

export async function signIn(page: Page, station: CounterStation, login: string): Promise<void> {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(station.url ?? '');
  // A window keeps its clerk's session across page loads; sign out whoever is there first.
  await expect(page.getByTestId('login-screen').or(page.getByTestId('counter-header'))).toBeVisible();
  if (await page.getByTestId('counter-header').isVisible()) {
    await page.getByTestId('logout').click();
  }
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.getByTestId('login-name').fill(login);
  await page.getByTestId('login-password').fill(`demo-${login}`);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('counter-header')).toBeVisible();
}

/** Slips the simulated counter printer has cut, read from its record (the bytes it received). */
export function printedJobs(station: CounterStation): number {
  const printer = station.devices.simulators.printer;
  if (!printer) throw new Error('the counter has no simulated printer');
  return printer.record.jobs.length;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** A citizen's dynamic residence code, issued by the central API to the citizen platform (its key; staff are refused). */
export async function issueResidenceCode(central: HallCentral, idNumber: string, fields?: { name: string; address: string; phone?: string }): Promise<string> {
  return central.residenceCode(idNumber, fields);
}

/** The same code with one signature bit flipped: well-formed, but its signature no longer holds. */
export function forgedCopy(code: string): string {
  const bytes = decodeBase64Url(code.slice(CODE_PREFIXES.residence.length));
  if (!bytes) throw new Error('not a residence code');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return CODE_PREFIXES.residence + encodeBase64Url(bytes);
}

/**
 * Starts the hall before a test file's tests and closes it after them; the getter returns the
 * running hall and the named counter station.
 */
export function useCounterHall(counterIds: string[], options: { otherHalls?: DemoHall[] } = {}): () => { hall: CounterHall; counter: CounterStation } {
  let hall: CounterHall | undefined;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    hall = await startCounterHall(counterIds, options);
  });
  test.afterAll(async () => {
    await hall?.close();
  });
  return () => {
    const counter = hall?.counters.get(counterIds[0] ?? '');
    if (!hall || !counter) throw new Error('the counter hall is not running');
    return { hall, counter };
  };
}
