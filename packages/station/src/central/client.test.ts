import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CentralApi, CentralApiError, centralApiBase } from './client';
import { CENTRAL_ROUTES } from './routes';
import { centralStandIn, closeCentralStandIns, json } from './testing';

afterEach(closeCentralStandIns);

describe('the central-API client', () => {
  it('sends the route with the client and call headers and a JSON body, and hands back the answer its schema checked', async () => {
    let seen: { method?: string; url?: string; auth?: string; type?: string; body?: string } = {};
    const origin = await centralStandIn((request, body, response) => {
      seen = { method: request.method, url: request.url, auth: request.headers.authorization, type: request.headers['content-type'], body };
      json(response, 200, { noShows: 1, windowDays: 90 });
    });
    const api = new CentralApi({ base: centralApiBase(`${origin}/`), headers: () => ({ authorization: 'Bearer device' }) });
    const answer = await api.call(CENTRAL_ROUTES.citizenStanding, { params: { hallId: 'hall 1' }, body: { idHash: 'h' } });
    expect(answer).toEqual({ ok: true, value: { noShows: 1, windowDays: 90 } });
    expect(seen).toEqual({ method: 'POST', url: '/api/v1/halls/hall%201/citizen-standing', auth: 'Bearer device', type: 'application/json', body: '{"idHash":"h"}' });
    // A call's own headers win: a clerk's session instead of the device's credential.
    await api.call(CENTRAL_ROUTES.citizenStanding, { params: { hallId: 'h1' }, body: {}, headers: { authorization: 'Bearer clerk' } });
    expect(seen.auth).toBe('Bearer clerk');
  });

  it('tells "unavailable, retry later" from "refused" from an answer that fails its schema', async () => {
    let answer: (response: ServerResponse) => void = () => undefined;
    const origin = await centralStandIn((_request, _body, response) => answer(response));
    const api = new CentralApi({ base: centralApiBase(origin), timeoutMs: 300 });
    const keys = () => api.call(CENTRAL_ROUTES.citizenKey);

    answer = (r) => json(r, 503, { error: { code: 'overloaded', message: 'busy' } }, { 'retry-after': '7' });
    expect(await keys()).toEqual({ ok: false, failure: { kind: 'unavailable', status: 503, code: 'overloaded', message: 'busy', retryAfterSeconds: 7 } });
    answer = (r) => json(r, 429, {});
    expect(await keys()).toMatchObject({ ok: false, failure: { kind: 'unavailable', status: 429, code: 'http_error', message: 'HTTP 429' } });
    answer = (r) => json(r, 403, { error: { code: 'wrong_hall', message: 'not your hall' } });
    expect(await keys()).toEqual({ ok: false, failure: { kind: 'refused', status: 403, code: 'wrong_hall', message: 'not your hall' } });
    answer = (r) => json(r, 200, { citizenKey: 'too short' });
    expect(await keys()).toMatchObject({ ok: false, failure: { kind: 'malformed', status: 0, code: 'malformed_response' } });
    // A body cut half-way by a proxy is a network fault, not a verdict.
    answer = (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"citizenKey":');
    expect(await keys()).toMatchObject({ ok: false, failure: { kind: 'unavailable', status: 0, code: 'malformed_response' } });
    answer = () => undefined; // never answers: the call's timeout
    expect(await keys()).toMatchObject({ ok: false, failure: { kind: 'unavailable', status: 0, code: 'network' } });

    const offline = new CentralApi({ base: centralApiBase('http://127.0.0.1:1') });
    expect(await offline.call(CENTRAL_ROUTES.citizenKey)).toMatchObject({ ok: false, failure: { kind: 'unavailable', status: 0, code: 'network' } });
  });

  it('throws the failure, with the call it belongs to, for callers that fail by exception', async () => {
    const origin = await centralStandIn((_request, _body, response) => json(response, 404, {}));
    const api = new CentralApi({ base: centralApiBase(origin) });
    const thrown = await api.require(CENTRAL_ROUTES.residenceKeySet).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(CentralApiError);
    expect((thrown as CentralApiError).failure.kind).toBe('refused');
    expect((thrown as Error).message).toBe('GET /residence-codes/keys: 404 HTTP 404');
  });
});
