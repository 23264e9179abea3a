// The locker end-to-end rig: a central API (SQLite) with an SMS gateway simulator, a lock
// bus simulator on a socat pty pair, and the locker station as a killable child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { citizenSubject, ensureKeys, issueCode } from '../../../apps/server/src/residence-code/keys';
import { dataKeysFromEnv } from '../../../apps/server/src/secrets/config';
import { SmsGatewaySimulator } from '../../../apps/server/src/sms/simulator';
import { FIXTURE_PASSWORD, fixtureHall } from '../../../apps/server/src/testing/fixture';
import { IdCardSimulator, LockBusSimulator, PtyPair, SerialLink } from '@hall/devices';
import type { LockerLayout } from '@hall/shared';
import { startHallCentral, type HallCentral } from '../harness/central';
import { enrolledConfig, waitUntil } from '../harness/stations';
import { ensureRendererBuilt, repoRoot } from '../kiosk/harness';
import type { LockerProcessArgs } from './lockerStation';
import { screenshotDir } from '../harness/screenshots';

export const SCREENSHOTS = screenshotDir('locker');
export const PHONE = ['139', '0000', '1111'].join('');

export const LAYOUT: LockerLayout = {
  compartments: [
    { id: 'A01', board: 1, lock: 1, size: 'small' },
    { id: 'A02', board: 1, lock: 2, size: 'small' },
    { id: 'A03', board: 1, lock: 3, size: 'small' },
    { id: 'B01', board: 1, lock: 4, size: 'medium' },
    { id: 'B02', board: 1, lock: 5, size: 'medium' },
    { id: 'C01', board: 1, lock: 6, size: 'large' },
  ],
};

/** The kiosk renderer, which holds the locker screens (built by the kiosk tests' helper when stale). */
export function lockerRenderer(): string {
  ensureRendererBuilt();
  return join(repoRoot, 'apps/kiosk/out/renderer');
}

export interface LockerHall {
  central: HallCentral;
  gateway: SmsGatewaySimulator;
  sim: LockBusSimulator;
  /** The ID-card reader's far end: place and remove cards. */
  cards: IdCardSimulator;
  url: string;
  dataDir: string;
  clerkToken(): Promise<string>;
  depositCodes(items: { caseNumber: string; size: 'small' | 'medium' | 'large'; idNumber: string; name: string }[]): Promise<{ parcelId: string; code: string }[]>;
  residenceCode(idNumber: string, issuedAt?: Date): Promise<string>;
  /** A clerk's staff code for taking unclaimed parcels back to the counter. */
  staffCode(): Promise<string>;
  startStation(options?: { unclaimedDays?: number }): Promise<void>;
  killStation(): Promise<void>;
  lockerRows<T>(sql: string, ...params: unknown[]): T[];
  serverParcel(parcelId: string): Promise<{ status: string; flag_reason: string | null } | undefined>;
  close(): Promise<void>;
}

export async function startLockerHall(options: { leftOpenAfterMs?: number } = {}): Promise<LockerHall> {
  const gateway = new SmsGatewaySimulator();
  process.env.HALL_SMS_GATEWAY_URL = await gateway.start();
  process.env.HALL_SMS_INTERVAL_MS = '200';
  const hall = fixtureHall('lk');
  const central = await startHallCentral({ hall, manager: { login: 'lk-manager', password: FIXTURE_PASSWORD } });
  // Keys valid from an hour ago, so a test can sign a genuinely expired code.
  // The same data keys the central API resolved (the key file beside its SQLite file).
  const { keyring } = await dataKeysFromEnv(process.env, central.database);
  await ensureKeys(central.database.db, keyring, new Date(Date.now() - 3600_000));

  const pair = await PtyPair.open();
  const deviceLink = new SerialLink({ path: pair.devicePath, baudRate: 9600, reopenIntervalMs: 50 });
  const sim = new LockBusSimulator(deviceLink, { protocol: { kind: '8a80' }, boards: { 1: 24 } });
  sim.start();
  await deviceLink.waitOpen(3000);
  const cardPair = await PtyPair.open();
  const cardLink = new SerialLink({ path: cardPair.devicePath, baudRate: 115200, reopenIntervalMs: 50 });
  const cards = new IdCardSimulator(cardLink);
  cards.start();
  await cardLink.waitOpen(3000);

  const config = await enrolledConfig(central, { deviceId: 'locker-1', role: 'locker', rendererDir: lockerRenderer() });
  const dataDir = config.dataDir;
  let child: ChildProcess | undefined;
  let url = '';
  let token: string | undefined;

  const api = async (path: string, body: unknown, auth?: string) => {
    const response = await fetch(`${central.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };

  const rig: LockerHall = {
    central,
    gateway,
    sim,
    cards,
    get url() {
      return url;
    },
    dataDir,
    async clerkToken() {
      token ??= (await api('/auth/login', { login: 'lk-clerk', password: FIXTURE_PASSWORD })).token as string;
      return token;
    },
    async depositCodes(items) {
      const body = await api('/lockers/deposit-codes', { hallId: central.hallId, items: items.map((i) => ({ ...i, phone: PHONE })) }, await rig.clerkToken());
      return body.codes as { parcelId: string; code: string }[];
    },
    async residenceCode(idNumber, issuedAt) {
      if (!issuedAt) return central.residenceCode(idNumber);
      const subject = await citizenSubject(central.database.db, keyring, idNumber);
      return (await issueCode(central.database.db, keyring, { kind: 'residence', subject }, issuedAt, 120)).code;
    },
    async staffCode() {
      return (await api('/lockers/staff-codes', { hallId: central.hallId, purpose: 'return_unclaimed' }, await rig.clerkToken())).code as string;
    },
    async startStation(overrides = {}) {
      const args: LockerProcessArgs = { config, serialPath: pair.hostPath, cardPath: cardPair.hostPath, layout: LAYOUT, leftOpenAfterMs: options.leftOpenAfterMs ?? 1500, ...overrides };
      const proc = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/e2e/locker/lockerStation.ts'), JSON.stringify(args)], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child = proc;
      url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`locker station did not start: ${out}`)), 30_000);
        proc.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /READY (\S+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolveUrl(match[1]);
          }
        });
        proc.once('exit', (code) => reject(new Error(`locker station exited with ${code}: ${out}`)));
      });
    },
    async killStation() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    lockerRows<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(join(dataDir, 'locker.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async serverParcel(parcelId) {
      return central.database.db
        .withTables<{ locker_parcels: { id: string; status: string; flag_reason: string | null } }>()
        .selectFrom('locker_parcels')
        .select(['status', 'flag_reason'])
        .where('id', '=', parcelId)
        .executeTakeFirst();
    },
    async close() {
      await rig.killStation();
      await central.close();
      await gateway.close();
      // Later test files in this worker start their own central APIs: no SMS for them.
      delete process.env.HALL_SMS_GATEWAY_URL;
      delete process.env.HALL_SMS_INTERVAL_MS;
      await deviceLink.close();
      await pair.close();
      await cardLink.close();
      await cardPair.close();
    },
  };
  await rig.startStation();
  await waitUntil('locker has keys', () => rig.lockerRows<{ n: number }>('SELECT COUNT(*) AS n FROM key_set')[0]!.n === 1, 15_000);
  return rig;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Types a scanned line the way a keyboard-wedge scanner does. */
export async function scan(page: Page, text: string): Promise<void> {
  await page.getByTestId('scan-input').fill(text);
  await page.getByTestId('scan-input').press('Enter');
}
