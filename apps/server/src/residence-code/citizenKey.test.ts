import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeCode, makeTestIdNumber, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '../testing/server';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

describe.each(BACKENDS)('the citizen-hash key reaches kiosks and counters on %s', (dialect) => {
  let server: TestServer;
  let manager = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'));
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  async function enroll(id: string, role: string): Promise<{ credential: string; citizenKey?: string }> {
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: id } });
    expect(created.statusCode).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    expect(enrolled.statusCode).toBe(200);
    return enrolled.json();
  }

  it('comes with enrollment, and hashes an ID number exactly as the residence code names the citizen', async () => {
    const kiosk = await enroll('ck-kiosk', 'kiosk');
    const counter = await enroll('ck-counter', 'counter');
    expect(kiosk.citizenKey).toMatch(/^[A-Za-z0-9+/=]{44}$/);
    expect(counter.citizenKey).toBe(kiosk.citizenKey);
    const idNumber = makeTestIdNumber({ sequence: 42 });
    const issued = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber } });
    const decoded = decodeCode(issued.json().code);
    if (!decoded.ok || decoded.code.payload.kind !== 'residence') throw new Error('not a residence code');
    // What a kiosk computes from the ID card (CitizenRef.idHash) is the code's subject.
    expect(Buffer.from(decoded.code.payload.subject).toString('hex')).toBe(createHmac('sha256', kiosk.citizenKey!).update(idNumber).digest('hex'));
  });

  it('is not given to displays or lockers, and is fetched only by a kiosk or counter credential', async () => {
    const display = await enroll('ck-display', 'display');
    const locker = await enroll('ck-locker', 'locker');
    expect(display.citizenKey).toBeUndefined();
    expect(locker.citizenKey).toBeUndefined();
    const kiosk = await enroll('ck-kiosk-2', 'kiosk');
    const fetchKey = (token?: string) => server.app.inject({ method: 'GET', url: '/api/v1/residence-codes/citizen-key', ...(token ? { headers: bearer(token) } : {}) });
    const ok = await fetchKey(kiosk.credential);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.json()).toEqual({ citizenKey: kiosk.citizenKey });
    expect((await fetchKey(display.credential)).statusCode).toBe(403);
    expect((await fetchKey(locker.credential)).statusCode).toBe(403);
    expect((await fetchKey(manager)).statusCode).toBe(403);
    expect((await fetchKey(await server.login('city-admin'))).statusCode).toBe(403);
    expect((await fetchKey()).statusCode).toBe(401);
  });
});
