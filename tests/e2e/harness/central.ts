// A real central API on SQLite for end-to-end tests: seeded with a hall, stoppable and
// restartable on the same port and database (the "central API is down" scenarios).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../apps/server/src/app';
import { openDatabase, type HallDatabase } from '../../../apps/server/src/db/connection';
import { migrate } from '../../../apps/server/src/db/migrate';
import type { DemoHall } from '../../../apps/server/src/demo/index';
import { seedDemoHall } from '../../../apps/server/src/demo/seed';
import type { DataKeyring } from '../../../apps/server/src/secrets/keyring';

/** The citizen platform's key of every end-to-end central API: residence codes are issued to it only. */
export const E2E_PLATFORM_KEY = 'e2e-citizen-platform-key-0000000000000000';

export type StationRoleName = 'kiosk' | 'counter' | 'display' | 'locker';

export interface HallCentral {
  readonly url: string;
  readonly hallId: string;
  readonly running: boolean;
  database: HallDatabase;
  /** The data keys the running API seals with (form values, phones): for tests that read sealed rows. */
  readonly dataKeys: DataKeyring;
  /** Issues a citizen's residence code as the citizen platform does (its key, never a staff login). */
  residenceCode(idNumber: string, fields?: { name: string; address: string; phone?: string }): Promise<string>;
  /** Creates a device as the hall manager and returns its one-time enrollment code. */
  /** `counterId`: the counter a counter device serves (the central API lets it act for that one only). */
  enrollmentCode(id: string, role: StationRoleName, counterId?: string): Promise<string>;
  /** Stops serving: listeners closed, open connections cut. The database stays. */
  stop(): Promise<void>;
  /** Serves again on the same port and database. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface HallCentralOptions {
  hall: DemoHall;
  /** A hall-manager login of `hall` and its password (the demo password of the seed). */
  manager: { login: string; password: string };
}

export async function startHallCentral(options: HallCentralOptions): Promise<HallCentral> {
  const database = openDatabase({ dialect: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'hall-e2e-central-')), 'hall.sqlite') });
  await migrate(database);
  await seedDemoHall(database.db, options.hall);
  let app: FastifyInstance | undefined;
  let port = 0;
  const listen = async () => {
    app = await buildServer({ database, citizenPlatformKeys: [E2E_PLATFORM_KEY] });
    await app.listen({ host: '127.0.0.1', port });
    const address = app.server.address();
    if (address && typeof address === 'object') port = address.port;
  };
  await listen();
  let token: string | undefined;
  const central: HallCentral = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    hallId: options.hall.hall.id,
    get running() {
      return app !== undefined;
    },
    database,
    get dataKeys() {
      if (!app) throw new Error('central API is stopped');
      return app.hall.dataKeys;
    },
    async residenceCode(idNumber, fields) {
      const issued = await fetch(`${central.url}/api/v1/residence-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citizen-platform-key': E2E_PLATFORM_KEY },
        body: JSON.stringify({ idNumber, ...fields }),
      });
      if (issued.status !== 201) throw new Error(`residence code: ${issued.status} ${await issued.text()}`);
      return ((await issued.json()) as { code: string }).code;
    },
    async enrollmentCode(id, role, counterId) {
      if (!app) throw new Error('central API is stopped');
      if (!token) {
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: options.manager });
        if (login.statusCode !== 200) throw new Error(`manager login failed: ${login.statusCode} ${login.body}`);
        token = (login.json() as { token: string }).token;
      }
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/sync/devices',
        headers: { authorization: `Bearer ${token}` },
        payload: { id, hallId: options.hall.hall.id, role, name: id, ...(counterId ? { counterId } : {}) },
      });
      if (created.statusCode !== 201) throw new Error(`device ${id}: ${created.statusCode} ${created.body}`);
      return (created.json() as { enrollmentCode: string }).enrollmentCode;
    },
    async stop() {
      const running = app;
      app = undefined;
      if (!running) return;
      running.server.closeAllConnections?.();
      await running.close();
    },
    async start() {
      if (!app) await listen();
    },
    async close() {
      await central.stop();
      await database.close();
    },
  };
  return central;
}
