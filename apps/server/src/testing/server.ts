import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from '../app';
import type { DialectName } from '../db/connection';
import { seedDemoHall } from '../demo/seed';
import { FIXTURE_PASSWORD, fixtureHall } from './fixture';
import { openTestDatabase, type TestDatabase } from './databases';

export interface TestServer {
  app: FastifyInstance;
  db: TestDatabase;
  /** Logs in through the API and returns the bearer token. */
  login(login: string, password?: string): Promise<string>;
  dispose(): Promise<void>;
}

/** A server on a fresh database with fixture halls `t1` (plus the city admin) and `t2`. */
export async function startTestServer(
  dialect: DialectName,
  postgresAdminUrl: string,
  options: Omit<BuildServerOptions, 'database'> = {},
): Promise<TestServer> {
  const db = await openTestDatabase(dialect, postgresAdminUrl);
  await seedDemoHall(db.database.db, fixtureHall('t1', { withCityAdmin: true }));
  await seedDemoHall(db.database.db, fixtureHall('t2'));
  const app = await buildServer({ database: db.database, citizenPlatformKeys: [TEST_PLATFORM_KEY], metricsTokens: [TEST_METRICS_TOKEN], ...options });
  return {
    app,
    db,
    async login(login, password = FIXTURE_PASSWORD) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
      if (response.statusCode !== 200) throw new Error(`login ${login} failed: ${response.statusCode} ${response.body}`);
      return (response.json() as { token: string }).token;
    },
    async dispose() {
      await app.close();
      await db.dispose();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The citizen platform's key on test servers (HALL_CITIZEN_PLATFORM_KEY in production). */
export const TEST_PLATFORM_KEY = 'test-citizen-platform-key-000000000000';
/** The metrics scraper's token on test servers (HALL_METRICS_TOKEN in production). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-00000000000000000000';

/** Headers of a call from the citizen platform (the only caller that may issue residence codes). */
export const citizenPlatform = (key = TEST_PLATFORM_KEY) => ({ 'x-citizen-platform-key': key });
