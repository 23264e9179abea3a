// Real central API + real stations for sync tests and the sync bench.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from '../../apps/server/src/app';
import { openDatabase, type DialectName, type HallDatabase } from '../../apps/server/src/db/connection';
import { migrate } from '../../apps/server/src/db/migrate';
import { seedDemoHall } from '../../apps/server/src/demo/seed';
import { createPostgresDatabase } from '../../apps/server/src/testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { signInStationClerk } from '@hall/station/testing';
import { parseStationConfig, startStation, type StartOptions, type StationRuntime } from '@hall/station';

export const HALL_ID = 't1-hall';

export interface Central {
  url: string;
  port: number;
  database: HallDatabase;
  app: FastifyInstance;
  /** Creates a device and returns its one-time enrollment code. */
  /** `counterId`: the counter a counter device serves (the central API lets it act for that one only). */
  enrollmentCode(id: string, role: 'kiosk' | 'counter' | 'display' | 'locker', counterId?: string): Promise<string>;
  /** Stops HTTP (connections cut) and starts again on the same port and database. */
  restart(): Promise<void>;
  /** Where the database lives: the SQLite file or the PostgreSQL URL. */
  readonly location: { dialect: DialectName; file?: string; url?: string };
  /**
   * Stops HTTP and closes the database, runs `meanwhile` (copy or replace the database, as
   * an operator restoring a backup would), then opens it again and serves on the same port.
   */
  offline(meanwhile: () => Promise<void> | void): Promise<void>;
  close(): Promise<void>;
}

export interface CentralOptions {
  dialect?: DialectName;
  postgresAdminUrl?: string;
  port?: number;
  /** Adjusts the fixture hall before seeding (e.g. 4-digit numbers for large runs). */
  adjustHall?: (hall: ReturnType<typeof fixtureHall>) => void;
  /** Server options besides the database (metrics tokens, the citizen platform's key, …). */
  server?: Omit<BuildServerOptions, 'database'>;
}

export async function startCentral(options: CentralOptions = {}): Promise<Central> {
  const dialect = options.dialect ?? 'sqlite';
  let drop = async () => {};
  let database: HallDatabase;
  let location: Central['location'];
  if (dialect === 'postgres') {
    if (!options.postgresAdminUrl) throw new Error('postgresAdminUrl is required for postgres');
    const created = await createPostgresDatabase(options.postgresAdminUrl);
    location = { dialect, url: created.url };
    drop = created.drop;
  } else {
    location = { dialect, file: join(mkdtempSync(join(tmpdir(), 'hall-central-')), 'hall.sqlite') };
  }
  const open = () =>
    location.url !== undefined ? openDatabase({ dialect: 'postgres', url: location.url, poolSize: 8 }) : openDatabase({ dialect: 'sqlite', file: location.file ?? '' });
  database = open();
  await migrate(database);
  const hall = fixtureHall('t1');
  options.adjustHall?.(hall);
  await seedDemoHall(database.db, hall);

  let app = await buildServer({ ...options.server, database });
  let port = options.port ?? 0;
  const listen = async () => {
    await app.listen({ host: '127.0.0.1', port });
    const address = app.server.address();
    if (address && typeof address === 'object') port = address.port;
  };
  await listen();
  let token: string | undefined;
  const central: Central = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get database() {
      return database;
    },
    location,
    get app() {
      return app;
    },
    async enrollmentCode(id, role, counterId) {
      if (!token) {
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 't1-manager', password: FIXTURE_PASSWORD } });
        token = (login.json() as { token: string }).token;
      }
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/sync/devices',
        headers: { authorization: `Bearer ${token}` },
        payload: { id, hallId: HALL_ID, role, name: id, ...(counterId ? { counterId } : {}) },
      });
      if (created.statusCode !== 201) throw new Error(`device ${id}: ${created.statusCode} ${created.body}`);
      return (created.json() as { enrollmentCode: string }).enrollmentCode;
    },
    async restart() {
      await app.close();
      app = await buildServer({ ...options.server, database });
      await listen();
    },
    async offline(meanwhile) {
      await app.close();
      await database.close();
      await meanwhile();
      database = open();
      app = await buildServer({ database });
      await listen();
    },
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  } as Central;
  return central;
}

export interface TestStationOptions {
  deviceId: string;
  role: 'kiosk' | 'counter' | 'display';
  counterId?: string;
  /** Where the station reaches the central API (a fault proxy in fault tests). */
  apiUrl: string;
  code: string;
  dataDir?: string;
  start?: StartOptions;
  /** The station's hall mesh section (port, bind, peers), as a config file would carry it. */
  mesh?: { port: number; bind?: string; peers: { host: string; port: number }[]; advertIntervalMs?: number };
  /** A counter's clerk, signed in through the central API once the station runs; `false`: nobody (the default is the fixture clerk). */
  clerk?: string | false;
}

export async function startTestStation(options: TestStationOptions): Promise<StationRuntime & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `station-${options.deviceId}-`));
  const config = parseStationConfig({
    hallId: HALL_ID,
    role: options.role,
    deviceId: options.deviceId,
    ...(options.counterId ? { counterId: options.counterId } : {}),
    apiUrl: options.apiUrl,
    enrollment: { code: options.code, credentialPath: join(dataDir, 'credential') },
    dataDir,
    ...(options.mesh ? { mesh: options.mesh } : {}),
  });
  const runtime = await startStation(config, {
    ...options.start,
    sync: { pollIntervalMs: 300, backoffBaseMs: 50, backoffMaxMs: 1000, stallMs: 5000, leaseBlockSize: 20, leaseLowWater: 10, ...options.start?.sync },
  });
  const clerk = options.clerk ?? (options.role === 'counter' ? 't1-clerk' : false);
  if (clerk !== false) await signInStationClerk(runtime, clerk, FIXTURE_PASSWORD);
  return Object.assign(runtime, { dataDir });
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 25): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}

/** A kiosk has its catalogue and at least one leased number for `queueId` today. */
export function numbersReady(station: StationRuntime, queueId = 't1-qa'): boolean {
  return station.core.store.catalogue !== undefined && station.core.store.remainingNumbers(queueId, station.core.today()) > 0;
}

/** Writes a station config file for a station process; returns the file and the data dir. */
export async function writeStationConfig(
  central: Pick<Central, 'enrollmentCode'>,
  dir: string,
  station: { deviceId: string; role: 'kiosk' | 'counter' | 'display'; counterId?: string; apiUrl: string; mesh?: TestStationOptions['mesh'] },
): Promise<{ file: string; dataDir: string }> {
  const dataDir = join(dir, station.deviceId);
  const file = join(dir, `${station.deviceId}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      hallId: HALL_ID,
      role: station.role,
      deviceId: station.deviceId,
      ...(station.counterId ? { counterId: station.counterId } : {}),
      apiUrl: station.apiUrl,
      enrollment: { code: await central.enrollmentCode(station.deviceId, station.role, station.counterId), credentialPath: join(dataDir, 'credential') },
      dataDir,
      ...(station.mesh ? { mesh: station.mesh } : {}),
    }),
  );
  return { file, dataDir };
}

/**
 * An enrollment code under a fresh manager sign-in, for tests and benches on a simulated
 * clock: the sign-in `enrollmentCode` caches expires as simulated days pass.
 */
export async function freshEnrollmentCode(central: Central, id: string, role: 'kiosk' | 'counter' | 'display', counterId?: string): Promise<string> {
  const login = await central.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 't1-manager', password: FIXTURE_PASSWORD } });
  const token = (login.json() as { token: string }).token;
  const created = await central.app.inject({
    method: 'POST',
    url: '/api/v1/sync/devices',
    headers: { authorization: `Bearer ${token}` },
    payload: { id, hallId: HALL_ID, role, name: id, ...(counterId ? { counterId } : {}) },
  });
  if (created.statusCode !== 201) throw new Error(`device ${id}: ${created.statusCode} ${created.body}`);
  return (created.json() as { enrollmentCode: string }).enrollmentCode;
}
