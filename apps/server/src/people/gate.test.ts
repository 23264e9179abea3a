import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../testing/routes';
import { startTestServer, type TestServer } from '../testing/server';
import { ROUTE_PERMISSIONS, routePermissions } from './gate';

/**
 * Routes no console page owns, so no configurable role narrows them: what stations, citizens'
 * phones, the citizen platform, operators' jobs and every signed-in person use, and reference
 * reads several pages share (a role that may open a page may read the hall's counters for it).
 */
const UNGATED: readonly RegExp[] = [
  /^GET \/metrics$/,
  /^GET \/(console|phone|follow|track|book)\b/,
  /^(GET|POST) \/api\/v1\/(health|ready|auth|sync|residence-codes|phone|follow|track|ws|appointments)\b/,
  /^(GET|POST) \/api\/v1\/lockers\/(deposit-codes|deposit-delegation|staff-codes|events|unclaimed)$/,
  /^GET \/api\/v1\/(halls|services|departments|themes|forms|counters|queues|staff|people\/me)\b/,
  /^POST \/api\/v1\/(blacklist\/check|halls\/:hallId\/citizen-standing)$/,
  /^POST \/api\/v1\/halls\/:hallId\/(case-sweep|no-shows)\/run$/,
  // The console's header shows the configuration version on every page.
  /^GET \/api\/v1\/admin\/halls\/:hallId\/config-version$/,
];

describe('the permission gate covers every console route', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', '');
  });
  afterAll(async () => server?.dispose());

  it('names a permission for every route a console page calls, and no route that does not exist', () => {
    const routes = registeredRoutes(server.app);
    expect(routes.length).toBeGreaterThan(100);
    const unowned = routes.filter((route) => {
      const [method, url] = route.split(' ') as [string, string];
      return routePermissions(method, url) === undefined && !UNGATED.some((pattern) => pattern.test(route));
    });
    expect(unowned, 'routes with neither a permission in people/gate.ts nor a reason to be ungated here').toEqual([]);
    const stale = Object.keys(ROUTE_PERMISSIONS).filter((key) => {
      const [method, path] = key.split(' ');
      return !routes.includes(`${method} /api/v1${path}`);
    });
    expect(stale, 'permission entries that match no route (a renamed path or parameter never gates anything)').toEqual([]);
  });

  it('lets one route belong to two pages', () => {
    expect(routePermissions('PUT', '/api/v1/counters/:id')).toEqual(['layout', 'rules']);
    expect(routePermissions('GET', '/api/v1/halls/:hallId/handoffs')).toEqual(['backoffice']);
  });
});
