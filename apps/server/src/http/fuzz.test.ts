import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BACKENDS } from '../testing/databases';
import { fakeCitizen, fixtureHall, fixtureService } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...prefix, i])));
  if (value !== null && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

/** A copy of `doc` with the value at `path` replaced (the root path replaces everything). */
function replaceAt(doc: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

const hall = fixtureHall('t1');
/** Valid bodies for each write endpoint; the fuzzer breaks one spot at a time. */
const endpoints: { method: 'POST' | 'PUT' | 'PATCH'; url: string; valid: Json }[] = [
  { method: 'POST', url: '/services', valid: { ...fixtureService('t1', 8), id: 'fz-svc', code: 'FZ-1' } as unknown as Json },
  { method: 'PUT', url: '/services/t1-svc-2', valid: hall.services[1] as unknown as Json },
  { method: 'POST', url: '/counters', valid: { ...hall.counters[0]!, id: 'fz-c', number: '77' } as unknown as Json },
  { method: 'PUT', url: '/counters/t1-c2', valid: hall.counters[1] as unknown as Json },
  { method: 'POST', url: '/queues', valid: { ...hall.queues[0]!, id: 'fz-q', prefix: 'Z' } as unknown as Json },
  { method: 'PUT', url: '/queues/t1-qb', valid: hall.queues[1] as unknown as Json },
  { method: 'POST', url: '/staff', valid: { id: 'fz-s', hallId: 't1-hall', login: 'fz-login', displayName: '周*', staffNumber: 'F1', roles: ['clerk'], password: 'fuzz-password' } },
  { method: 'PATCH', url: '/staff/t1-clerk', valid: { displayName: '赵*', roles: ['clerk'] } },
  { method: 'POST', url: '/appointments', valid: { hallId: 't1-hall', serviceId: 't1-svc-1', date: '2026-06-01', slot: { from: '09:00', to: '09:30' }, citizen: fakeCitizen('fz') } as unknown as Json },
  { method: 'POST', url: '/blacklist/check', valid: { idHash: fakeCitizen('fz').idHash } },
  { method: 'PUT', url: '/halls/t1-hall/calling-rules', valid: hall.callingRules as unknown as Json },
  { method: 'POST', url: '/auth/login', valid: { login: 't2-clerk', password: 'wrong-password' } },
];

describe.each(BACKENDS)('fuzzed bodies on %s', (dialect) => {
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    token = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  it('never answer 5xx, and every error has the documented shape', async () => {
    const cases = fc.oneof(
      // One spot of a valid body replaced by any JSON value …
      fc
        .constantFrom(...endpoints)
        .chain((e) => fc.tuple(fc.constant(e), fc.constantFrom(...paths(e.valid)), fc.jsonValue()))
        .map(([e, path, value]) => ({ e, body: JSON.stringify(replaceAt(e.valid, path, value as Json)) })),
      // … or raw text that is rarely JSON at all.
      fc.tuple(fc.constantFrom(...endpoints), fc.string({ maxLength: 40 })).map(([e, body]) => ({ e, body })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ e, body }) => {
        const response = await server.app.inject({
          method: e.method,
          url: `/api/v1${e.url}`,
          payload: body,
          headers: { 'content-type': 'application/json', ...bearer(token) },
        });
        expect(response.statusCode, `${e.method} ${e.url} ${body}`).toBeLessThan(500);
        if (response.statusCode >= 400) {
          const error = (response.json() as { error: { code: unknown; message: unknown } }).error;
          expect(typeof error.code).toBe('string');
          expect(typeof error.message).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });
});
