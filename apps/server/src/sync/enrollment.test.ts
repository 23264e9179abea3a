import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION } from '@hall/shared';
import { buildServer } from '../app';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const HOUR = 3_600_000;

describe.each(BACKENDS)('enrollment codes on %s', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-03-02T01:00:00.000Z');

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'), { clock: () => now });
  });
  afterAll(async () => server.dispose());

  const create = async (id: string, app = server.app) => {
    // A fresh session each time: the clock moves past a session's 12 hours.
    const manager = await server.login('t1-manager');
    const created = await app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role: 'kiosk', name: id } });
    expect(created.statusCode).toBe(201);
    return created.json() as { enrollmentCode: string; expiresAt: string };
  };
  const enroll = (code: string) => server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code } });
  const pull = (credential: string) => server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0', headers: { ...versions, ...bearer(credential) } });

  it('expire after 72 hours by default, with a clear error', async () => {
    const { enrollmentCode, expiresAt } = await create('en-expire');
    expect(Date.parse(expiresAt) - now.getTime()).toBe(72 * HOUR);
    const fresh = await create('en-in-time');
    now = new Date(now.getTime() + 72 * HOUR - 1000);
    expect((await enroll(fresh.enrollmentCode)).statusCode).toBe(200);
    now = new Date(now.getTime() + 2000);
    const late = await enroll(enrollmentCode);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('enrollment_code_expired');
    expect(late.json().error.message).toMatch(/expired at .*create a new one for device en-expire/);
    // A new code for the same device works again.
    const again = await create('en-expire');
    expect((await enroll(again.enrollmentCode)).statusCode).toBe(200);
  });

  it('have a configurable lifetime', async () => {
    const shortLived = await buildServer({ database: server.db.database, dataKeys: server.app.hall.dataKeys, clock: () => now, enrollmentCodeHours: 2 });
    try {
      const { enrollmentCode, expiresAt } = await create('en-short', shortLived);
      expect(Date.parse(expiresAt) - now.getTime()).toBe(2 * HOUR);
      now = new Date(now.getTime() + 2 * HOUR + 1);
      expect((await enroll(enrollmentCode)).json().error.code).toBe('enrollment_code_expired');
    } finally {
      await shortLived.close();
    }
  });

  it('is spent only once the station has used its credential: a lost answer or a crash before the write does not strand it', async () => {
    const { enrollmentCode } = await create('en-crash');
    const lost = await enroll(enrollmentCode);
    expect(lost.statusCode).toBe(200);
    // The station died before its credential reached the disk: it starts again with the same code.
    const retried = await enroll(enrollmentCode);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().credential).not.toBe(lost.json().credential);
    expect((await pull(lost.json().credential)).statusCode).toBe(401);
    expect((await pull(retried.json().credential)).statusCode).toBe(200);
    const spent = await enroll(enrollmentCode);
    expect(spent.statusCode).toBe(401);
    expect(spent.json().error.code).toBe('invalid_enrollment_code');
    expect((await pull(retried.json().credential)).statusCode).toBe(200);
  });

  it('a re-armed device keeps its old credential until the new code is exchanged, and the old credential does not spend it', async () => {
    const { enrollmentCode } = await create('en-rearm');
    const first = (await enroll(enrollmentCode)).json().credential as string;
    expect((await pull(first)).statusCode).toBe(200);
    const rearmed = await create('en-rearm');
    expect((await pull(first)).statusCode).toBe(200);
    const second = await enroll(rearmed.enrollmentCode);
    expect(second.statusCode).toBe(200);
    expect((await pull(first)).statusCode).toBe(401);
    expect((await pull(second.json().credential)).statusCode).toBe(200);
  });
});
