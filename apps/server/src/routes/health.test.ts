import { describe, expect, inject, it } from 'vitest';
import { buildServer } from '../app';
import { BACKENDS, openTestDatabase } from '../testing/databases';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('health on %s', (dialect) => {
  it('turns 503 when the database is gone, instead of failing requests with 500', async () => {
    const test = await openTestDatabase(dialect, pgUrl);
    const app = await buildServer({ database: test.database });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/ready' })).statusCode).toBe(200);
      await test.database.close();
      const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', db: { dialect, reachable: false } });
      const ready = await app.inject({ method: 'GET', url: '/api/v1/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ ready: false });
    } finally {
      await app.close();
      await test.dispose();
    }
  });
});
