import { Writable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../app';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD, fakeCitizen, fixtureService } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { loggerOptions } from './logging';

const pgUrl = inject('postgresUrl');

/** A route that fails the way a bug would, to prove 500s stay generic. */
const crashRoute: FastifyPluginAsync = async (app) => {
  app.get('/test/crash', async () => {
    throw new Error('secret internal detail');
  });
};

describe.each(BACKENDS)('bad input on %s', (dialect) => {
  let server: TestServer;
  let token = '';
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { logger: loggerOptions('info', logStream), plugins: [crashRoute] });
    token = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers: { 'content-type': 'application/json', ...bearer(token), ...headers } });

  it('answers malformed JSON with 400 and the error shape', async () => {
    const response = await post('/services', '{"id": "x", ');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.json()).toEqual({ error: { code: 'malformed_request', message: expect.any(String) } });
  });

  it('names every field of the wrong type', async () => {
    const service = { ...fixtureService('t1', 5), id: 5, guide: { ...fixtureService('t1', 5).guide, promisedDays: 'five' } };
    const response = await post('/services', JSON.stringify(service));
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_request');
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'guide.promisedDays']));
    expect(error.message).toMatch(/^body\./);
  });

  it('refuses empty bodies, arrays and bodies of the wrong content type', async () => {
    expect((await post('/services', '')).statusCode).toBe(400);
    expect((await post('/services', '[]')).statusCode).toBe(400);
    expect((await post('/auth/login', 'null')).statusCode).toBe(400);
    const text = await post('/auth/login', 'login=a&password=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
  });

  it('refuses oversize bodies with 413 before parsing them', async () => {
    const huge = JSON.stringify({ login: 'x'.repeat(BODY_LIMIT_BYTES), password: 'y' });
    const response = await post('/auth/login', huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('body_too_large');
  });

  it('validates path and query parameters', async () => {
    const longId = 'x'.repeat(200);
    const get = (url: string) => server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });
    expect((await get(`/services/${'x'.repeat(80)}`)).json().error.code).toBe('invalid_request');
    const tooLong = await get(`/services/${longId}`);
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.json().error.code).toBe('uri_too_long');
    expect((await get('/services/%E0%A4%A')).json().error.code).toBe('malformed_request');
    expect((await get('/forms/t1-form/versions/abc')).statusCode).toBe(400);
    expect((await get('/forms/t1-form/versions/-1')).statusCode).toBe(400);
    expect((await get('/halls/t1-hall/appointments')).statusCode).toBe(400);
    expect((await get('/halls/t1-hall/appointments?date=2026-13-45x')).statusCode).toBe(400);
    const unknownRoute = await get('/no/such/thing');
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json().error.code).toBe('not_found');
  });

  it('keeps internal errors generic and logs them', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    expect(logLines.some((line) => line.includes('secret internal detail'))).toBe(true);
  });

  it('echoes a plain request id and replaces a forged one', async () => {
    const plain = await server.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'abc-123' } });
    expect(plain.headers['x-request-id']).toBe('abc-123');
    const forged = await server.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'a\nfake log line' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(logLines.some((line) => line.includes('"reqId":"abc-123"'))).toBe(true);
  });

  it('never writes credentials or personal fields to the log', async () => {
    const citizen = fakeCitizen('log-check');
    await post('/appointments', JSON.stringify({ hallId: 't1-hall', serviceId: 't1-svc-1', date: '2026-05-06', slot: { from: '09:00', to: '09:30' }, citizen }));
    await post('/auth/login', JSON.stringify({ login: 't1-manager', password: FIXTURE_PASSWORD }));
    // Code that logs a body by mistake still must not leak it.
    server.app.log.info({ body: { password: 'hunter2-secret', citizen, idNumber: 'ID-NUMBER-SENTINEL', phone: '13957246813' } }, 'oops');
    const all = logLines.join('\n');
    expect(all).toContain('"oops"');
    for (const secret of [token, FIXTURE_PASSWORD, 'hunter2-secret', citizen.idHash, 'ID-NUMBER-SENTINEL', '13957246813']) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('[redacted]');
  });
});
